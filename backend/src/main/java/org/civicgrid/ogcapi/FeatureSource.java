package org.civicgrid.ogcapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tables behind the collections, as fixed SQL fragments: what to select from, how the caller's scope
 * limits it, the geometry, the feature id and the properties a GIS user gets (and may filter on). Nothing
 * here is ever built from request text; filters only reference these properties by name.
 */
enum FeatureSource {

    DISTRICTS("district t", "t.code LIKE ANY (string_to_array(:scope, ','))", "t.boundary", "t.code", false, "multipolygon",
            List.of(Property.text("code", "t.code", "区县代码 District code (GB/T 2260)"),
                    Property.text("name", "t.name", "名称 Name"))),
    STREETS("street t", "t.code LIKE ANY (string_to_array(:scope, ','))", "t.boundary", "t.code", false, "multipolygon",
            List.of(Property.text("code", "t.code", "街道代码 Street code"),
                    Property.text("name", "t.name", "名称 Name"),
                    Property.text("district_code", "t.district_code", "所属区县 District code"))),
    COMMUNITIES("community t", "t.code LIKE ANY (string_to_array(:scope, ','))", "t.boundary", "t.code", false, "multipolygon",
            List.of(Property.text("code", "t.code", "社区代码 Community code"),
                    Property.text("name", "t.name", "名称 Name"),
                    Property.text("street_code", "t.street_code", "所属街道 Street code"),
                    Property.integer("households", "t.households", "户数 Households"))),
    /** Current grids; with {@code datetime}, every version valid at some time of the interval. */
    GRIDS("grid t", "t.code LIKE ANY (string_to_array(:scope, ','))", "t.boundary", "t.id", true, "polygon",
            List.of(Property.integer("id", "t.id", "版本标识 Id of this grid version"),
                    Property.text("code", "t.code", "网格编码 Grid code (15 digits)"),
                    Property.text("name", "t.name", "名称 Name"),
                    Property.text("community_code", "t.community_code", "所属社区 Community code"),
                    Property.integer("households", "t.households", "户数 Households"),
                    Property.integer("version", "t.version", "版本 Version"),
                    Property.date("valid_from", "t.valid_from", "生效日期 Valid from"),
                    Property.date("valid_to", "t.valid_to", "失效日期 Valid to (empty: current)"))),
    POINTS("measurement_point t JOIN grid g ON g.id = t.grid_id JOIN point_type pt ON pt.code = t.type_code",
            "g.code LIKE ANY (string_to_array(:scope, ','))", "t.geom", "t.id", true, "geometry",
            List.of(Property.integer("id", "t.id", "点位标识 Point id"),
                    Property.text("name", "t.name", "名称 Name"),
                    Property.text("type_code", "t.type_code", "点位类型 Point type code"),
                    Property.text("type_name", "pt.name_zh", "类型名称 Point type name"),
                    Property.text("address", "t.address", "地址 Address"),
                    Property.text("responsible_unit", "t.responsible_unit", "责任单位 Responsible unit"),
                    Property.text("grid_code", "g.code", "所属网格 Grid code"))),
    /** Problems without personal data: no description, reporter, assignee or photos. */
    PROBLEMS("problem t JOIN grid g ON g.id = t.grid_id",
            "g.code LIKE ANY (string_to_array(:scope, ',')) AND (CAST(:department AS varchar) IS NULL OR t.handler_department_code = :department)",
            "t.location", "t.id", true, "point",
            List.of(Property.integer("id", "t.id", "问题编号 Problem id"),
                    Property.text("status", "t.status", "状态 Status",
                            List.of("REPORTED", "ACCEPTED", "REJECTED", "DISPATCHED", "IN_PROGRESS", "SUBMITTED", "RETURNED", "CLOSED", "SUSPENDED")),
                    Property.text("category", "t.category_code", "问题类别 Category code"),
                    Property.text("light", "problem_light(t.status, t.warning_at, t.deadline_at, now())", "红黄绿灯 Traffic light (empty when not running)",
                            List.of("GREEN", "YELLOW", "RED")),
                    Property.timestamp("reported_at", "t.reported_at", "上报时间 Reported at"),
                    Property.timestamp("accepted_at", "t.accepted_at", "立案时间 Accepted at"),
                    Property.timestamp("deadline_at", "t.deadline_at", "整改期限 Deadline"),
                    Property.timestamp("closed_at", "t.closed_at", "结案时间 Closed at"),
                    Property.text("grid_code", "g.code", "所属网格 Grid code"),
                    Property.integer("point_id", "t.point_id", "测评点位 Measurement point id")));

    enum Type {
        STRING, INTEGER, DATE, TIMESTAMP
    }

    /** A feature property: its name in GeoJSON and in filters, the SQL expression it reads, and its type. */
    record Property(String name, String sql, Type type, String title, List<String> values) {

        static Property text(String name, String sql, String title) {
            return new Property(name, sql, Type.STRING, title, List.of());
        }

        static Property text(String name, String sql, String title, List<String> values) {
            return new Property(name, sql, Type.STRING, title, values);
        }

        static Property integer(String name, String sql, String title) {
            return new Property(name, sql, Type.INTEGER, title, List.of());
        }

        static Property date(String name, String sql, String title) {
            return new Property(name, sql, Type.DATE, title, List.of());
        }

        static Property timestamp(String name, String sql, String title) {
            return new Property(name, sql, Type.TIMESTAMP, title, List.of());
        }

        /** What the property looks like in GeoJSON: times as RFC 3339 in UTC, dates as YYYY-MM-DD. */
        String outputSql() {
            return switch (type) {
                case TIMESTAMP -> "to_char(" + sql + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
                case DATE -> "to_char(" + sql + ", 'YYYY-MM-DD')";
                default -> sql;
            };
        }
    }

    final String from;
    final String scopeCondition;
    final String geometry;
    final String id;
    final boolean numericId;
    /** The JSON Schema format of the geometry in queryables (geometry-point, geometry-polygon, …). */
    final String geometryKind;
    final List<Property> properties;
    private final Map<String, Property> byName = new LinkedHashMap<>();

    FeatureSource(String from, String scopeCondition, String geometry, String id, boolean numericId, String geometryKind,
                  List<Property> properties) {
        this.from = from;
        this.scopeCondition = scopeCondition;
        this.geometry = geometry;
        this.id = id;
        this.numericId = numericId;
        this.geometryKind = geometryKind;
        this.properties = properties;
        properties.forEach(p -> byName.put(p.name(), p));
    }

    Optional<Property> property(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The SQL of one feature as a GeoJSON object; {@code geometryJson} is the already transformed geometry as json. */
    String featureSql(String geometryJson) {
        StringBuilder props = new StringBuilder();
        for (Property p : properties) {
            if (!props.isEmpty()) {
                props.append(", ");
            }
            props.append('\'').append(p.name()).append("', ").append(p.outputSql());
        }
        return "json_build_object('type', 'Feature', 'id', " + id + ", 'geometry', " + geometryJson
                + ", 'properties', json_build_object(" + props + "))";
    }

    /** Whether the collection has a time dimension for {@code datetime}. */
    boolean temporal() {
        return this == GRIDS || this == PROBLEMS;
    }
}
