package org.civicgrid.democity;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Bulk inserts for the demo city; geometries arrive as GeoJSON text and are parsed by PostGIS. */
@Repository
class DemoCityRepository {

    static final String DISTRICT_EXISTS = "SELECT count(*) FROM district WHERE code = ?";
    static final String INSERT_DISTRICT = """
            INSERT INTO district (code, name, boundary)
            VALUES (?, ?, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)))
            ON CONFLICT (code) DO NOTHING""";
    static final String INSERT_STREET = """
            INSERT INTO street (code, district_code, name, boundary)
            VALUES (?, ?, ?, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)))
            ON CONFLICT (code) DO NOTHING""";
    static final String INSERT_COMMUNITY = """
            INSERT INTO community (code, street_code, name, households, boundary)
            VALUES (?, ?, ?, ?, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)))
            ON CONFLICT (code) DO NOTHING""";
    static final String INSERT_GRID = """
            INSERT INTO grid (code, name, community_code, households, boundary, valid_from)
            VALUES (?, ?, ?, ?, ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), ?::date)
            ON CONFLICT DO NOTHING""";
    static final String INSERT_USER = """
            INSERT INTO app_user (username, display_name, phone) VALUES (?, ?, ?)
            ON CONFLICT (username) DO NOTHING""";
    static final String INSERT_ROLE = """
            INSERT INTO user_role (user_id, role) SELECT id, ? FROM app_user WHERE username = ?
            ON CONFLICT DO NOTHING""";
    static final String INSERT_GRID_SCOPE = """
            INSERT INTO user_area_scope (user_id, area_level, area_code) SELECT id, 'GRID', ? FROM app_user WHERE username = ?
            ON CONFLICT DO NOTHING""";
    static final String INSERT_GRID_OWNER = """
            INSERT INTO grid_owner (grid_id, user_id)
            SELECT g.id, u.id FROM grid g, app_user u WHERE g.code = ? AND g.valid_to IS NULL AND u.username = ?
            ON CONFLICT DO NOTHING""";
    static final String INSERT_POINT = """
            INSERT INTO measurement_point (external_id, type_code, name, address, responsible_unit, geom, grid_id)
            SELECT ?, ?, ?, ?, ?, g.geom, grid_for_geometry(g.geom) FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON(?), 4326) AS geom) g
            ON CONFLICT (external_id) DO NOTHING""";
    static final String INSERT_PROBLEM = """
            INSERT INTO problem (external_id, point_id, category_code, status, location, description, reported_at, accepted_at,
                                 dispatched_at, warning_at, deadline_at, closed_at, handler_department_code, rework_count)
            VALUES (?, (SELECT id FROM measurement_point WHERE external_id = ?), ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326), ?,
                    ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (external_id) DO NOTHING""";

    /** Problems dispatched to no department went to their grid's owner. */
    static final String ASSIGN_GRID_OWNERS = """
            UPDATE problem p SET assignee_user_id = (SELECT o.user_id FROM grid_owner o JOIN app_user u ON u.id = o.user_id
                                                     WHERE o.grid_id = p.grid_id ORDER BY u.username LIMIT 1)
            WHERE p.dispatched_at IS NOT NULL AND p.handler_department_code IS NULL AND p.assignee_user_id IS NULL""";

    private static final int BATCH = 1000;

    private final JdbcTemplate jdbc;

    DemoCityRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean districtExists(String code) {
        Integer count = jdbc.queryForObject(DISTRICT_EXISTS, Integer.class, code);
        return count != null && count > 0;
    }

    void insert(String sql, List<Object[]> rows) {
        for (int from = 0; from < rows.size(); from += BATCH) {
            jdbc.batchUpdate(sql, rows.subList(from, Math.min(rows.size(), from + BATCH)));
        }
    }
}
