package org.civicgrid.transfer;

import java.util.Locale;

import org.civicgrid.map.MapFilters;
import org.civicgrid.web.NotFoundException;

/**
 * The layers that can be exported, each one fixed query limited to the caller's scope (and, for points and
 * problems, the map's filters). Every query ends with the geometry as WKB (geom_wkb). Attribute columns are named
 * as the import expects them, so an exported points or problems CSV can be edited and imported again.
 */
enum ExportLayer {
    DISTRICTS("""
            SELECT a.code, a.name, ST_AsBinary(a.boundary) AS geom_wkb FROM district a
            WHERE a.code LIKE ANY (string_to_array(:scope, ',')) ORDER BY a.code"""),
    STREETS("""
            SELECT a.code, a.district_code, a.name, ST_AsBinary(a.boundary) AS geom_wkb FROM street a
            WHERE a.code LIKE ANY (string_to_array(:scope, ',')) ORDER BY a.code"""),
    COMMUNITIES("""
            SELECT a.code, a.street_code, a.name, a.households, ST_AsBinary(a.boundary) AS geom_wkb FROM community a
            WHERE a.code LIKE ANY (string_to_array(:scope, ',')) ORDER BY a.code"""),
    GRIDS("""
            SELECT g.code, g.name, g.community_code, g.households, g.version, g.valid_from::text AS valid_from,
                   ST_AsBinary(g.boundary) AS geom_wkb
            FROM grid g WHERE g.valid_to IS NULL AND g.code LIKE ANY (string_to_array(:scope, ',')) ORDER BY g.code"""),
    POINTS("""
            SELECT mp.id, mp.external_id, mp.type_code, pt.name_zh AS type_name, mp.name, mp.address, mp.responsible_unit,
                   g.code AS grid_code, mp.updated_at, ST_AsBinary(mp.geom) AS geom_wkb
            FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id JOIN point_type pt ON pt.code = mp.type_code
            WHERE g.code LIKE ANY (string_to_array(:scope, ','))
            """ + MapFilters.POINT_CONDITIONS + " ORDER BY mp.id"),
    PROBLEMS("""
            SELECT p.id, p.external_id, p.category_code, pc.name_zh AS category_name, p.status, p.description, p.reported_at,
                   p.accepted_at, p.deadline_at, p.closed_at, p.handler_department_code, problem_light(p.status, p.warning_at, p.deadline_at, now())
                   AS light, g.code AS grid_code, mp.external_id AS point_external_id, ST_AsBinary(p.location) AS geom_wkb
            FROM problem p JOIN grid g ON g.id = p.grid_id JOIN problem_category pc ON pc.code = p.category_code
            LEFT JOIN measurement_point mp ON mp.id = p.point_id
            WHERE g.code LIKE ANY (string_to_array(:scope, ','))
            """ + MapFilters.PROBLEM_CONDITIONS + " ORDER BY p.id");

    final String sql;

    ExportLayer(String sql) {
        this.sql = sql;
    }

    String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ExportLayer parse(String text) {
        for (ExportLayer layer : values()) {
            if (layer.fileName().equals(text)) {
                return layer;
            }
        }
        throw new NotFoundException("layer", text);
    }
}
