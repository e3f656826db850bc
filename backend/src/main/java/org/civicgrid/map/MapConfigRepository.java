package org.civicgrid.map;

import java.util.Optional;

import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class MapConfigRepository {

    /** The extent of the current grids the caller may see, and the district they lie in. */
    static final String SCOPE_EXTENT = """
            SELECT d.code, d.name, ST_XMin(e.box) AS min_lon, ST_YMin(e.box) AS min_lat, ST_XMax(e.box) AS max_lon, ST_YMax(e.box) AS max_lat
            FROM (SELECT ST_Extent(g.boundary)::geometry AS box, min(left(g.code, 6)) AS district_code
                  FROM grid g
                  WHERE g.valid_to IS NULL AND g.code LIKE ANY (string_to_array(:scope, ','))) e
            JOIN district d ON d.code = e.district_code
            WHERE e.box IS NOT NULL
            """;

    record ScopeExtent(String districtCode, String districtName, double minLon, double minLat, double maxLon, double maxLat) {
    }

    private final JdbcClient jdbc;

    MapConfigRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<ScopeExtent> extent(CallerScope scope) {
        return jdbc.sql(SCOPE_EXTENT).param("scope", scope.codePatterns())
                .query((rs, n) -> new ScopeExtent(rs.getString("code"), rs.getString("name"),
                        rs.getDouble("min_lon"), rs.getDouble("min_lat"), rs.getDouble("max_lon"), rs.getDouble("max_lat")))
                .optional();
    }
}
