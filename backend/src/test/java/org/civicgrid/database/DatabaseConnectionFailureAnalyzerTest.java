package org.civicgrid.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

/** An external server without PostGIS fails in the first migration; the message must say what to install. */
class DatabaseConnectionFailureAnalyzerTest {

    private final DatabaseConnectionFailureAnalyzer analyzer = new DatabaseConnectionFailureAnalyzer(
            new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db.example/civicgrid"));

    @Test
    void missingPostgisNamesThePackage() {
        SQLException cause = new SQLException(
                "ERROR: could not open extension control file \"/usr/share/postgresql/15/extension/postgis.control\"", "58P01");

        FailureAnalysis analysis = analyzer.analyze(new IllegalStateException("migration failed", cause));

        assertThat(analysis.getDescription()).contains("PostGIS is not installed").contains("jdbc:postgresql://db.example/civicgrid");
        assertThat(analysis.getAction()).contains("postgresql-15-postgis-3");
    }

    @Test
    void otherSqlErrorsAreLeftToSpringBoot() {
        assertThat(analyzer.analyze(new SQLException("ERROR: relation does not exist", "42P01"))).isNull();
    }
}
