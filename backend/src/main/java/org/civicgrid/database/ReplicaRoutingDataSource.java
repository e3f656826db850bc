package org.civicgrid.database;

import java.sql.Connection;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * The application's DataSource when a replica is configured: a connection is taken only when the first statement
 * runs, from the replica (via {@link ReplicaDataSource}) if the transaction is read-only by then, else from the
 * primary. Read-only transactions set {@code readOnly} on the connection before any statement, so the choice is
 * made per transaction; work outside a transaction, Flyway, sessions and every write use the primary.
 */
final class ReplicaRoutingDataSource extends LazyConnectionDataSourceProxy {

    private final HikariDataSource primary;
    private final ReplicaDataSource replica;

    ReplicaRoutingDataSource(HikariDataSource primary, ReplicaDataSource replica) {
        super(primary);
        this.primary = primary;
        this.replica = replica;
        setReadOnlyDataSource(replica);
        // Known defaults: otherwise the proxy borrows a connection just to read them.
        setDefaultAutoCommit(true);
        setDefaultTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }

    ReplicaDataSource replica() {
        return replica;
    }

    HikariDataSource primary() {
        return primary;
    }
}
