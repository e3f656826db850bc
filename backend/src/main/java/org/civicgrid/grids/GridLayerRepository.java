package org.civicgrid.grids;

import org.civicgrid.map.MapFilters;
import org.civicgrid.security.CallerScope;
import org.civicgrid.web.BoundingBox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Current grids in the caller's scope as a GeoJSON FeatureCollection, built in the database. */
@Repository
class GridLayerRepository {

    static final String GRIDS_IN_BOX = """
            WITH box AS (SELECT ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326) AS geom)
            SELECT json_build_object('type', 'FeatureCollection',
                                     'features', coalesce(json_agg(f.feature ORDER BY f.code), '[]'::json))::text
            FROM (SELECT g.code,
                         json_build_object(
                             'type', 'Feature',
                             'id', g.id,
                             'geometry', ST_AsGeoJSON(g.boundary, 7)::json,
                             'properties', json_build_object(
                                 'id', g.id, 'code', g.code, 'name', g.name,
                                 'communityCode', g.community_code, 'communityName', c.name,
                                 'households', g.households,
                                 'openProblems', open_problems.n,
                                 'owners', coalesce(owners.list, '[]'::json))) AS feature
                  FROM grid g
                  JOIN community c ON c.code = g.community_code
                  CROSS JOIN box
                  CROSS JOIN LATERAL (SELECT count(*) AS n FROM problem p
                                      WHERE p.grid_id = g.id AND problem_is_open(p.status)
                                        AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            """ + MapFilters.PROBLEM_CONDITIONS + """
                                     ) open_problems
                  LEFT JOIN LATERAL (SELECT json_agg(json_build_object('name', u.display_name, 'phone', u.phone)
                                                     ORDER BY u.username) AS list
                                     FROM grid_owner o JOIN app_user u ON u.id = o.user_id
                                     WHERE o.grid_id = g.id) owners ON true
                  WHERE g.valid_to IS NULL
                    AND g.code LIKE ANY (string_to_array(:scope, ','))
                    AND g.boundary && box.geom
                    AND ST_Intersects(g.boundary, box.geom)) f
            """;

    private final JdbcClient jdbc;

    GridLayerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    String gridsIn(BoundingBox box, CallerScope scope, MapFilters filters) {
        return filters.bind(box.bind(jdbc.sql(GRIDS_IN_BOX)))
                .param("scope", scope.codePatterns()).param("department", scope.departmentCode().orElse(null))
                .query(String.class).single();
    }
}
