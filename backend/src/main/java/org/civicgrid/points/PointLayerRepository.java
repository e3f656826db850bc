package org.civicgrid.points;

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
                                 'gridCode', g.code, 'openProblems', open_problems.n)) AS feature
                  FROM measurement_point mp
                  CROSS JOIN box
                  JOIN grid g ON g.id = mp.grid_id
                  CROSS JOIN LATERAL (SELECT count(*) AS n FROM problem p
                                      WHERE p.point_id = mp.id AND problem_is_open(p.status)
                                        AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)) open_problems
                  WHERE g.code LIKE ANY (string_to_array(:scope, ','))
                    AND mp.geom && box.geom
                    AND ST_Intersects(mp.geom, box.geom)) f
            """;

    private final JdbcClient jdbc;

    PointLayerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    String pointsIn(BoundingBox box, CallerScope scope) {
        return box.bind(jdbc.sql(POINTS_IN_BOX))
                .param("scope", scope.codePatterns()).param("department", scope.departmentCode().orElse(null))
                .query(String.class).single();
    }
}
