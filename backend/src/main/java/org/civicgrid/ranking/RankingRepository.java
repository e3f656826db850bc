package org.civicgrid.ranking;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The week's raw figures of every peer of a level under a parent prefix, counted in the database. Areas group
 * by the leading digits of their grid's code; departments by the problem's handler department.
 */
@Repository
class RankingRepository {

    /** The area (or department) a problem counts for; :codeLength 0 = department. */
    private static final String PROBLEM_KEY = "CASE WHEN :level = 'department' THEN p.handler_department_code ELSE left(g.code, :codeLength) END";

    static final String FIGURES = """
            WITH peers AS (
                SELECT code, name FROM street WHERE :level = 'street' AND code LIKE :parent
                UNION ALL SELECT code, name FROM community WHERE :level = 'community' AND code LIKE :parent
                UNION ALL SELECT code, name FROM grid WHERE :level = 'grid' AND valid_to IS NULL AND code LIKE :parent
                UNION ALL SELECT code, name_zh FROM department WHERE :level = 'department'),
            closed AS (
                SELECT KEY AS code, count(*) AS closed, count(*) FILTER (WHERE p.closed_at <= p.deadline_at) AS on_time
                FROM grid g CROSS JOIN LATERAL (
                    SELECT p.closed_at, p.deadline_at, p.handler_department_code FROM problem p
                    WHERE p.grid_id = g.id AND p.closed_at >= :weekStart AND p.closed_at < :weekEnd) p
                WHERE g.code LIKE :parent
                GROUP BY 1),
            -- Per grid of the parent (short ranges of the V6 per-grid indexes), not per problem of the city.
            overdue AS (
                SELECT KEY AS code, count(*) AS overdue
                FROM grid g CROSS JOIN LATERAL (
                    SELECT p.handler_department_code FROM problem p
                    WHERE p.grid_id = g.id AND p.closed_at IS NULL AND p.deadline_at IS NOT NULL
                      AND p.status NOT IN ('REJECTED', 'SUSPENDED') AND p.deadline_at < :weekEnd
                    UNION ALL
                    SELECT p.handler_department_code FROM problem p
                    WHERE p.grid_id = g.id AND p.closed_at > p.deadline_at AND p.closed_at >= :weekEnd AND p.deadline_at < :weekEnd) p
                WHERE g.code LIKE :parent
                GROUP BY 1),
            verdicts AS (
                SELECT KEY AS code, count(*) FILTER (WHERE e.action = 'RETURN') AS returned, count(*) AS handled
                FROM problem_event e JOIN problem p ON p.id = e.problem_id JOIN grid g ON g.id = p.grid_id
                WHERE e.action IN ('CLOSE', 'RETURN') AND e.occurred_at >= :weekStart AND e.occurred_at < :weekEnd AND g.code LIKE :parent
                GROUP BY 1),
            inspections AS (
                SELECT left(g.code, :codeLength) AS code, avg(i.score_rate) AS score_rate
                FROM inspection i JOIN grid g ON g.id = i.grid_id
                WHERE :level <> 'department' AND i.status = 'SUBMITTED' AND i.submitted_at >= :weekStart AND i.submitted_at < :weekEnd
                  AND i.score_rate IS NOT NULL AND g.code LIKE :parent
                GROUP BY 1),
            external AS (
                SELECT left(g.code, :codeLength) AS code, sum(x.score) / sum(x.max_score) AS rate
                FROM external_evaluation x JOIN measurement_point mp ON mp.id = x.point_id JOIN grid g ON g.id = mp.grid_id
                WHERE :level <> 'department' AND x.evaluated_on >= :externalFrom AND x.evaluated_on <= :externalTo AND g.code LIKE :parent
                GROUP BY 1)
            SELECT a.code, a.name, coalesce(c.closed, 0) AS closed, coalesce(c.on_time, 0) AS on_time, coalesce(o.overdue, 0) AS overdue,
                   coalesce(v.returned, 0) AS returned, coalesce(v.handled, 0) AS handled, i.score_rate::float8 AS score_rate,
                   x.rate::float8 AS external_rate
            FROM peers a LEFT JOIN closed c ON c.code = a.code LEFT JOIN overdue o ON o.code = a.code
            LEFT JOIN verdicts v ON v.code = a.code LEFT JOIN inspections i ON i.code = a.code LEFT JOIN external x ON x.code = a.code
            ORDER BY a.code""".replace("KEY", PROBLEM_KEY);

    static final String WEIGHTS = "SELECT component, weight::float8 FROM ranking_weight ORDER BY sort_order";
    static final String UPDATE_WEIGHT = "UPDATE ranking_weight SET weight = :weight WHERE component = :component";
    static final String AREA_EXISTS = """
            SELECT EXISTS (SELECT 1 FROM district WHERE code = :code) OR EXISTS (SELECT 1 FROM street WHERE code = :code)
                OR EXISTS (SELECT 1 FROM community WHERE code = :code) OR EXISTS (SELECT 1 FROM grid WHERE code = :code AND valid_to IS NULL)""";

    /** A peer's counts for one week. */
    record Figures(String code, String name, long closed, long onTime, long overdue, long returned, long handled, Double scoreRate,
                   Double externalRate) {
    }

    private final JdbcClient jdbc;

    RankingRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Figures> figures(RankingLevel level, String parentPrefix, Instant weekStart, Instant weekEnd, LocalDate externalFrom,
                          LocalDate externalTo) {
        return jdbc.sql(FIGURES).param("level", level.parameterValue).param("codeLength", level.codeLength)
                .param("parent", parentPrefix + "%")
                .param("weekStart", weekStart.atOffset(java.time.ZoneOffset.UTC)).param("weekEnd", weekEnd.atOffset(java.time.ZoneOffset.UTC))
                .param("externalFrom", externalFrom).param("externalTo", externalTo)
                .query((rs, n) -> new Figures(rs.getString("code"), rs.getString("name"), rs.getLong("closed"), rs.getLong("on_time"),
                        rs.getLong("overdue"), rs.getLong("returned"), rs.getLong("handled"), (Double) rs.getObject("score_rate"),
                        (Double) rs.getObject("external_rate")))
                .list();
    }

    RankingWeights weights() {
        Map<String, Double> byName = new LinkedHashMap<>();
        jdbc.sql(WEIGHTS).query((rs, n) -> byName.put(rs.getString(1), rs.getDouble(2))).list();
        return RankingWeights.of(byName);
    }

    void saveWeights(RankingWeights weights) {
        weights.asMap().forEach((component, weight) -> jdbc.sql(UPDATE_WEIGHT).param("weight", weight).param("component", component).update());
    }

    boolean areaExists(String code) {
        return Boolean.TRUE.equals(jdbc.sql(AREA_EXISTS).param("code", code).query(Boolean.class).single());
    }
}
