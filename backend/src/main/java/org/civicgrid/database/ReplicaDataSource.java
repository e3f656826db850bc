package org.civicgrid.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * The DataSource of read-only transactions: connections of the replica's pool while the replica answers, else of the
 * primary's. A connection the replica cannot give within its (short) timeout marks the replica down and the same
 * request is served by the primary at once; a probe every {@code check-interval} marks it up again.
 */
final class ReplicaDataSource extends AbstractDataSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaDataSource.class);

    /** Set when the current thread was handed a replica connection (read by the read-only work's retry). */
    private static final ThreadLocal<Boolean> SERVED_BY_REPLICA = new ThreadLocal<>();
    /** Set while a read is retried on the primary after the replica cancelled it (a conflict with recovery). */
    private static final ThreadLocal<Boolean> PRIMARY_ONLY = new ThreadLocal<>();

    private final HikariDataSource replica;
    private final DataSource primary;
    private final ScheduledExecutorService checker;
    private volatile boolean available = true;
    private final AtomicLong replicaConnections = new AtomicLong();
    private final AtomicLong fallbackConnections = new AtomicLong();

    ReplicaDataSource(HikariDataSource replica, DataSource primary, long checkIntervalMillis) {
        this.replica = replica;
        this.primary = primary;
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "replica-check");
            thread.setDaemon(true);
            return thread;
        });
        checker.scheduleWithFixedDelay(this::check, 0, checkIntervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (available && !Boolean.TRUE.equals(PRIMARY_ONLY.get())) {
            try {
                Connection connection = replica.getConnection();
                replicaConnections.incrementAndGet();
                SERVED_BY_REPLICA.set(Boolean.TRUE);
                return connection;
            } catch (SQLException e) {
                markDown(e);
            }
        }
        fallbackConnections.incrementAndGet();
        return primary.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLException("ReplicaDataSource uses its configured accounts");
    }

    /** Whether reads currently go to the replica. */
    boolean available() {
        return available;
    }

    long replicaConnections() {
        return replicaConnections.get();
    }

    long fallbackConnections() {
        return fallbackConnections.get();
    }

    /** Probes the replica now: one connection and one query within the pool's timeout. */
    boolean check() {
        try (Connection connection = replica.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            if (!available) {
                log.info("The read replica answers again; read-only work goes back to it");
            }
            available = true;
        } catch (SQLException | RuntimeException e) {
            markDown(e);
        }
        return available;
    }

    private void markDown(Exception e) {
        if (available) {
            log.warn("The read replica is unavailable ({}); read-only work uses the primary until it answers again", e.getMessage());
        }
        available = false;
    }

    static void clearServedByReplica() {
        SERVED_BY_REPLICA.remove();
    }

    static boolean servedByReplica() {
        return Boolean.TRUE.equals(SERVED_BY_REPLICA.get());
    }

    static void primaryOnly(boolean on) {
        if (on) {
            PRIMARY_ONLY.set(Boolean.TRUE);
        } else {
            PRIMARY_ONLY.remove();
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
        replica.close();
    }
}
