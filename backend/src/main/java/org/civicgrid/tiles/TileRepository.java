package org.civicgrid.tiles;

import java.util.Map;

import org.civicgrid.map.MapFilters;
import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Mapbox Vector Tiles built by PostGIS (ST_AsMVT), one fixed query per layer, scoped and filtered like the GeoJSON layers. */
@Repository
class TileRepository {

    private static final String BOUNDS = """
            WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS env, ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326) AS env4326),
            """;

    static final String GRIDS = BOUNDS + """
            features AS (
                SELECT ST_AsMVTGeom(ST_Transform(g.boundary, 3857), bounds.env, 4096, 64, true) AS geom,
                       g.id, g.code, g.name, g.community_code, open_problems.n AS open_problems
                FROM grid g CROSS JOIN bounds
                CROSS JOIN LATERAL (SELECT count(*) AS n FROM problem p
                                    WHERE p.grid_id = g.id AND problem_is_open(p.status)
                                      AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            """ + MapFilters.PROBLEM_CONDITIONS + """
                                   ) open_problems
                WHERE g.valid_to IS NULL AND g.boundary && bounds.env4326 AND g.code LIKE ANY (string_to_array(:scope, ',')))
            SELECT ST_AsMVT(features.*, 'grids', 4096, 'geom', 'id') FROM features""";

    static final String POINTS = BOUNDS + """
            features AS (
                SELECT ST_AsMVTGeom(ST_Transform(mp.geom, 3857), bounds.env, 4096, 64, true) AS geom,
                       mp.id, mp.name, mp.type_code, g.code AS grid_code
                FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id CROSS JOIN bounds
                WHERE mp.geom && bounds.env4326 AND g.code LIKE ANY (string_to_array(:scope, ','))
            """ + MapFilters.POINT_CONDITIONS + """
            )
            SELECT ST_AsMVT(features.*, 'points', 4096, 'geom', 'id') FROM features""";

    /** Problems of every status the filters allow (a status filter is set). */
    static final String PROBLEMS_ANY_STATUS = BOUNDS + """
            features AS (
                SELECT ST_AsMVTGeom(ST_Transform(p.location, 3857), bounds.env, 4096, 64, true) AS geom,
                       p.id, p.status, p.category_code, problem_light(p.status, p.warning_at, p.deadline_at, now()) AS light
                FROM problem p JOIN grid g ON g.id = p.grid_id CROSS JOIN bounds
                WHERE p.location && bounds.env4326 AND g.code LIKE ANY (string_to_array(:scope, ','))
                  AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            """ + MapFilters.PROBLEM_CONDITIONS + """
            )
            SELECT ST_AsMVT(features.*, 'problems', 4096, 'geom', 'id') FROM features""";

    /** Open problems only (no status filter): the literal condition lets PostgreSQL use the open problems' own index. */
    static final String PROBLEMS = PROBLEMS_ANY_STATUS.replace("WHERE p.location && bounds.env4326",
            "WHERE problem_is_open(p.status) AND p.location && bounds.env4326");

    /** Unfiltered grids take their open-problem count from the per-grid statistics (V5). */
    static final String GRIDS_PRECOMPUTED = BOUNDS + """
            features AS (
                SELECT ST_AsMVTGeom(ST_Transform(g.boundary, 3857), bounds.env, 4096, 64, true) AS geom,
                       g.id, g.code, g.name, g.community_code, coalesce(s.open, 0) AS open_problems
                FROM grid g CROSS JOIN bounds LEFT JOIN grid_map_stats s ON s.grid_id = g.id
                WHERE g.valid_to IS NULL AND g.boundary && bounds.env4326 AND g.code LIKE ANY (string_to_array(:scope, ',')))
            SELECT ST_AsMVT(features.*, 'grids', 4096, 'geom', 'id') FROM features""";

    /** The allow-list of layers: a path segment never becomes SQL. */
    static final Map<String, String> QUERY_BY_LAYER = Map.of("grids", GRIDS, "points", POINTS, "problems", PROBLEMS);

    private final JdbcClient jdbc;

    TileRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    byte[] tile(String layer, TileAddress tile, CallerScope scope, MapFilters filters) {
        JdbcClient.StatementSpec statement = filters.bind(jdbc.sql(query(layer, scope, filters)))
                .param("z", tile.z()).param("x", tile.x()).param("y", tile.y())
                .param("scope", scope.codePatterns()).param("department", scope.departmentCode().orElse(null));
        byte[] bytes = statement.query(byte[].class).optional().orElse(null);
        return bytes == null ? new byte[0] : bytes;
    }

    /** The statement for a layer: the open problems unless a status is asked for; precomputed grid counts when nothing is filtered. */
    static String query(String layer, CallerScope scope, MapFilters filters) {
        if (layer.equals("problems") && !filters.statuses().isEmpty()) {
            return PROBLEMS_ANY_STATUS;
        }
        if (layer.equals("grids") && filters.isEmpty() && scope.departmentCode().isEmpty()) {
            return GRIDS_PRECOMPUTED;
        }
        return QUERY_BY_LAYER.get(layer);
    }
}
