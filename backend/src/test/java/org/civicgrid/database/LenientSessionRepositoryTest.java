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
        read.setLastAccessedTime(java.time.Instant.now().plusSeconds(120));   // due for its write
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
        read.setLastAccessedTime(java.time.Instant.now().plusSeconds(120));
        assertThatThrownBy(() -> sessions.save(read)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSessionOnlyTouchedWithinAMinuteIsNotWrittenAgain() {
        MapSession signedIn = sessions.createSession();
        signedIn.setAttribute("SPRING_SECURITY_CONTEXT", "leader");
        sessions.save(signedIn);
        java.time.Instant stored = store.sessions.get(signedIn.getId()).getLastAccessedTime();

        for (int second : new int[] {1, 30, 59}) {
            MapSession read = sessions.findById(signedIn.getId());
            read.setLastAccessedTime(stored.plusSeconds(second));
            store.failure = new IllegalStateException("must not be written");
            sessions.save(read);
            store.failure = null;
        }
        assertThat(store.sessions.get(signedIn.getId()).getLastAccessedTime()).isEqualTo(stored);

        MapSession aMinuteLater = sessions.findById(signedIn.getId());
        aMinuteLater.setLastAccessedTime(stored.plusSeconds(60));
        sessions.save(aMinuteLater);
        assertThat(store.sessions.get(signedIn.getId()).getLastAccessedTime()).as("written once a minute").isEqualTo(stored.plusSeconds(60));
    }

    @Test
    void anyOtherChangeIsWrittenAtOnce() {
        MapSession signedIn = sessions.createSession();
        signedIn.setAttribute("SPRING_SECURITY_CONTEXT", "leader");
        sessions.save(signedIn);

        MapSession changed = sessions.findById(signedIn.getId());
        changed.setAttribute("SPRING_SECURITY_CONTEXT", "leader-again");
        sessions.save(changed);
        assertThat(sessions.findById(signedIn.getId()).<String>getAttribute("SPRING_SECURITY_CONTEXT")).isEqualTo("leader-again");

        MapSession added = sessions.findById(signedIn.getId());
        added.setAttribute("other", 1);
        sessions.save(added);
        assertThat(sessions.findById(signedIn.getId()).<Integer>getAttribute("other")).isEqualTo(1);

        MapSession removed = sessions.findById(signedIn.getId());
        removed.removeAttribute("other");
        sessions.save(removed);
        assertThat(sessions.findById(signedIn.getId()).<Integer>getAttribute("other")).isNull();

        MapSession longer = sessions.findById(signedIn.getId());
        longer.setMaxInactiveInterval(java.time.Duration.ofHours(3));
        sessions.save(longer);
        assertThat(sessions.findById(signedIn.getId()).getMaxInactiveInterval()).isEqualTo(java.time.Duration.ofHours(3));

        MapSession renamed = sessions.findById(signedIn.getId());
        String oldId = renamed.getId();
        renamed.changeSessionId();
        sessions.save(renamed);
        assertThat(store.sessions).containsKey(renamed.getId()).as("sign-in's new id is stored").isNotNull();
        assertThat(renamed.getId()).isNotEqualTo(oldId);
    }
}
