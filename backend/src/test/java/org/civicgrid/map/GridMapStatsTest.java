package org.civicgrid.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.Map;

import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * The per-grid map statistics (V5) stay equal to the problems and points they summarise, through every
 * kind of write and through time passing (lights turning red with no write at all).
 */
@CivicGridIntegrationTest
@Transactional
class GridMapStatsTest {

    /** Grids whose statistics differ from a fresh count of their problems and points at the statistics' instant. */
    private static final String MISMATCHED_GRIDS = """
            WITH clock AS (SELECT swept_until AS at FROM map_stats_clock),
            live AS (SELECT p.grid_id,
                            count(*) FILTER (WHERE problem_is_open(p.status)) AS open,
                            count(*) FILTER (WHERE p.status = 'CLOSED') AS closed,
                            count(*) FILTER (WHERE p.status = 'CLOSED' AND p.closed_at <= p.deadline_at) AS closed_on_time,
                            count(*) FILTER (WHERE problem_light(p.status, p.warning_at, p.deadline_at, clock.at) = 'RED') AS red,
                            count(*) FILTER (WHERE problem_light(p.status, p.warning_at, p.deadline_at, clock.at) = 'YELLOW') AS yellow,
                            count(*) FILTER (WHERE problem_light(p.status, p.warning_at, p.deadline_at, clock.at) = 'GREEN') AS green,
                            coalesce(sum(ST_X(p.location)) FILTER (WHERE problem_is_open(p.status)), 0) AS lon
                     FROM problem p CROSS JOIN clock WHERE p.grid_id IS NOT NULL GROUP BY p.grid_id),
            points AS (SELECT grid_id, count(*) AS n FROM measurement_point WHERE grid_id IS NOT NULL GROUP BY grid_id)
            SELECT count(*) FROM grid g
            LEFT JOIN grid_map_stats s ON s.grid_id = g.id LEFT JOIN live l ON l.grid_id = g.id LEFT JOIN points pt ON pt.grid_id = g.id
            WHERE (coalesce(s.open, 0), coalesce(s.overdue, 0), coalesce(s.red, 0), coalesce(s.yellow, 0), coalesce(s.green, 0),
                   coalesce(s.closed, 0), coalesce(s.closed_on_time, 0), coalesce(s.points, 0))
                  IS DISTINCT FROM
                  (coalesce(l.open, 0), coalesce(l.red, 0), coalesce(l.red, 0), coalesce(l.yellow, 0), coalesce(l.green, 0),
                   coalesce(l.closed, 0), coalesce(l.closed_on_time, 0), coalesce(pt.n, 0))
               OR abs(coalesce(s.open_lon_sum, 0) - coalesce(l.lon, 0)) > 1e-6""";

    @Autowired
    JdbcClient jdbc;

    private long gridA;
    private long gridB;

    @BeforeEach
    void pickTwoGrids() {
        gridA = jdbc.sql("SELECT id FROM grid WHERE valid_to IS NULL ORDER BY code LIMIT 1").query(Long.class).single();
        gridB = jdbc.sql("SELECT id FROM grid WHERE valid_to IS NULL ORDER BY code OFFSET 100 LIMIT 1").query(Long.class).single();
    }

    private long mismatchedGrids() {
        // Deferred triggers run at commit; this test rolls back, so it runs them now.
        jdbc.sql("SET CONSTRAINTS ALL IMMEDIATE").update();
        return jdbc.sql(MISMATCHED_GRIDS).query(Long.class).single();
    }

    private Map<String, Object> row(long gridId) {
        jdbc.sql("SET CONSTRAINTS ALL IMMEDIATE").update();
        return jdbc.sql("SELECT open, overdue, red, yellow, green, closed, closed_on_time, points FROM grid_map_stats WHERE grid_id = ?")
                .param(gridId).query().singleRow();
    }

    /** A problem in the grid's interior; times are offsets (SQL intervals, null for none) from {@code base}. */
    private long insertProblem(long gridId, String status, Timestamp base, String acceptedAgo, String warningIn, String deadlineIn) {
        return jdbc.sql("""
                INSERT INTO problem (category_code, status, location, description, reported_at, accepted_at, warning_at, deadline_at)
                SELECT (SELECT code FROM problem_category ORDER BY code LIMIT 1), :status, ST_PointOnSurface(g.boundary), 'map statistics test',
                       CAST(:base AS timestamptz) - coalesce(CAST(:acceptedAgo AS interval), interval '0') - interval '1 hour',
                       CAST(:base AS timestamptz) - CAST(:acceptedAgo AS interval),
                       CAST(:base AS timestamptz) + CAST(:warningIn AS interval),
                       CAST(:base AS timestamptz) + CAST(:deadlineIn AS interval)
                FROM grid g WHERE g.id = :grid RETURNING id""")
                .param("status", status).param("base", base).param("acceptedAgo", acceptedAgo).param("warningIn", warningIn)
                .param("deadlineIn", deadlineIn).param("grid", gridId).query(Long.class).single();
    }

    private Timestamp now() {
        return jdbc.sql("SELECT clock_timestamp()").query(Timestamp.class).single();
    }

    private static long value(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    @Test
    void theDemoCityIsSummarisedExactly() {
        assertThat(mismatchedGrids()).isZero();
        assertThat(jdbc.sql("SELECT sum(open) FROM grid_map_stats").query(Long.class).single())
                .isEqualTo(jdbc.sql("SELECT count(*) FROM problem WHERE problem_is_open(status) AND grid_id IS NOT NULL").query(Long.class).single())
                .isPositive();
    }

    @Test
    void insertsMovesClosuresAndDeletesKeepTheStatisticsExact() {
        Map<String, Object> before = row(gridA);
        Timestamp clock = jdbc.sql("SELECT swept_until FROM map_stats_clock").query(Timestamp.class).single();
        long overdue = insertProblem(gridA, "DISPATCHED", clock, "3 days", "-1 day", "-2 hours");
        long onTime = insertProblem(gridA, "IN_PROGRESS", clock, "1 hour", "1 day", "2 days");
        long moving = insertProblem(gridA, "ACCEPTED", clock, "1 hour", "1 day", "2 days");
        long deleted = insertProblem(gridA, "REPORTED", clock, null, null, null);

        Map<String, Object> added = row(gridA);
        assertThat(value(added, "open") - value(before, "open")).isEqualTo(4);
        assertThat(value(added, "red") - value(before, "red")).isEqualTo(1);
        assertThat(value(added, "overdue") - value(before, "overdue")).isEqualTo(1);
        assertThat(value(added, "green") - value(before, "green")).isEqualTo(2);

        jdbc.sql("UPDATE problem SET status = 'CLOSED', closed_at = clock_timestamp() WHERE id IN (?, ?)").params(overdue, onTime).update();
        jdbc.sql("UPDATE problem SET location = (SELECT ST_PointOnSurface(boundary) FROM grid WHERE id = ?) WHERE id = ?").params(gridB, moving).update();
        jdbc.sql("DELETE FROM problem WHERE id = ?").param(deleted).update();
        jdbc.sql("""
                INSERT INTO measurement_point (type_code, name, geom)
                SELECT 'BANK', 'map statistics test', ST_PointOnSurface(boundary) FROM grid WHERE id = ?""").param(gridA).update();

        Map<String, Object> after = row(gridA);
        assertThat(value(after, "open")).isEqualTo(value(before, "open"));
        assertThat(value(after, "closed") - value(before, "closed")).isEqualTo(2);
        assertThat(value(after, "closed_on_time") - value(before, "closed_on_time")).as("only the one closed before its deadline").isEqualTo(1);
        assertThat(value(after, "points") - value(before, "points")).isEqualTo(1);
        assertThat(mismatchedGrids()).isZero();
    }

    @Test
    void aDeadlinePassingTurnsTheGridRedAtTheNextSweepAndChangesTheLightsRevision() {
        Timestamp sweptAt = now();
        jdbc.sql("SELECT sweep_map_stats(?)").param(sweptAt).query(Integer.class).single();
        insertProblem(gridA, "DISPATCHED", sweptAt, "1 day", "-1 hour", "1 second");
        Map<String, Object> beforeDeadline = row(gridA);
        long revision = jdbc.sql("SELECT revision FROM layer_revision WHERE layer = 'lights'").query(Long.class).single();

        int changedGrids = jdbc.sql("SELECT sweep_map_stats(CAST(? AS timestamptz) + interval '2 seconds')").param(sweptAt)
                .query(Integer.class).single();

        Map<String, Object> afterDeadline = row(gridA);
        assertThat(changedGrids).isGreaterThanOrEqualTo(1);
        assertThat(value(afterDeadline, "red") - value(beforeDeadline, "red")).isEqualTo(1);
        assertThat(value(afterDeadline, "overdue") - value(beforeDeadline, "overdue")).isEqualTo(1);
        assertThat(value(afterDeadline, "yellow") - value(beforeDeadline, "yellow")).isEqualTo(-1);
        assertThat(jdbc.sql("SELECT revision FROM layer_revision WHERE layer = 'lights'").query(Long.class).single()).isGreaterThan(revision);
        assertThat(mismatchedGrids()).isZero();
    }

    @Test
    void aRebuildGivesTheSameRows() {
        String totals = "SELECT concat_ws(',', sum(open), sum(closed), sum(closed_on_time), sum(points)) FROM grid_map_stats";
        String before = jdbc.sql(totals).query(String.class).single();
        jdbc.sql("SELECT rebuild_grid_map_stats()").query().listOfRows();
        assertThat(mismatchedGrids()).isZero();
        assertThat(jdbc.sql(totals).query(String.class).single()).isEqualTo(before);
    }
}
