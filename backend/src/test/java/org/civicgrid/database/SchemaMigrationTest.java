package org.civicgrid.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import javax.sql.DataSource;

import org.civicgrid.CivicGridIntegrationTest;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.annotation.Transactional;

/** The migrations build the whole schema on a brand-new empty database of the embedded cluster. */
@CivicGridIntegrationTest
class SchemaMigrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EmbeddedDatabaseConfiguration.EmbeddedPostgresHandle embedded;

    @Test
    void migrationsApplyOnAnEmptyDatabase() {
        String database = "migration_check_" + ProcessHandle.current().pid();
        jdbc.sql("DROP DATABASE IF EXISTS " + database).update();
        jdbc.sql("CREATE DATABASE " + database).update();
        try {
            EmbeddedPostgres server = embedded.server();
            DataSource fresh = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database,
                    server.username(), server.password());

            int applied = Flyway.configure().dataSource(fresh).locations("classpath:db/migration").load().migrate().migrationsExecuted;

            assertThat(applied).isPositive();
            JdbcClient freshJdbc = JdbcClient.create(fresh);
            List<String> geometryColumns = freshJdbc.sql("""
                    SELECT f_table_name || '.' || f_geometry_column || ':' || srid FROM geometry_columns ORDER BY 1""")
                    .query(String.class).list();
            assertThat(geometryColumns).containsExactly("community.boundary:4326", "district.boundary:4326", "draft_grid.geom:4326", "grid.boundary:4326",
                    "inspection.location:4326", "measurement_point.geom:4326", "photo.gps:4326", "problem.location:4326",
                    "street.boundary:4326");
            long gistIndexes = freshJdbc.sql("""
                    SELECT count(DISTINCT t.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am am ON am.oid = c.relam WHERE am.amname = 'gist'""")
                    .query(Long.class).single();
            assertThat(gistIndexes).as("tables with a GiST index").isEqualTo(geometryColumns.size());
        } finally {
            jdbc.sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)").update();
        }
    }

    @Test
    @Transactional
    void auditEntriesCannotBeDeleted() {
        jdbc.sql("INSERT INTO audit_log (actor, action, object_type, object_id) VALUES ('test', 'CHECK', 'audit', '1')").update();
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_log").update()).hasStackTraceContaining("audit_log is append-only");
    }

    @Test
    @Transactional
    void auditEntriesCannotBeChanged() {
        jdbc.sql("INSERT INTO audit_log (actor, action, object_type, object_id) VALUES ('test', 'CHECK', 'audit', '1')").update();
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_log SET actor = 'x'").update()).hasStackTraceContaining("audit_log is append-only");
    }
}
