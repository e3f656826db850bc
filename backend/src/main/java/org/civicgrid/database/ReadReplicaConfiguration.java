package org.civicgrid.database;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Advisor;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Active only with {@code civicgrid.datasource.replica.url}: the application's DataSource becomes a
 * {@link ReplicaRoutingDataSource} over the primary's pool (the embedded cluster's or Spring Boot's) and a pool on the
 * replica, and every {@link ReadOnlyWork} method runs in a read-only transaction. Without the property nothing here
 * exists and the app runs exactly as a single instance on one database.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ReadReplicaConfiguration.ReplicaConfigured.class)
class ReadReplicaConfiguration {

    /** Wraps the "dataSource" bean (after Spring Boot has bound spring.datasource.hikari.* to it). */
    @Bean
    static BeanPostProcessor replicaRouting(Environment environment) {
        return new DestructionAwareBeanPostProcessor() {
            private volatile ReplicaRoutingDataSource routing;

            /** The container closes the primary pool (the bean it made); the replica's pool and probe are ours to close. */
            @Override
            public void postProcessBeforeDestruction(Object bean, String beanName) {
                if ("dataSource".equals(beanName) && routing != null) {
                    routing.replica().close();
                }
            }

            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!"dataSource".equals(beanName) || !(bean instanceof HikariDataSource primary)) {
                    return bean;
                }
                ReplicaProperties settings = Binder.get(environment).bind(ReplicaProperties.PREFIX, ReplicaProperties.class)
                        .orElseThrow(() -> new StartupProblem(ReplicaProperties.PREFIX + ".url is set but could not be read.",
                                "Set it to a JDBC URL such as jdbc:postgresql://127.0.0.1:15433/civicgrid."));
                routing = new ReplicaRoutingDataSource(primary, new ReplicaDataSource(replicaPool(settings, primary), primary,
                        settings.checkInterval().toMillis()));
                return routing;
            }
        };
    }

    static HikariDataSource replicaPool(ReplicaProperties settings, HikariDataSource primary) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("civicgrid-replica");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.username() == null || settings.username().isBlank() ? primary.getUsername() : settings.username());
        config.setPassword(settings.password() == null || settings.password().isEmpty() ? primary.getPassword() : settings.password());
        config.setMaximumPoolSize(settings.maximumPoolSize());
        config.setMinimumIdle(Math.min(2, settings.maximumPoolSize()));
        long timeout = Math.max(250, settings.connectionTimeout().toMillis());
        config.setConnectionTimeout(timeout);
        config.setValidationTimeout(Math.max(250, timeout / 2));
        // Start even while the replica is down: reads use the primary until a probe finds it.
        config.setInitializationFailTimeout(-1);
        config.setReadOnly(true);
        // The same session settings as the primary's pool (the driver's defaults: org/postgresql/driverconfig.properties).
        config.setConnectionInitSql(primary.getConnectionInitSql());
        return new HikariDataSource(config);
    }

    /** Read-only work in a read-only transaction (so on the replica); retried once on the primary if the replica broke under it. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor readOnlyWorkAdvisor(ObjectProvider<PlatformTransactionManager> transactions, ObjectProvider<DataSource> dataSource) {
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(new ReadOnlyWorkPointcut(),
                new ReadOnlyWorkInterceptor(transactions::getObject, () -> dataSource.getObject()));
        advisor.setOrder(0);
        return advisor;
    }

    /** Methods annotated {@link ReadOnlyWork}, or declared by a class that is (Object's methods excepted). */
    static final class ReadOnlyWorkPointcut extends StaticMethodMatcherPointcut {
        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            if (method.getDeclaringClass() == Object.class || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                return false;
            }
            return AnnotatedElementUtils.hasAnnotation(method, ReadOnlyWork.class)
                    || AnnotatedElementUtils.hasAnnotation(method.getDeclaringClass(), ReadOnlyWork.class);
        }
    }

    static final class ReadOnlyWorkInterceptor implements MethodInterceptor {

        private final Supplier<PlatformTransactionManager> transactions;
        private final Supplier<DataSource> dataSource;
        private volatile TransactionTemplate readOnly;

        ReadOnlyWorkInterceptor(Supplier<PlatformTransactionManager> transactions, Supplier<DataSource> dataSource) {
            this.transactions = transactions;
            this.dataSource = dataSource;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            if (TransactionSynchronizationManager.isActualTransactionActive()) {
                return invocation.proceed();   // inside a transaction already: its connection and mode stand
            }
            ReplicaDataSource.clearServedByReplica();
            // A second, untouched copy of the call for the retry (proceeding twice on one invocation would skip advice).
            MethodInvocation retry = invocation instanceof ProxyMethodInvocation proxied ? proxied.invocableClone() : invocation;
            try {
                return inReadOnlyTransaction(invocation);
            } catch (Throwable failure) {
                if (!ReplicaDataSource.servedByReplica() || responseCommitted() || replica() == null) {
                    throw failure;
                }
                boolean replicaGone = DatabaseFailures.isUnavailable(failure) && !replica().check();
                if (!replicaGone && !DatabaseFailures.isRecoveryConflict(failure)) {
                    throw failure;
                }
                // The replica went away, or cancelled the query to replay WAL: nothing was written, so ask the primary.
                ReplicaDataSource.clearServedByReplica();
                ReplicaDataSource.primaryOnly(true);
                try {
                    return inReadOnlyTransaction(retry);
                } finally {
                    ReplicaDataSource.primaryOnly(false);
                }
            } finally {
                ReplicaDataSource.clearServedByReplica();
            }
        }

        private Object inReadOnlyTransaction(MethodInvocation invocation) throws Throwable {
            try {
                return template().execute(status -> {
                    try {
                        return invocation.proceed();
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable checked) {
                        throw new CheckedFailure(checked);
                    }
                });
            } catch (CheckedFailure wrapped) {
                throw wrapped.getCause();
            }
        }

        private TransactionTemplate template() {
            TransactionTemplate template = readOnly;
            if (template == null) {
                template = new TransactionTemplate(transactions.get());
                template.setReadOnly(true);
                template.setName("read-only work");
                readOnly = template;
            }
            return template;
        }

        private ReplicaDataSource replica() {
            return dataSource.get() instanceof ReplicaRoutingDataSource routing ? routing.replica() : null;
        }

        private static boolean responseCommitted() {
            return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                    && attributes.getResponse() != null && attributes.getResponse().isCommitted();
        }
    }

    private static final class CheckedFailure extends RuntimeException {
        CheckedFailure(Throwable cause) {
            super(cause);
        }
    }

    /** {@code civicgrid.datasource.replica.url} is set and not blank. */
    static final class ReplicaConfigured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty(ReplicaProperties.PREFIX + ".url");
            return url != null && !url.isBlank();
        }
    }
}
