package org.civicgrid.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.CallerScope;
import org.civicgrid.web.BoundingBox;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The weekly hexagon counts (V12) that answer the city-wide heatmap give the same cells and counts as
 * binning the problems themselves, and follow every write.
 */
@CivicGridIntegrationTest
@Transactional
class WeeklyHeatTest {

    /** Wider than the demo city: no hexagon is cut by the box, so the centre rule and the point rule agree. */
    private static final BoundingBox EVERYWHERE = new BoundingBox(119.0, 30.0, 122.0, 32.5);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    Indicators indicators;

    private CallerScope wholeCity() {
        return new CallerScope(jdbc.sql("SELECT code FROM district").query(String.class).list(), Optional.empty(), true);
    }

    private LocalDate busiestWeek() {
        return jdbc.sql("SELECT problem_week(reported_at) FROM problem GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
                .query(LocalDate.class).single();
    }

    private Map<String, Long> cells(String sql, Period period, int zoom, String status) {
        jdbc.sql("SET CONSTRAINTS ALL IMMEDIATE").update();
        JsonNode answer = json.readTree(jdbc.sql(sql)
                .params(IndicatorQueries.heatmapParameters(wholeCity(), EVERYWHERE, zoom, period, IndicatorFilters.NONE, status))
                .query(String.class).single());
        Map<String, Long> counts = new TreeMap<>();
        answer.path("features").forEach(f -> counts.put(f.path("properties").path("cellId").asString(), f.path("properties").path("count").asLong()));
        return counts;
    }

    @Test
    void theWeeklyHexagonsEqualTheProblemsBinnedDirectly() {
        LocalDate monday = busiestWeek();
        Period week = new Period(monday, monday.plusDays(6));
        assertThat(IndicatorQueries.heatmapPrecomputable(wholeCity(), 11, week, IndicatorFilters.NONE)).isTrue();
        for (int zoom : List.of(9, 12)) {
            for (String status : List.of("all", "open", "closed")) {
                Map<String, Long> live = cells(IndicatorQueries.HEATMAP, week, zoom, status);
                assertThat(cells(IndicatorQueries.HEATMAP_PRECOMPUTED, week, zoom, status)).as("zoom %d, %s", zoom, status)
                        .isEqualTo(live);
                if (!status.equals("closed")) {
                    assertThat(live).as("zoom %d, %s", zoom, status).isNotEmpty();
                }
            }
        }
    }

    @Test
    void aNewProblemAndItsClosureMoveTheCounts() {
        LocalDate monday = busiestWeek();
        Period week = new Period(monday, monday.plusDays(6));
        long total = cells(IndicatorQueries.HEATMAP_PRECOMPUTED, week, 11, "all").values().stream().mapToLong(Long::longValue).sum();
        long closed = cells(IndicatorQueries.HEATMAP_PRECOMPUTED, week, 11, "closed").values().stream().mapToLong(Long::longValue).sum();

        long id = jdbc.sql("""
                INSERT INTO problem (category_code, status, location, description, reported_at)
                SELECT (SELECT code FROM problem_category ORDER BY code LIMIT 1), 'REPORTED', ST_PointOnSurface(boundary), 'heat test',
                       (CAST(? AS date) + interval '2 days 10 hours') AT TIME ZONE 'Asia/Shanghai'
                FROM grid WHERE valid_to IS NULL ORDER BY code LIMIT 1 RETURNING id""").param(monday).query(Long.class).single();
        assertThat(cells(IndicatorQueries.HEATMAP_PRECOMPUTED, week, 11, "all").values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(total + 1);

        jdbc.sql("UPDATE problem SET status = 'CLOSED', accepted_at = reported_at, closed_at = reported_at + interval '1 hour' WHERE id = ?")
                .param(id).update();
        assertThat(cells(IndicatorQueries.HEATMAP_PRECOMPUTED, week, 11, "closed").values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(closed + 1);
        assertThat(cells(IndicatorQueries.HEATMAP_PRECOMPUTED, week, 11, "all")).isEqualTo(cells(IndicatorQueries.HEATMAP, week, 11, "all"));
    }

    @Test
    void theCellOfAPointIsTheHexagonThatHoldsIt() {
        long outside = jdbc.sql("""
                SELECT count(*) FROM (SELECT ST_Transform(location, 3857) AS m FROM problem ORDER BY id LIMIT 2000) p
                CROSS JOIN heat_zoom z CROSS JOIN LATERAL (SELECT hex_cell(ST_X(p.m), ST_Y(p.m), z.size) AS c) cell
                WHERE NOT ST_Intersects(ST_SetSRID(ST_Hexagon(z.size, c[1], c[2]), 3857), p.m)""").query(Long.class).single();
        assertThat(outside).isZero();
    }
}
