package org.civicgrid.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The backup command's own code (the same pg_dump/pg_restore invocations and tar layout as
 * {@code ./civicgrid backup|restore}) dumps the test database, restores it into a freshly initialised
 * cluster, and every table's rows, every geometry, every sequence and the Flyway history are found again.
 */
@CivicGridIntegrationTest
class BackupRestoreTest {

    @Autowired
    DataSource dataSource;

    @TempDir
    Path temp;

    @Test
    void aBackupRestoredIntoAFreshClusterHoldsEveryRowAndGeometry() throws Exception {
        HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
        Backup.Target source = Backup.Target.ofJdbcUrl(hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword());
        PostgresBinaries binaries = PostgresBinaries.locate(java.util.Optional.empty());
        Backup backup = new Backup(binaries);

        Path photos = Files.createDirectories(temp.resolve("photos/ab"));
        Files.write(photos.resolve("ab12-photo.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Path archive = temp.resolve("civicgrid-backup.tar");
        backup.backup(source, temp.resolve("photos"), archive);
        Snapshot before = snapshot(hikari.getJdbcUrl(), source.user(), source.password());

        EmbeddedPostgres fresh = EmbeddedPostgres.start(new EmbeddedPostgresProperties(
                temp.resolve("fresh-pg").toString(), 0, null, "civicgrid", true, null));
        try {
            assertThat(fresh.adopted()).isFalse();
            Backup.Target target = Backup.Target.ofJdbcUrl(fresh.jdbcUrl(), fresh.username(), fresh.password());
            try (Connection c = DriverManager.getConnection(fresh.jdbcUrl(), fresh.username(), fresh.password());
                 Statement st = c.createStatement()) {
                assertThat(strings(st, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")).containsExactly("0");
            }

            Path restoredPhotos = temp.resolve("restored/photos");
            backup.restore(target, restoredPhotos, archive);

            Snapshot after = snapshot(fresh.jdbcUrl(), fresh.username(), fresh.password());
            assertThat(before.rowCounts()).containsKeys("problem", "measurement_point", "grid", "flyway_schema_history");
            assertThat(before.rowCounts().get("measurement_point")).isPositive();
            assertThat(after.rowCounts()).isEqualTo(before.rowCounts());
            assertThat(after.rowChecksums()).isEqualTo(before.rowChecksums());
            assertThat(before.geometryChecksums()).containsKey("grid.boundary").hasSizeGreaterThan(3);
            assertThat(after.geometryChecksums()).isEqualTo(before.geometryChecksums());
            assertThat(after.sequences()).isEqualTo(before.sequences());
            assertThat(after.flywayHistory()).isNotEmpty().isEqualTo(before.flywayHistory());
            assertThat(restoredPhotos.resolve("ab/ab12-photo.jpg")).hasBinaryContent(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});

            // Restoring again over the now non-empty database replaces rather than duplicates (--clean).
            backup.restore(target, restoredPhotos, archive);
            assertThat(snapshot(fresh.jdbcUrl(), fresh.username(), fresh.password()).rowCounts()).isEqualTo(before.rowCounts());
        } finally {
            fresh.stop();
            deleteRecursively(fresh.dataDir());
            Files.deleteIfExists(fresh.credentials());
            if (!fresh.dataDir().startsWith(temp)) {
                Files.deleteIfExists(fresh.dataDir().getParent()); // the /var/lib/civicgrid/<key> fallback when root
            }
        }
    }

    @Test
    void theDumpIsCustomFormatAndTheRestoreIsAllOrNothing() {
        Backup backup = new Backup(PostgresBinaries.locate(java.util.Optional.empty()));
        Backup.Target target = Backup.Target.ofJdbcUrl("jdbc:postgresql://db.example:6543/city?sslmode=require", "u", "p");
        assertThat(target).isEqualTo(new Backup.Target("db.example", 6543, "city", "u", "p"));
        assertThat(backup.dumpCommand(target, Path.of("x.dump"))).contains("--format=custom", "--host=db.example", "--port=6543",
                "--dbname=city", "--username=u").noneMatch(arg -> arg.contains("p\u0000") || arg.equals("p"));
        assertThat(backup.restoreCommand(target, Path.of("x.dump"))).contains("--single-transaction", "--exit-on-error", "--clean", "--if-exists");
    }

    record Snapshot(Map<String, Long> rowCounts, Map<String, String> rowChecksums, Map<String, String> geometryChecksums,
                    Map<String, Long> sequences, List<String> flywayHistory) {
    }

    private static Snapshot snapshot(String url, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            List<String> tables = strings(st, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                    + " AND table_type = 'BASE TABLE' ORDER BY table_name");
            Map<String, Long> counts = new LinkedHashMap<>();
            Map<String, String> checksums = new LinkedHashMap<>();
            for (String table : tables) {
                String quoted = "\"" + table.replace("\"", "\"\"") + "\"";
                counts.put(table, Long.parseLong(strings(st, "SELECT count(*) FROM " + quoted).get(0)));
                checksums.put(table, strings(st, "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM " + quoted + " t").get(0));
            }
            Map<String, String> geometries = new LinkedHashMap<>();
            for (String column : strings(st, "SELECT f_table_name || '.' || f_geometry_column FROM geometry_columns"
                    + " WHERE f_table_schema = 'public' ORDER BY 1")) {
                String[] parts = column.split("\\.");
                String expr = "encode(ST_AsEWKB(\"" + parts[1] + "\"), 'hex')";
                geometries.put(column, strings(st, "SELECT count(" + expr + ") || ':' || md5(coalesce(string_agg(" + expr + ", ',' ORDER BY "
                        + expr + "), '')) FROM \"" + parts[0] + "\"").get(0));
            }
            Map<String, Long> sequences = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences"
                    + " WHERE schemaname = 'public' ORDER BY 1")) {
                while (rs.next()) {
                    sequences.put(rs.getString(1), rs.getLong(2));
                }
            }
            List<String> flyway = tables.contains("flyway_schema_history")
                    ? strings(st, "SELECT installed_rank || ' ' || coalesce(version, '') || ' ' || coalesce(checksum::text, '') || ' ' || success"
                            + " FROM flyway_schema_history ORDER BY installed_rank")
                    : List.of();
            return new Snapshot(counts, checksums, geometries, sequences, flyway);
        }
    }

    private static List<String> strings(Statement st, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
