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

    static final String PROBLEMS = BOUNDS + """
            features AS (
                SELECT ST_AsMVTGeom(ST_Transform(p.location, 3857), bounds.env, 4096, 64, true) AS geom,
                       p.id, p.status, p.category_code, problem_light(p.status, p.warning_at, p.deadline_at, now()) AS light
                FROM problem p JOIN grid g ON g.id = p.grid_id CROSS JOIN bounds
                WHERE p.location && bounds.env4326 AND g.code LIKE ANY (string_to_array(:scope, ','))
                  AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
                  AND (:includeClosed OR problem_is_open(p.status))
            """ + MapFilters.PROBLEM_CONDITIONS + """
            )
            SELECT ST_AsMVT(features.*, 'problems', 4096, 'geom', 'id') FROM features""";

    /** The allow-list of layers: a path segment never becomes SQL. */
    static final Map<String, String> QUERY_BY_LAYER = Map.of("grids", GRIDS, "points", POINTS, "problems", PROBLEMS);

    private final JdbcClient jdbc;

    TileRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    byte[] tile(String layer, TileAddress tile, CallerScope scope, MapFilters filters) {
        JdbcClient.StatementSpec statement = filters.bind(jdbc.sql(QUERY_BY_LAYER.get(layer)))
                .param("z", tile.z()).param("x", tile.x()).param("y", tile.y())
                .param("scope", scope.codePatterns()).param("department", scope.departmentCode().orElse(null))
                .param("includeClosed", !filters.statuses().isEmpty());
        byte[] bytes = statement.query(byte[].class).optional().orElse(null);
        return bytes == null ? new byte[0] : bytes;
    }
}
