package org.civicgrid.map;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class MapConfigRepository {

    static final String DISTRICT_EXTENT = """
            SELECT (SELECT code FROM district ORDER BY code LIMIT 1) AS code,
                   (SELECT name FROM district ORDER BY code LIMIT 1) AS name,
                   ST_XMin(e) AS min_lon, ST_YMin(e) AS min_lat, ST_XMax(e) AS max_lon, ST_YMax(e) AS max_lat
            FROM (SELECT ST_Extent(boundary)::geometry AS e FROM district) extent
            WHERE e IS NOT NULL
            """;

    record DistrictExtent(String code, String name, double minLon, double minLat, double maxLon, double maxLat) {
    }

    private final JdbcClient jdbc;

    MapConfigRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<DistrictExtent> districtExtent() {
        return jdbc.sql(DISTRICT_EXTENT).query((rs, n) -> new DistrictExtent(rs.getString("code"), rs.getString("name"),
                rs.getDouble("min_lon"), rs.getDouble("min_lat"), rs.getDouble("max_lon"), rs.getDouble("max_lat"))).optional();
    }
}
