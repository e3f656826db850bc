package org.civicgrid.areas;

import java.util.Map;

import org.civicgrid.security.CallerScope;
import org.civicgrid.web.BoundingBox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** District, street and community outlines inside the caller's scope as GeoJSON, one fixed query per level. */
@Repository
class AreaLayerRepository {

    static final String DISTRICTS_IN_BOX = """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'id', a.code, 'geometry', ST_AsGeoJSON(a.boundary, 7)::json,
                       'properties', json_build_object('code', a.code, 'name', a.name, 'level', 'district', 'parentCode', null))
                   ORDER BY a.code), '[]'::json))::text
            FROM district a
            WHERE a.code LIKE ANY (string_to_array(:scope, ','))
              AND a.boundary && ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326)
            """;
    static final String STREETS_IN_BOX = """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'id', a.code, 'geometry', ST_AsGeoJSON(a.boundary, 7)::json,
                       'properties', json_build_object('code', a.code, 'name', a.name, 'level', 'street', 'parentCode', a.district_code))
                   ORDER BY a.code), '[]'::json))::text
            FROM street a
            WHERE a.code LIKE ANY (string_to_array(:scope, ','))
              AND a.boundary && ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326)
            """;
    static final String COMMUNITIES_IN_BOX = """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                       'type', 'Feature', 'id', a.code, 'geometry', ST_AsGeoJSON(a.boundary, 7)::json,
                       'properties', json_build_object('code', a.code, 'name', a.name, 'level', 'community', 'parentCode', a.street_code,
                                                       'households', a.households))
                   ORDER BY a.code), '[]'::json))::text
            FROM community a
            WHERE a.code LIKE ANY (string_to_array(:scope, ','))
              AND a.boundary && ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326)
            """;

    private static final Map<AreaLevel, String> QUERY_BY_LEVEL = Map.of(
            AreaLevel.DISTRICT, DISTRICTS_IN_BOX, AreaLevel.STREET, STREETS_IN_BOX, AreaLevel.COMMUNITY, COMMUNITIES_IN_BOX);

    private final JdbcClient jdbc;

    AreaLayerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    String areasIn(AreaLevel level, BoundingBox box, CallerScope scope) {
        return box.bind(jdbc.sql(QUERY_BY_LEVEL.get(level))).param("scope", scope.codePatterns())
                .query(String.class).single();
    }
}
