package org.civicgrid.database;

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

        /** The session this thread read from the store, and its id then (the request's session). */
        private static final ThreadLocal<Object[]> LOADED = new ThreadLocal<>();

        private final FindByIndexNameSessionRepository<S> delegate;

        LenientSessionRepository(FindByIndexNameSessionRepository<S> delegate) {
            this.delegate = delegate;
        }

        @Override
        public S findById(String id) {
            S session = delegate.findById(id);
            if (session == null) {
                LOADED.remove();
            } else {
                LOADED.set(new Object[] {session, session.getId()});
            }
            return session;
        }

        @Override
        public void save(S session) {
            try {
                delegate.save(session);
            } catch (RuntimeException e) {
                Object[] loaded = LOADED.get();
                boolean onlyRead = loaded != null && loaded[0] == session && session.getId().equals(loaded[1]);
                if (!onlyRead || !DatabaseFailures.isUnavailable(e)) {
                    throw e;
                }
                log.warn("Session last-access update skipped, the database is unavailable or busy: {}", e.getMessage());
            } finally {
                LOADED.remove();
            }
        }

        @Override
        public S createSession() {
            return delegate.createSession();
        }

        @Override
        public void deleteById(String id) {
            delegate.deleteById(id);
        }

        @Override
        public Map<String, S> findByIndexNameAndIndexValue(String indexName, String indexValue) {
            return delegate.findByIndexNameAndIndexValue(indexName, indexValue);
        }
    }
}
