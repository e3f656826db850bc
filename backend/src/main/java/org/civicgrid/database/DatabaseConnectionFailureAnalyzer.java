package org.civicgrid.database;

import java.sql.SQLException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Turns "cannot connect" and "PostGIS missing" errors from an external database into one clear
 * message; the embedded database reports its own problems as {@link StartupProblem}s.
 */
class DatabaseConnectionFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    private static final String CONNECTION_FAILURE_CLASS = "08";
    private static final String UNDEFINED_FILE = "58P01";
    private static final String INVALID_PASSWORD = "28P01";

    private final Environment environment;

    DatabaseConnectionFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        String state = cause.getSQLState() == null ? "" : cause.getSQLState();
        String url = environment.getProperty("spring.datasource.url", "(embedded)");
        if (state.startsWith(CONNECTION_FAILURE_CLASS)) {
            return new FailureAnalysis("CivicGrid cannot reach the database at " + url + ": " + cause.getMessage(),
                    "Start that PostgreSQL server (or correct SPRING_DATASOURCE_URL), or unset SPRING_DATASOURCE_URL "
                            + "to run on the embedded PostGIS: unset SPRING_DATASOURCE_URL; ./civicgrid run", cause);
        }
        if (state.equals(INVALID_PASSWORD)) {
            return new FailureAnalysis("The database at " + url + " rejected the user name or password: " + cause.getMessage(),
                    "Set SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD to an account of that server.", cause);
        }
        if (state.equals(UNDEFINED_FILE) && String.valueOf(cause.getMessage()).contains("postgis")) {
            return new FailureAnalysis("PostGIS is not installed on the database server at " + url + ": " + cause.getMessage(),
                    "Install PostGIS on that server, e.g. sudo apt-get install -y postgresql-15-postgis-3", cause);
        }
        return null;
    }
}
