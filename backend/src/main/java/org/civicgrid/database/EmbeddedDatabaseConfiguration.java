package org.civicgrid.database;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * With no {@code spring.datasource.url} (nor SPRING_DATASOURCE_URL) the application runs on its own
 * PostgreSQL + PostGIS cluster; otherwise Spring Boot's ordinary DataSource takes over.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoExternalDatabaseCondition.class)
@EnableConfigurationProperties(EmbeddedPostgresProperties.class)
class EmbeddedDatabaseConfiguration {

    /** Declared as the DataSource's dependency so the server stops only after the pool has closed. */
    @Bean
    EmbeddedPostgresHandle embeddedPostgres(EmbeddedPostgresProperties properties) {
        return new EmbeddedPostgresHandle(EmbeddedPostgresRegistry.acquire(properties));
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresHandle embeddedPostgres) {
        EmbeddedPostgres server = embeddedPostgres.server();
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(server.jdbcUrl());
        dataSource.setUsername(server.username());
        dataSource.setPassword(server.password());
        dataSource.setPoolName("civicgrid-embedded");
        return dataSource;
    }

    static final class EmbeddedPostgresHandle implements AutoCloseable {
        private final EmbeddedPostgres server;

        EmbeddedPostgresHandle(EmbeddedPostgres server) {
            this.server = server;
        }

        EmbeddedPostgres server() {
            return server;
        }

        @Override
        public void close() {
            EmbeddedPostgresRegistry.release(server);
        }
    }
}
