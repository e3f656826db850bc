package org.civicgrid.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Import speed beside ogr2ogr into the same PostGIS: run with -Dimport.bench=100000 (needs ogr2ogr on the PATH).
 * Prints both times; the rows it adds stay in the test database, so it is not part of the normal suite.
 */
@CivicGridIntegrationTest
@EnabledIfSystemProperty(named = "import.bench", matches = "\\d+")
class ImportBenchmarkTest {

    @Autowired
    ImportBenchmark benchmark;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void importBesideOgr2ogr() throws Exception {
        int n = Integer.parseInt(System.getProperty("import.bench"));
        Path file = benchmark.writePointFile(Files.createTempFile("bench-points", ".geojson"), n, "bench-" + System.nanoTime());
        try {
            HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
            String url = hikari.getJdbcUrl(); // jdbc:postgresql://host:port/db
            String hostPortDb = url.substring("jdbc:postgresql://".length());
            String host = hostPortDb.substring(0, hostPortDb.indexOf(':'));
            String port = hostPortDb.substring(hostPortDb.indexOf(':') + 1, hostPortDb.indexOf('/'));
            String db = hostPortDb.substring(hostPortDb.indexOf('/') + 1).replaceAll("\\?.*", "");
            String pg = "PG:host=" + host + " port=" + port + " dbname=" + db + " user=" + hikari.getUsername() + " password=" + hikari.getPassword();
            Instant ogrStart = Instant.now();
            Process ogr = new ProcessBuilder(List.of("ogr2ogr", "-f", "PostgreSQL", pg, file.toString(), "-nln", "ogr_bench_points", "-overwrite",
                    "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST")).inheritIO().start();
            assertThat(ogr.waitFor()).isZero();
            Duration ogrTime = Duration.between(ogrStart, Instant.now());

            ImportBenchmark.Result ours = benchmark.importPoints(file);
            assertThat((long) ours.created() + ours.updated()).isEqualTo(jdbc.sql("SELECT count(*) FROM ogr_bench_points").query(Long.class).single());
            System.out.printf("IMPORT BENCHMARK %d points (%d MB GeoJSON): CivicGrid %d ms (preview %d ms + commit %d ms), ogr2ogr %d ms, ratio %.2f%n",
                    ours.rows(), Files.size(file) >> 20, ours.total().toMillis(), ours.preview().toMillis(), ours.commit().toMillis(),
                    ogrTime.toMillis(), (double) ours.total().toMillis() / ogrTime.toMillis());
        } finally {
            Files.deleteIfExists(file);
            jdbc.sql("DROP TABLE IF EXISTS ogr_bench_points").update();
        }
    }
}
