package org.civicgrid.points;

import org.civicgrid.map.MapFilters;
import org.civicgrid.security.CallerScope;
import org.civicgrid.web.BoundingBox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Measurement points in the caller's scope (by the grid they lie in) as a GeoJSON FeatureCollection, built in the database. */
@Repository
class PointLayerRepository {

    static final String POINTS_IN_BOX = """
            WITH box AS (SELECT ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326) AS geom)
            SELECT json_build_object('type', 'FeatureCollection',
                                     'features', coalesce(json_agg(f.feature ORDER BY f.id), '[]'::json))::text
            FROM (SELECT mp.id,
                         json_build_object(
                             'type', 'Feature',
                             'id', mp.id,
                             'geometry', ST_AsGeoJSON(mp.geom, 7)::json,
                             'properties', json_build_object(
                                 'id', mp.id, 'name', mp.name, 'typeCode', mp.type_code,
                                 'address', mp.address, 'responsibleUnit', mp.responsible_unit,
                                 'gridCode', g.code, 'openProblems', open_problems.n, 'worstLight', open_problems.worst)) AS feature
                  FROM measurement_point mp
                  CROSS JOIN box
                  JOIN grid g ON g.id = mp.grid_id
                  CROSS JOIN LATERAL (SELECT count(*) AS n,
                                             CASE max(CASE problem_light(p.status, p.warning_at, p.deadline_at, now())
                                                      WHEN 'RED' THEN 3 WHEN 'YELLOW' THEN 2 WHEN 'GREEN' THEN 1 END)
                                                 WHEN 3 THEN 'RED' WHEN 2 THEN 'YELLOW' WHEN 1 THEN 'GREEN' END AS worst
                                      FROM problem p
                                      WHERE p.point_id = mp.id AND problem_is_open(p.status)
                                        AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            """ + MapFilters.PROBLEM_CONDITIONS + """
                                     ) open_problems
                  WHERE g.code LIKE ANY (string_to_array(:scope, ','))
            """ + MapFilters.POINT_CONDITIONS + """
                    AND mp.geom && box.geom
                    AND ST_Intersects(mp.geom, box.geom)) f
            """;

    /** Clusters on a square grid of {@code :cell} degrees, at the mean position of their points. */
    static final String POINT_CLUSTERS = """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'geometry', ST_AsGeoJSON(ST_Centroid(k.members), 7)::json,
                       'properties', json_build_object('cluster', true, 'count', k.n)) ORDER BY k.cell_x, k.cell_y), '[]'::json))::text
            FROM (SELECT floor(ST_X(c) / :cell) AS cell_x, floor(ST_Y(c) / :cell) AS cell_y, ST_Collect(c) AS members, count(*) AS n
                  FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id CROSS JOIN LATERAL ST_PointOnSurface(mp.geom) c
                  WHERE g.code LIKE ANY (string_to_array(:scope, ','))
                    AND mp.geom && ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326)
            """ + MapFilters.POINT_CONDITIONS + """
                  GROUP BY 1, 2) k""";

    /** The unfiltered clusters from the per-grid statistics (V5): each grid's points at their mean position. */
    static final String POINT_CLUSTERS_FROM_GRID_STATS = """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'geometry', ST_AsGeoJSON(ST_Point(k.lon, k.lat, 4326), 7)::json,
                       'properties', json_build_object('cluster', true, 'count', k.n)) ORDER BY k.cell_x, k.cell_y), '[]'::json))::text
            FROM (SELECT floor(s.points_lon_sum / s.points / :cell) AS cell_x, floor(s.points_lat_sum / s.points / :cell) AS cell_y,
                         sum(s.points_lon_sum) / sum(s.points) AS lon, sum(s.points_lat_sum) / sum(s.points) AS lat, sum(s.points) AS n
                  FROM grid g JOIN grid_map_stats s ON s.grid_id = g.id
                  WHERE g.valid_to IS NULL AND g.boundary && ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326)
                    AND s.points > 0 AND s.code LIKE ANY (string_to_array(:scope, ','))
                  GROUP BY 1, 2) k""";

    private final JdbcClient jdbc;

    PointLayerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    String clustersIn(BoundingBox box, double cell, CallerScope scope, MapFilters filters) {
        if (filters.isEmpty()) {
            return box.bind(jdbc.sql(POINT_CLUSTERS_FROM_GRID_STATS)).param("scope", scope.codePatterns()).param("cell", cell)
                    .query(String.class).single();
        }
        return filters.bind(box.bind(jdbc.sql(POINT_CLUSTERS))).param("scope", scope.codePatterns()).param("cell", cell)
                .query(String.class).single();
    }

    String pointsIn(BoundingBox box, CallerScope scope, MapFilters filters) {
        return filters.bind(box.bind(jdbc.sql(POINTS_IN_BOX)))
                .param("scope", scope.codePatterns()).param("department", scope.departmentCode().orElse(null))
                .query(String.class).single();
    }
}
