package org.civicgrid.database;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * Spring Session JDBC writes a signed-in user's session back on every request (its last-access time), as the response
 * is committed. When the database is away or every connection is busy, that write fails after the request's real work
 * is done, and would turn a good answer into a broken one (and be tried again at each later commit point). This
 * wrapper lets such a failure pass for a session that was only read and kept its id — the user stays signed in, the
 * expiry moves on at the next request — and keeps failing, as before, for a new session or a changed id (a sign-in).
 * <p>
 * It also skips that write when nothing but the last-access time changed and that moved by less than
 * {@link LenientSessionRepository#TOUCH_INTERVAL}: otherwise every request of a signed-in user writes a row on the
 * primary (and takes a connection for it), which a map (dozens of tile requests) multiplies. The stored last access is
 * then at most a minute old, so a session expires by inactivity at most a minute early — never late.
 */
@Configuration(proxyBeanMethods = false)
class SessionStoreConfiguration {

    @Bean
    static BeanPostProcessor lenientSessionWrites() {
        return new BeanPostProcessor() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof FindByIndexNameSessionRepository repository && !(bean instanceof LenientSessionRepository)) {
                    return new LenientSessionRepository<>(repository);
                }
                return bean;
            }
        };
    }

    static final class LenientSessionRepository<S extends Session> implements FindByIndexNameSessionRepository<S> {

        private static final Logger log = LoggerFactory.getLogger(LenientSessionRepository.class);

        /** A stored last access younger than this is not rewritten for a request that changed nothing else. */
        static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

        /** The sessions this thread read from the store lately, as they were then (one of them is the request's session). */
        private static final ThreadLocal<Loaded[]> LOADED = ThreadLocal.withInitial(() -> new Loaded[4]);
        private static final ThreadLocal<Boolean> WORKING = new ThreadLocal<>();

        static boolean working() {
            return WORKING.get() != null;
        }

        private static <T> T working(java.util.function.Supplier<T> work) {
            WORKING.set(Boolean.TRUE);
            try {
                return work.get();
            } finally {
                WORKING.remove();
            }
        }

        /** What was read of this very session object (a request may read its session more than once). */
        private static Loaded loaded(Session session) {
            for (Loaded loaded : LOADED.get()) {
                if (loaded != null && loaded.session() == session) {
                    return loaded;
                }
            }
            return null;
        }

        /** What the session was when read; attribute values by identity (the store marks a change only on set). */
        private record Loaded(Session session, String id, Instant lastAccessed, Duration maxInactive, Map<String, Object> attributes) {

            static Loaded of(Session session) {
                Map<String, Object> attributes = new HashMap<>();
                session.getAttributeNames().forEach(name -> attributes.put(name, session.getAttribute(name)));
                return new Loaded(session, session.getId(), session.getLastAccessedTime(), session.getMaxInactiveInterval(), attributes);
            }

            boolean onlyRead(Session saved) {
                return session == saved && id.equals(saved.getId());
            }

            /** Nothing changed but a last access less than {@link #TOUCH_INTERVAL} after the stored one. */
            boolean onlyTouchedLately(Session saved) {
                if (!onlyRead(saved) || !maxInactive.equals(saved.getMaxInactiveInterval())
                        || !attributes.keySet().equals(saved.getAttributeNames())
                        || Duration.between(lastAccessed, saved.getLastAccessedTime()).compareTo(TOUCH_INTERVAL) >= 0) {
                    return false;
                }
                for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
                    if (saved.getAttribute(attribute.getKey()) != attribute.getValue()) {
                        return false;
                    }
                }
                return true;
            }
        }

        private final FindByIndexNameSessionRepository<S> delegate;

        LenientSessionRepository(FindByIndexNameSessionRepository<S> delegate) {
            this.delegate = delegate;
        }

        @Override
        public S findById(String id) {
            S session = working(() -> delegate.findById(id));
            if (session != null) {
                Loaded[] loaded = LOADED.get();
                System.arraycopy(loaded, 0, loaded, 1, loaded.length - 1);
                loaded[0] = Loaded.of(session);
            }
            return session;
        }

        @Override
        public void save(S session) {
            Loaded loaded = loaded(session);
            try {
                if (loaded != null && loaded.onlyTouchedLately(session)) {
                    return;
                }
                working(() -> {
                    delegate.save(session);
                    return null;
                });
            } catch (RuntimeException e) {
                boolean onlyRead = loaded != null && loaded.onlyRead(session);
                if (!onlyRead || !DatabaseFailures.isUnavailable(e)) {
                    throw e;
                }
                log.warn("Session last-access update skipped, the database is unavailable or busy: {}", e.getMessage());
            }
        }

        @Override
        public S createSession() {
            return working(delegate::createSession);
        }

        @Override
        public void deleteById(String id) {
            working(() -> {
                delegate.deleteById(id);
                return null;
            });
        }

        @Override
        public Map<String, S> findByIndexNameAndIndexValue(String indexName, String indexValue) {
            return working(() -> delegate.findByIndexNameAndIndexValue(indexName, indexValue));
        }
    }
}
