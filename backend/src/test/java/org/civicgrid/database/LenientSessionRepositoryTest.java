package org.civicgrid.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSession;

/**
 * The session store's write at the end of a request: with the database away, refreshing a session that was only read
 * is skipped (the user stays signed in, the answer is not broken); a new session or a changed id (a sign-in) still
 * fails, and so does any other error.
 */
class LenientSessionRepositoryTest {

    /** An in-memory store whose writes can be made to fail like an unreachable database. */
    static final class Store implements FindByIndexNameSessionRepository<MapSession> {
        final Map<String, MapSession> sessions = new HashMap<>();
        RuntimeException failure;

        @Override
        public MapSession createSession() {
            return new MapSession();
        }

        @Override
        public void save(MapSession session) {
            if (failure != null) {
                throw failure;
            }
            sessions.put(session.getId(), new MapSession(session));
        }

        @Override
        public MapSession findById(String id) {
            MapSession stored = sessions.get(id);
            return stored == null ? null : new MapSession(stored);
        }

        @Override
        public void deleteById(String id) {
            sessions.remove(id);
        }

        @Override
        public Map<String, MapSession> findByIndexNameAndIndexValue(String indexName, String indexValue) {
            return Map.of();
        }
    }

    private final Store store = new Store();
    private final SessionStoreConfiguration.LenientSessionRepository<MapSession> sessions = new SessionStoreConfiguration.LenientSessionRepository<>(store);

    @Test
    void refreshingASessionThatWasOnlyReadIsSkippedWhileTheDatabaseIsAway() {
        MapSession signedIn = sessions.createSession();
        signedIn.setAttribute("SPRING_SECURITY_CONTEXT", "leader");
        sessions.save(signedIn);

        store.failure = new CannotGetJdbcConnectionException("Connection is not available, request timed out after 5000ms");
        MapSession read = sessions.findById(signedIn.getId());
        read.setLastAccessedTime(java.time.Instant.now());
        sessions.save(read);   // no exception: the answer is sent, the user stays signed in

        store.failure = null;
        assertThat(sessions.findById(signedIn.getId()).<String>getAttribute("SPRING_SECURITY_CONTEXT")).isEqualTo("leader");
    }

    @Test
    void aNewSessionAChangedIdOrAnotherErrorStillFails() {
        MapSession existing = sessions.createSession();
        sessions.save(existing);
        store.failure = new CannotGetJdbcConnectionException("refused");

        MapSession fresh = sessions.createSession();
        assertThatThrownBy(() -> sessions.save(fresh)).isInstanceOf(CannotGetJdbcConnectionException.class);

        MapSession renamed = sessions.findById(existing.getId());
        renamed.changeSessionId();   // sign-in: session fixation protection
        assertThatThrownBy(() -> sessions.save(renamed)).isInstanceOf(CannotGetJdbcConnectionException.class);

        store.failure = new IllegalStateException("not the database");
        MapSession read = sessions.findById(existing.getId());
        assertThatThrownBy(() -> sessions.save(read)).isInstanceOf(IllegalStateException.class);
    }
}
