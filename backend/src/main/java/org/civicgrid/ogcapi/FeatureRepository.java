package org.civicgrid.ogcapi;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Features of a collection as GeoJSON built in the database. The SQL is assembled only from the fixed
 * fragments of {@link FeatureSource} and {@link OgcCrs} and from filter conditions whose property names
 * come from the same fixed list; every value is a bound parameter.
 */
@Repository
class FeatureRepository {

    static final String POINT_TYPES = "SELECT code, name_zh, name_en, geometry_kind FROM point_type ORDER BY sort_order, code";
    static final String TYPE_CONDITION = " AND t.type_code = :typeCode";
    static final String POINT_TYPE_EXTENTS = "SELECT e.type_code, ST_XMin(e.box), ST_YMin(e.box), ST_XMax(e.box), ST_YMax(e.box)"
            + " FROM (SELECT t.type_code, ST_Extent(" + FeatureSource.POINTS.geometry + ") AS box FROM " + FeatureSource.POINTS.from
            + " WHERE " + FeatureSource.POINTS.scopeCondition + " GROUP BY t.type_code) e";
    /**
     * The problems' extent without reading millions of locations (a city's 10 million: 15 s → 2 s): a problem lies in its
     * grid (problem_assign_grid takes grid_for_geometry(location)), so the boxes of the caller's grids that have problems
     * cover every problem — at grid precision —, and each grid's first and last report come from (grid_id, reported_at).
     */
    static final String PROBLEM_EXTENT_BY_GRID = """
            SELECT ST_XMin(e.box), ST_YMin(e.box), ST_XMax(e.box), ST_YMax(e.box), e.t0, e.t1 FROM (
              SELECT ST_Extent(g.boundary) AS box, min(r.t0) AS t0, max(r.t1) AS t1
              FROM grid g CROSS JOIN LATERAL (SELECT min(p.reported_at) AS t0, max(p.reported_at) AS t1 FROM problem p WHERE p.grid_id = g.id) r
              WHERE g.code LIKE ANY (string_to_array(:scope, ',')) AND r.t0 IS NOT NULL) e""";
    static final String CURRENT_GRIDS = " AND t.valid_to IS NULL";
    static final String PROBLEM_FROM = " AND t.reported_at >= :dtStart";
    static final String PROBLEM_UNTIL = " AND t.reported_at < :dtEnd";
    static final String GRID_FROM = " AND (t.valid_to IS NULL OR CAST(t.valid_to AS timestamp) AT TIME ZONE :zone > :dtStart)";
    static final String GRID_UNTIL = " AND CAST(t.valid_from AS timestamp) AT TIME ZONE :zone < :dtEnd";

    record PointType(String code, String nameZh, String nameEn, String geometryKind) {
    }

    /** Where a collection's features lie and, for problems and grids, when. */
    record Extent(double[] bbox, Instant start, Instant end) {
        /** A collection without features. */
        static final Extent NONE = new Extent(null, null, null);
    }

    /** One items request: the collection, the caller's scope and the query parameters, already checked. */
    record Query(FeatureSource source, String typeCode, CallerScope scope, OgcCrs crs, Box box, TimeInterval datetime,
                 Cql2Text.Condition filter, int limit, long offset) {
    }

    /** A bbox in the CRS of bbox-crs, in that CRS's axis order. */
    record Box(OgcCrs crs, double[] values) {
    }

    /** [start, end) of a datetime parameter; either side open. */
    record TimeInterval(Instant start, Instant end) {
    }

    private final JdbcClient jdbc;
    private final ZoneId zone;

    FeatureRepository(JdbcClient jdbc, @org.springframework.beans.factory.annotation.Value("${civicgrid.time-zone:Asia/Shanghai}") String zone) {
        this.jdbc = jdbc;
        this.zone = ZoneId.of(zone);
    }

    ZoneId zone() {
        return zone;
    }

    List<PointType> pointTypes() {
        return jdbc.sql(POINT_TYPES).query((rs, n) -> new PointType(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))).list();
    }

    /** One page of features: how many, and the JSON array text, in id order. */
    record Page(int returned, String featuresJson) {
    }

    Page features(Query q) {
        String sql = "SELECT count(*), coalesce(json_agg(f.feature ORDER BY f.k), '[]'::json)::text FROM (SELECT " + q.source().id + " AS k, "
                + q.source().featureSql(q.crs().geoJsonSql(q.source().geometry)) + " AS feature FROM " + q.source().from
                + where(q) + " ORDER BY " + q.source().id + " LIMIT :limit OFFSET :offset) f";
        return bind(jdbc.sql(sql), q).param("limit", q.limit()).param("offset", q.offset())
                .query((rs, n) -> new Page(rs.getInt(1), rs.getString(2))).single();
    }

    long count(Query q) {
        return bind(jdbc.sql("SELECT count(*) FROM " + q.source().from + where(q)), q).query(Long.class).single();
    }

    /** One feature by id inside the caller's scope (for grids any version, for points-of-a-type only that type). */
    Optional<String> feature(FeatureSource source, String typeCode, CallerScope scope, OgcCrs crs, String featureId) {
        Object id = featureId;
        if (source.numericId) {
            try {
                id = Long.parseLong(featureId);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        String sql = "SELECT " + source.featureSql(crs.geoJsonSql(source.geometry)) + "::text FROM " + source.from + " WHERE "
                + source.scopeCondition + (typeCode == null ? "" : TYPE_CONDITION) + " AND " + source.id + " = :featureId";
        JdbcClient.StatementSpec statement = jdbc.sql(sql).param("scope", scope.codePatterns()).param("featureId", id);
        if (source == FeatureSource.PROBLEMS) {
            statement = statement.param("department", scope.departmentCode().orElse(null));
        }
        if (typeCode != null) {
            statement = statement.param("typeCode", typeCode);
        }
        return statement.query(String.class).optional();
    }

    Extent extent(FeatureSource source, String typeCode, CallerScope scope) {
        if (source == FeatureSource.PROBLEMS && scope.departmentCode().isEmpty()) {
            return jdbc.sql(PROBLEM_EXTENT_BY_GRID).param("scope", scope.codePatterns()).query(FeatureRepository::extentRow).single();
        }
        String sql = "SELECT ST_XMin(e.box), ST_YMin(e.box), ST_XMax(e.box), ST_YMax(e.box), e.t0, e.t1 FROM (SELECT ST_Extent(" + source.geometry
                + ") AS box, " + timeColumns(source) + " FROM " + source.from + " WHERE " + source.scopeCondition
                + (typeCode == null ? "" : TYPE_CONDITION) + ") e";
        JdbcClient.StatementSpec statement = jdbc.sql(sql).param("scope", scope.codePatterns());
        if (source == FeatureSource.PROBLEMS) {
            statement = statement.param("department", scope.departmentCode().orElse(null));
        }
        if (source == FeatureSource.GRIDS) {
            statement = statement.param("zone", zone.getId());
        }
        if (typeCode != null) {
            statement = statement.param("typeCode", typeCode);
        }
        return statement.query(FeatureRepository::extentRow).single();
    }

    private static Extent extentRow(java.sql.ResultSet rs, int rowNum) throws java.sql.SQLException {
        double[] bbox = rs.getObject(1) == null ? null : new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)};
        Timestamp t0 = rs.getTimestamp(5);
        Timestamp t1 = rs.getTimestamp(6);
        return new Extent(bbox, t0 == null ? null : t0.toInstant(), t1 == null ? null : t1.toInstant());
    }

    /**
     * Every point type's extent in the caller's scope in one pass over the points: the collections list shows all of
     * them, and one query per type would read the points once per type (measurement_point has no type index: it
     * would slow every import for the sake of this listing).
     */
    Map<String, Extent> pointTypeExtents(CallerScope scope) {
        Map<String, Extent> extents = new HashMap<>();
        jdbc.sql(POINT_TYPE_EXTENTS).param("scope", scope.codePatterns()).query((rs, n) -> extents.put(rs.getString(1),
                new Extent(new double[] {rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)}, null, null))).list();
        return extents;
    }

    private static String timeColumns(FeatureSource source) {
        return switch (source) {
            case PROBLEMS -> "min(t.reported_at) AS t0, max(t.reported_at) AS t1";
            case GRIDS -> "CAST(min(t.valid_from) AS timestamp) AT TIME ZONE :zone AS t0, "
                    + "CASE WHEN bool_or(t.valid_to IS NULL) THEN NULL ELSE CAST(max(t.valid_to) AS timestamp) AT TIME ZONE :zone END AS t1";
            default -> "CAST(NULL AS timestamptz) AS t0, CAST(NULL AS timestamptz) AS t1";
        };
    }

    private static String where(Query q) {
        List<String> parts = new ArrayList<>();
        parts.add(" WHERE " + q.source().scopeCondition);
        if (q.typeCode() != null) {
            parts.add(TYPE_CONDITION);
        }
        if (q.source() == FeatureSource.GRIDS && q.datetime() == null) {
            parts.add(CURRENT_GRIDS);
        }
        if (q.datetime() != null && q.source().temporal()) {
            boolean grids = q.source() == FeatureSource.GRIDS;
            if (q.datetime().start() != null) {
                parts.add(grids ? GRID_FROM : PROBLEM_FROM);
            }
            if (q.datetime().end() != null) {
                parts.add(grids ? GRID_UNTIL : PROBLEM_UNTIL);
            }
        }
        if (q.box() != null) {
            String envelope = q.box().crs().envelopeSql();
            parts.add(" AND " + q.source().geometry + " && " + envelope + " AND ST_Intersects(" + q.source().geometry + ", " + envelope + ")");
        }
        if (q.filter() != null) {
            parts.add(" AND " + q.filter().sql());
        }
        return String.join("", parts);
    }

    private JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, Query q) {
        statement = statement.param("scope", q.scope().codePatterns());
        if (q.source() == FeatureSource.PROBLEMS) {
            statement = statement.param("department", q.scope().departmentCode().orElse(null));
        }
        if (q.typeCode() != null) {
            statement = statement.param("typeCode", q.typeCode());
        }
        if (q.datetime() != null && q.source().temporal()) {
            if (q.source() == FeatureSource.GRIDS) {
                statement = statement.param("zone", zone.getId());
            }
            if (q.datetime().start() != null) {
                statement = statement.param("dtStart", Timestamp.from(q.datetime().start()));
            }
            if (q.datetime().end() != null) {
                statement = statement.param("dtEnd", Timestamp.from(q.datetime().end()));
            }
        }
        if (q.box() != null) {
            double[] v = q.box().values();
            statement = statement.param("bx0", v[0]).param("bx1", v[1]).param("bx2", v[2]).param("bx3", v[3]);
        }
        if (q.filter() != null) {
            for (Map.Entry<String, Object> p : q.filter().params().entrySet()) {
                statement = statement.param(p.getKey(), p.getValue());
            }
        }
        return statement;
    }
}
