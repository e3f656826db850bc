package org.civicgrid.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The benchmark's import row on the test city: run with -Dimport.bench=1000000 (ogr2ogr on the PATH for the
 * comparison). Prints the rows the benchmark table shows; the imported points and the ogr2ogr table are removed.
 */
@CivicGridIntegrationTest
@EnabledIfSystemProperty(named = "import.bench", matches = "\\d+")
class ImportBenchmarkTest {

    @Autowired
    ImportBenchmark benchmark;

    @Autowired
    JdbcClient jdbc;

    @Test
    void importBesideOgr2ogr() throws Exception {
        int n = Integer.parseInt(System.getProperty("import.bench"));
        long before = jdbc.sql("SELECT count(*) FROM measurement_point").query(Long.class).single();
        ImportBenchmark.Comparison result = benchmark.compare(n);
        ImportBenchmark.rows(result).forEach(row -> System.out.println("IMPORT BENCHMARK " + row));
        assertThat(result.created()).isEqualTo(n);
        assertThat(jdbc.sql("SELECT count(*) FROM measurement_point").query(Long.class).single()).as("cleaned up").isEqualTo(before);
        assertThat(jdbc.sql("SELECT to_regclass('ogr_bench_points') IS NULL").query(Boolean.class).single()).isTrue();
    }
}
