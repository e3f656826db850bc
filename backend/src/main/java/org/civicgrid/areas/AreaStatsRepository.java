package org.civicgrid.areas;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.civicgrid.map.MapFilters;
import org.civicgrid.security.CallerScope;
import org.civicgrid.web.BoundingBox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.databind.ObjectMapper;

/**
 * Rectification status by area, built in the database: one fixed query for every level, grouping
 * problems by the leading digits of their grid's code (a subtree shares its root's code as prefix).
 */
@Repository
class AreaStatsRepository {

    /** The areas of a level, in scope; each branch is skipped by the planner unless its level is asked. */
    private static final String AREAS = """
            areas AS (
                SELECT a.code, a.name, a.parent_code, a.boundary FROM (
                    SELECT code, name, CAST(NULL AS varchar) AS parent_code, boundary FROM district WHERE :level = 'district'
                    UNION ALL SELECT code, name, district_code, boundary FROM street WHERE :level = 'street'
                    UNION ALL SELECT code, name, street_code, boundary FROM community WHERE :level = 'community'
                    UNION ALL SELECT code, name, community_code, boundary FROM grid WHERE :level = 'grid' AND valid_to IS NULL) a
                WHERE a.code LIKE ANY (string_to_array(:scope, ',')) AND a.code LIKE :within
                  AND a.boundary && ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326))""";

    /** Counts per area: open, overdue, closed, due to close (closed or past the deadline), closed on time. */
    private static final String STATS_FROM_PROBLEMS = """
            stats AS (
                SELECT left(g.code, :codeLength) AS code,
                       count(*) FILTER (WHERE problem_is_open(p.status)) AS open,
                       count(*) FILTER (WHERE problem_is_open(p.status) AND p.status <> 'SUSPENDED' AND p.deadline_at < now()) AS overdue,
                       count(*) FILTER (WHERE p.status = 'CLOSED') AS closed,
                       count(*) FILTER (WHERE p.status = 'CLOSED'
                                        OR (problem_is_open(p.status) AND p.status <> 'SUSPENDED' AND p.deadline_at < now())) AS due,
                       count(*) FILTER (WHERE p.status = 'CLOSED' AND p.closed_at <= p.deadline_at) AS closed_on_time
                FROM problem p JOIN grid g ON g.id = p.grid_id
                WHERE g.code LIKE ANY (string_to_array(:scope, ',')) AND left(g.code, :codeLength) IN (SELECT code FROM areas)
                  AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            """ + MapFilters.PROBLEM_CONDITIONS + """
                GROUP BY 1),
            """;

    /**
     * The same counts from the per-grid statistics (V5), for the unfiltered map: one row per grid instead of every problem.
     * Each area reads the range of grid codes under its own code from the pattern index ({@code ~>=~ code}, {@code ~<~ code
     * || ':'}, ':' following '9'), so a view of twenty streets reads their thousand grids, not the city's hundred thousand.
     */
    private static final String STATS_FROM_GRID_STATS = """
            stats AS (
                SELECT a.code, sum(s.open) AS open, sum(s.overdue) AS overdue, sum(s.closed) AS closed,
                       sum(s.closed + s.overdue) AS due, sum(s.closed_on_time) AS closed_on_time
                FROM areas a JOIN grid_map_stats s ON s.code ~>=~ a.code AND s.code ~<~ (a.code || ':')
                WHERE s.code LIKE ANY (string_to_array(:scope, ','))
                GROUP BY 1),
            """;

    private static final String MEASURED = """
            grid_counts AS (
                SELECT a.code, count(*) AS grids FROM areas a
                JOIN grid g ON g.valid_to IS NULL AND g.code ~>=~ a.code AND g.code ~<~ (a.code || ':') GROUP BY 1),
            scores AS (
                SELECT left(g.code, :codeLength) AS code, avg(i.score_rate) AS score
                FROM inspection i JOIN grid g ON g.id = i.grid_id
                WHERE i.status = 'SUBMITTED' AND left(g.code, :codeLength) IN (SELECT code FROM areas) GROUP BY 1),
            measured AS (
                SELECT a.*, coalesce(s.open, 0) AS open, coalesce(s.overdue, 0) AS overdue, coalesce(s.closed, 0) AS closed,
                       coalesce(s.due, 0) AS due, coalesce(s.closed_on_time, 0) AS closed_on_time,
                       coalesce(gc.grids, 0) AS grids, sc.score,
                       CASE :metric
                           WHEN 'open' THEN coalesce(s.open, 0)::float8 / greatest(gc.grids, 1)
                           WHEN 'overdue' THEN coalesce(s.overdue, 0)::float8 / greatest(gc.grids, 1)
                           WHEN 'closure' THEN s.closed::float8 / nullif(s.due, 0)
                           WHEN 'onTimeClosure' THEN s.closed_on_time::float8 / nullif(s.due, 0)
                           ELSE sc.score::float8 END AS value
                FROM areas a LEFT JOIN stats s ON s.code = a.code LEFT JOIN grid_counts gc ON gc.code = a.code
                LEFT JOIN scores sc ON sc.code = a.code)""";

    private static final String FEATURES = """
            SELECT json_build_object('type', 'FeatureCollection', 'legend', CAST(:legend AS json),
                   'features', coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'id', m.code, 'geometry', ST_AsGeoJSON(m.boundary, 7)::json,
                       'properties', json_build_object(
                           'code', m.code, 'name', m.name, 'level', :level, 'parentCode', m.parent_code,
                           'value', round(m.value::numeric, 4), 'light', CASE
                               WHEN m.value IS NULL THEN 'NONE'
                               WHEN :higherIsBetter AND m.value >= :greenLimit THEN 'GREEN'
                               WHEN :higherIsBetter AND m.value >= :yellowLimit THEN 'YELLOW'
                               WHEN :higherIsBetter THEN 'RED'
                               WHEN m.value <= :greenLimit THEN 'GREEN'
                               WHEN m.value <= :yellowLimit THEN 'YELLOW'
                               ELSE 'RED' END,
                           'open', m.open, 'overdue', m.overdue, 'closed', m.closed, 'dueToClose', m.due,
                           'closedOnTime', m.closed_on_time, 'grids', m.grids, 'scoreRate', round(m.score, 4)))
                   ORDER BY m.code), '[]'::json))::text
            FROM measured m""";

    static final String AREA_STATS = "WITH " + AREAS + ",\n" + STATS_FROM_PROBLEMS + MEASURED + FEATURES;
    static final String AREA_STATS_PRECOMPUTED = "WITH " + AREAS + ",\n" + STATS_FROM_GRID_STATS + MEASURED + FEATURES;

    static final String BY_STATUS = """
            SELECT p.status, count(*) FROM problem p JOIN grid g ON g.id = p.grid_id
            WHERE g.code LIKE :within AND g.code LIKE ANY (string_to_array(:scope, ','))
              AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            """ + MapFilters.PROBLEM_CONDITIONS + " GROUP BY p.status ORDER BY p.status";
    static final String BY_CATEGORY = """
            SELECT p.category_code, c.name_zh, count(*) AS n FROM problem p JOIN grid g ON g.id = p.grid_id
            JOIN problem_category c ON c.code = p.category_code
            WHERE g.code LIKE :within AND g.code LIKE ANY (string_to_array(:scope, ',')) AND problem_is_open(p.status)
              AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            """ + MapFilters.PROBLEM_CONDITIONS + " GROUP BY p.category_code, c.name_zh ORDER BY n DESC, p.category_code LIMIT 20";
    static final String OVERDUE_LIST = """
            SELECT p.id, c.name_zh AS category_name, mp.name AS point_name, p.deadline_at FROM problem p
            JOIN grid g ON g.id = p.grid_id JOIN problem_category c ON c.code = p.category_code
            LEFT JOIN measurement_point mp ON mp.id = p.point_id
            WHERE g.code LIKE :within AND g.code LIKE ANY (string_to_array(:scope, ','))
              AND problem_is_open(p.status) AND p.status <> 'SUSPENDED' AND p.deadline_at < now()
              AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            """ + MapFilters.PROBLEM_CONDITIONS + " ORDER BY p.deadline_at, p.id LIMIT 20";
    static final String GRID_OWNERS = """
            SELECT u.display_name, u.phone FROM grid g JOIN grid_owner o ON o.grid_id = g.id JOIN app_user u ON u.id = o.user_id
            WHERE g.code = :code AND g.valid_to IS NULL ORDER BY u.username""";
    static final String AREA_LEADERS = """
            SELECT u.display_name, u.phone FROM user_area_scope s JOIN app_user u ON u.id = s.user_id
            JOIN user_role r ON r.user_id = u.id AND r.role = 'LEADER'
            WHERE s.area_code = :code AND u.enabled ORDER BY u.username""";

    record Owner(String name, String phone) {
    }

    record OverdueItem(long id, String categoryName, String pointName, java.time.Instant deadlineAt) {
    }

    record CategoryCount(String code, String name, long count) {
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    AreaStatsRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The areas of {@code level} inside {@code within} (a code prefix, "" for all) and the box, with their metric. */
    String areaStats(AreaLevel level, String within, BoundingBox box, AreaMetric metric, CallerScope scope, MapFilters filters) {
        return statement(precomputable(scope, filters) ? AREA_STATS_PRECOMPUTED : AREA_STATS, level, within, scope, filters, box)
                .param("metric", metric.parameterValue).param("legend", json.writeValueAsString(metric.legend()))
                .param("higherIsBetter", metric.higherIsBetter).param("greenLimit", metric.greenLimit)
                .param("yellowLimit", metric.yellowLimit)
                .query(String.class).single();
    }

    Map<String, Long> byStatus(String code, CallerScope scope, MapFilters filters) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        filters.bind(jdbc.sql(BY_STATUS)).param("within", code + "%").param("scope", scope.codePatterns())
                .param("department", scope.departmentCode().orElse(null))
                .query((rs, n) -> counts.put(rs.getString(1), rs.getLong(2))).list();
        return counts;
    }

    List<CategoryCount> byCategory(String code, CallerScope scope, MapFilters filters) {
        return filters.bind(jdbc.sql(BY_CATEGORY)).param("within", code + "%").param("scope", scope.codePatterns())
                .param("department", scope.departmentCode().orElse(null))
                .query((rs, n) -> new CategoryCount(rs.getString(1), rs.getString(2), rs.getLong(3))).list();
    }

    List<OverdueItem> overdue(String code, CallerScope scope, MapFilters filters) {
        return filters.bind(jdbc.sql(OVERDUE_LIST)).param("within", code + "%").param("scope", scope.codePatterns())
                .param("department", scope.departmentCode().orElse(null))
                .query((rs, n) -> new OverdueItem(rs.getLong("id"), rs.getString("category_name"), rs.getString("point_name"),
                        rs.getTimestamp("deadline_at").toInstant())).list();
    }

    List<Owner> owners(String code, AreaLevel level) {
        return jdbc.sql(level == AreaLevel.GRID ? GRID_OWNERS : AREA_LEADERS).param("code", code)
                .query((rs, n) -> new Owner(rs.getString(1), rs.getString(2))).list();
    }

    Optional<String> oneArea(AreaLevel level, String code, CallerScope scope, MapFilters filters) {
        BoundingBox world = new BoundingBox(-180, -90, 180, 90);
        String collection = statement(precomputable(scope, filters) ? AREA_STATS_PRECOMPUTED : AREA_STATS, level, code, scope, filters, world)
                .param("metric", AreaMetric.OPEN.parameterValue).param("legend", "[]").param("higherIsBetter", false)
                .param("greenLimit", 0.0).param("yellowLimit", 0.0).query(String.class).single();
        return collection.contains("\"code\"") ? Optional.of(collection) : Optional.empty();
    }

    /** The per-grid statistics hold every problem of the grid: they answer only when nothing narrows the problems down. */
    private static boolean precomputable(CallerScope scope, MapFilters filters) {
        return filters.isEmpty() && scope.departmentCode().isEmpty();
    }

    private JdbcClient.StatementSpec statement(String sql, AreaLevel level, String within, CallerScope scope, MapFilters filters,
                                               BoundingBox box) {
        return filters.bind(box.bind(jdbc.sql(sql))).param("level", level.parameterValue()).param("codeLength", level.codeLength)
                .param("within", within + "%").param("scope", scope.codePatterns())
                .param("department", scope.departmentCode().orElse(null));
    }
}
