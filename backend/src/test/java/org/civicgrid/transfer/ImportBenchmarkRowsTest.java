package org.civicgrid.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The import row of the benchmark table reports the median of its rounds, and every round below it. */
class ImportBenchmarkRowsTest {

    private static ImportBenchmark.Comparison round(long oursMillis, long ogrMillis) {
        return new ImportBenchmark.Comparison(1_000_000, 279 << 20, 26 << 20, Duration.ofMillis(oursMillis - 400), Duration.ofMillis(400),
                1_000_000, Duration.ofMillis(ogrMillis));
    }

    @Test
    void theTableShowsTheMedianRoundAndListsEveryRoundInRunOrder() {
        List<String> rows = ImportBenchmark.rows(List.of(round(13_000, 12_000), round(10_000, 13_000), round(12_000, 13_200)));

        assertThat(rows.get(0)).startsWith("import GeoJSON 1000000 points").endsWith(" 1.10"); // 13.2 / 12.0, not 0.92 or 1.30
        assertThat(rows.get(1)).contains("CivicGrid 12.0 s").contains("ogr2ogr 13.2 s");
        assertThat(rows.get(2)).contains("13.0/12.0 = 0.92, 10.0/13.0 = 1.30, 12.0/13.2 = 1.10");
    }

    @Test
    void anEvenNumberOfRoundsShowsTheLowerMiddleOne() {
        List<String> rows = ImportBenchmark.rows(List.of(round(10_000, 13_000), round(13_000, 12_000)));

        assertThat(rows.get(0)).endsWith(" 0.92");
    }

    @Test
    void oneRoundHasNoRoundsLine() {
        assertThat(ImportBenchmark.rows(round(10_000, 13_000))).hasSize(2);
    }
}
