package org.civicgrid.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** Tells a database that cannot be reached (down, restarting, refusing connections) from every other failure. */
public final class DatabaseFailures {

    /**
     * SQLSTATEs of a server that is not there for us: class 08 (connection exception), 57P01–57P03 (shut down by
     * the administrator, crash shutdown, "the database system is starting up"), 53300 (too many connections).
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private DatabaseFailures() {
    }

    /** True when {@code failure} or one of its causes says the database could not be reached or went away. */
    public static boolean isUnavailable(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * True when the connection pool had no free connection within its timeout while the database itself answers
     * (HikariCP's "Connection is not available, request timed out" without an underlying connection failure): the
     * instance is overloaded, not cut off. With the database away Hikari names the connection failure as the cause.
     */
    public static boolean isPoolExhausted(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLTransientConnectionException && t.getCause() == null
                    && String.valueOf(t.getMessage()).contains("Connection is not available")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * True when a hot standby cancelled the statement to replay the primary's changes ("canceling statement due to
     * conflict with recovery", SQLSTATE 40001 on a read-only transaction): the same read succeeds on the primary.
     */
    public static boolean isRecoveryConflict(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql && "40001".equals(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
