package org.civicgrid.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Without civicgrid.datasource.replica.url the app is what it always was: one Hikari pool on one database, no routing
 * proxy, no read-only-work advice around the dashboard controllers.
 */
@CivicGridIntegrationTest
class SingleInstanceDefaultTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    ApplicationContext context;

    @Test
    void withoutAReplicaTheDataSourceIsThePlainPoolAndNoControllerIsProxied() {
        assertThat(dataSource).isExactlyInstanceOf(HikariDataSource.class);
        assertThat(context.getBeansOfType(ReplicaRoutingDataSource.class)).isEmpty();
        assertThat(context.containsBean("readOnlyWorkAdvisor")).isFalse();
        Object tiles = context.getBean("tileController");
        assertThat(AopUtils.isAopProxy(tiles)).isFalse();
    }

    @Test
    void anUnreachableDatabaseIsToldApartFromOtherFailures() {
        assertThat(DatabaseFailures.isUnavailable(new CannotGetJdbcConnectionException("no connection"))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new CannotCreateTransactionException("could not open",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 30000ms")))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new DataAccessResourceFailureException("terminating",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new RuntimeException(new SQLException("the database system is starting up", "57P03")))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("Connection refused", "08001"))).isTrue();
        // not availability: bad data, a statement timeout, a program limit
        assertThat(DatabaseFailures.isUnavailable(new DataIntegrityViolationException("dup", new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new DataAccessResourceFailureException("cancel", new SQLException("canceling statement", "57014")))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new DataAccessResourceFailureException("deep", new SQLException("stack depth", "54001")))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new IllegalStateException("other"))).isFalse();
    }
}
