package org.civicgrid.map;

import java.util.List;

import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The map's search box: points by name or address, areas by name or code, all inside the caller's scope. */
@Repository
class SearchRepository {

    static final String SEARCH = """
            SELECT kind, id, code, name, detail, ST_XMin(box) AS min_lon, ST_YMin(box) AS min_lat, ST_XMax(box) AS max_lon, ST_YMax(box) AS max_lat
            FROM (
                SELECT 'POINT' AS kind, mp.id, g.code, mp.name, mp.address AS detail, ST_Envelope(mp.geom) AS box, 1 AS rank
                FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id
                WHERE g.code LIKE ANY (string_to_array(:scope, ',')) AND (mp.name ILIKE :pattern OR mp.address ILIKE :pattern)
                UNION ALL
                SELECT 'GRID', NULL, code, name, community_code, ST_Envelope(boundary), 0 FROM grid
                WHERE valid_to IS NULL AND code LIKE ANY (string_to_array(:scope, ',')) AND (name ILIKE :pattern OR code LIKE :prefix)
                UNION ALL
                SELECT 'COMMUNITY', NULL, code, name, street_code, ST_Envelope(boundary), 0 FROM community
                WHERE code LIKE ANY (string_to_array(:scope, ',')) AND (name ILIKE :pattern OR code LIKE :prefix)
                UNION ALL
                SELECT 'STREET', NULL, code, name, district_code, ST_Envelope(boundary), 0 FROM street
                WHERE code LIKE ANY (string_to_array(:scope, ',')) AND (name ILIKE :pattern OR code LIKE :prefix)
                UNION ALL
                SELECT 'DISTRICT', NULL, code, name, NULL, ST_Envelope(boundary), 0 FROM district
                WHERE code LIKE ANY (string_to_array(:scope, ',')) AND (name ILIKE :pattern OR code LIKE :prefix)) hits
            ORDER BY rank, length(name), name, code
            LIMIT :limit""";

    record Hit(String kind, Long id, String code, String name, String detail, double[] bbox) {
    }

    private final JdbcClient jdbc;

    SearchRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Hit> search(CallerScope scope, String text, int limit) {
        String escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return jdbc.sql(SEARCH).param("scope", scope.codePatterns()).param("pattern", "%" + escaped + "%")
                .param("prefix", text.matches("\\d{1,15}") ? text + "%" : "-").param("limit", limit)
                .query((rs, n) -> new Hit(rs.getString("kind"), (Long) rs.getObject("id"), rs.getString("code"), rs.getString("name"),
                        rs.getString("detail"), new double[] {rs.getDouble("min_lon"), rs.getDouble("min_lat"), rs.getDouble("max_lon"),
                        rs.getDouble("max_lat")}))
                .list();
    }
}
