package org.civicgrid.problems;

import org.civicgrid.map.MapFilters;
import org.civicgrid.security.CallerScope;
import org.civicgrid.web.BoundingBox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Problems on the map: one marker each when zoomed in, clusters with counts by traffic light when zoomed out. */
@Repository
class ProblemLayerRepository {

    /** Problems of every status the filters allow (used when a status filter is set). */
    private static final String ANY_STATUS_IN_BOX = """
            FROM problem p JOIN grid g ON g.id = p.grid_id JOIN problem_category c ON c.code = p.category_code
            LEFT JOIN measurement_point mp ON mp.id = p.point_id
            WHERE p.location && ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326)
              AND g.code LIKE ANY (string_to_array(:scope, ','))
              AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            """ + MapFilters.PROBLEM_CONDITIONS;

    /** Open problems only: the literal condition lets PostgreSQL use the open problems' own spatial index (V9). */
    private static final String OPEN_IN_BOX = ANY_STATUS_IN_BOX.replace("WHERE p.location &&", "WHERE problem_is_open(p.status) AND p.location &&");

    static final String PROBLEMS = """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'id', f.id, 'geometry', ST_AsGeoJSON(f.location, 7)::json,
                       'properties', json_build_object('id', f.id, 'status', f.status, 'light', f.light, 'categoryName', f.category_name,
                                                       'pointName', f.point_name, 'deadlineAt', f.deadline_at)) ORDER BY f.id), '[]'::json))::text
            FROM (SELECT p.id, p.location, p.status, problem_light(p.status, p.warning_at, p.deadline_at, now()) AS light,
                         c.name_zh AS category_name, mp.name AS point_name, p.deadline_at
            """ + OPEN_IN_BOX + " LIMIT :limit) f";
    static final String PROBLEMS_ANY_STATUS = PROBLEMS.replace(OPEN_IN_BOX, ANY_STATUS_IN_BOX);

    /** Clusters on a square grid of {@code :cell} degrees; each at the mean position of its problems. */
    static final String CLUSTERS = """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'geometry', ST_AsGeoJSON(ST_Centroid(k.members), 7)::json,
                       'properties', json_build_object('cluster', true, 'count', k.n, 'red', k.red, 'yellow', k.yellow, 'green', k.green))
                   ORDER BY k.cell_x, k.cell_y), '[]'::json))::text
            FROM (SELECT floor(ST_X(p.location) / :cell) AS cell_x, floor(ST_Y(p.location) / :cell) AS cell_y,
                         ST_Collect(p.location) AS members, count(*) AS n,
                         count(*) FILTER (WHERE problem_light(p.status, p.warning_at, p.deadline_at, now()) = 'RED') AS red,
                         count(*) FILTER (WHERE problem_light(p.status, p.warning_at, p.deadline_at, now()) = 'YELLOW') AS yellow,
                         count(*) FILTER (WHERE problem_light(p.status, p.warning_at, p.deadline_at, now()) = 'GREEN') AS green
            """ + OPEN_IN_BOX + " GROUP BY 1, 2) k";
    static final String CLUSTERS_ANY_STATUS = CLUSTERS.replace(OPEN_IN_BOX, ANY_STATUS_IN_BOX);

    /**
     * The unfiltered clusters from the per-grid statistics (V5): each grid meeting the box adds its open
     * problems, at their mean position, to the cell of that position. Reads one row per grid.
     */
    static final String CLUSTERS_FROM_GRID_STATS = """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'geometry', ST_AsGeoJSON(ST_Point(k.lon, k.lat, 4326), 7)::json,
                       'properties', json_build_object('cluster', true, 'count', k.n, 'red', k.red, 'yellow', k.yellow, 'green', k.green))
                   ORDER BY k.cell_x, k.cell_y), '[]'::json))::text
            FROM (SELECT floor(s.open_lon_sum / s.open / :cell) AS cell_x, floor(s.open_lat_sum / s.open / :cell) AS cell_y,
                         sum(s.open_lon_sum) / sum(s.open) AS lon, sum(s.open_lat_sum) / sum(s.open) AS lat,
                         sum(s.open) AS n, sum(s.red) AS red, sum(s.yellow) AS yellow, sum(s.green) AS green
                  FROM grid g JOIN grid_map_stats s ON s.grid_id = g.id
                  WHERE g.valid_to IS NULL AND g.boundary && ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326)
                    AND s.open > 0 AND s.code LIKE ANY (string_to_array(:scope, ','))
                  GROUP BY 1, 2) k""";

    /** Most problems one answer carries at street level; the map clusters below zoom 15 anyway. */
    static final int MAX_FEATURES = 5000;

    private final JdbcClient jdbc;

    ProblemLayerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    String problems(BoundingBox box, CallerScope scope, MapFilters filters, boolean includeClosed) {
        return bind(includeClosed ? PROBLEMS_ANY_STATUS : PROBLEMS, box, scope, filters).param("limit", MAX_FEATURES).query(String.class).single();
    }

    String clusters(BoundingBox box, int zoom, CallerScope scope, MapFilters filters, boolean includeClosed) {
        if (filters.isEmpty() && scope.departmentCode().isEmpty() && !includeClosed) {
            return box.bind(jdbc.sql(CLUSTERS_FROM_GRID_STATS)).param("scope", scope.codePatterns())
                    .param("cell", org.civicgrid.web.ZoomLevel.clusterCellDegrees(zoom)).query(String.class).single();
        }
        return bind(includeClosed ? CLUSTERS_ANY_STATUS : CLUSTERS, box, scope, filters).param("cell", org.civicgrid.web.ZoomLevel.clusterCellDegrees(zoom)).query(String.class).single();
    }


    private JdbcClient.StatementSpec bind(String sql, BoundingBox box, CallerScope scope, MapFilters filters) {
        return filters.bind(box.bind(jdbc.sql(sql))).param("scope", scope.codePatterns())
                .param("department", scope.departmentCode().orElse(null));
    }
}
