package org.civicgrid.points;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Measurement points as lists and detail pages (not map layers), limited to the caller's scope. */
@Repository
class PointDirectoryRepository {

    static final String SEARCH = """
            SELECT mp.id, mp.name, mp.type_code, mp.address, g.code AS grid_code,
                   CASE WHEN CAST(:lon AS float8) IS NULL THEN NULL
                        ELSE round(ST_Distance(mp.geom::geography, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography)) END AS distance
            FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id
            WHERE g.code LIKE ANY (string_to_array(:scope, ','))
              AND (CAST(:pattern AS text) IS NULL OR mp.name ILIKE :pattern OR mp.address ILIKE :pattern OR g.code LIKE :pattern)
            ORDER BY CASE WHEN CAST(:lon AS float8) IS NULL THEN 0
                          ELSE mp.geom <-> ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) END, mp.name, mp.id
            LIMIT :limit""";
    static final String DETAIL = """
            SELECT mp.id, mp.name, mp.type_code, t.name_zh AS type_name, mp.address, mp.responsible_unit, g.code AS grid_code,
                   g.name AS grid_name, ST_X(ST_PointOnSurface(mp.geom)) AS lon, ST_Y(ST_PointOnSurface(mp.geom)) AS lat,
                   last.id AS last_inspection_id, last.submitted_at AS last_inspected_at, last.score_rate AS last_score_rate
            FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id JOIN point_type t ON t.code = mp.type_code
            LEFT JOIN LATERAL (SELECT i.id, i.submitted_at, i.score_rate FROM inspection i
                               WHERE i.point_id = mp.id AND i.status = 'SUBMITTED' ORDER BY i.submitted_at DESC LIMIT 1) last ON true
            WHERE mp.id = :id AND g.code LIKE ANY (string_to_array(:scope, ','))""";
    static final String OPEN_PROBLEMS = """
            SELECT p.id, p.status, c.name_zh AS category_name, p.description, p.deadline_at,
                   problem_light(p.status, p.warning_at, p.deadline_at, now()) AS light
            FROM problem p JOIN problem_category c ON c.code = p.category_code
            WHERE p.point_id = :id AND problem_is_open(p.status)
              AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            ORDER BY p.deadline_at NULLS LAST, p.id""";

    record PointSummary(long id, String name, String typeCode, String address, String gridCode, Long distanceMetres) {
    }

    record OpenProblem(long id, String status, String categoryName, String description, Instant deadlineAt, String light) {
    }

    record PointDetail(long id, String name, String typeCode, String typeName, String address, String responsibleUnit, String gridCode,
                       String gridName, double lon, double lat, Long lastInspectionId, Instant lastInspectedAt,
                       java.math.BigDecimal lastScoreRate, List<OpenProblem> openProblems) {
    }

    private final JdbcClient jdbc;

    PointDirectoryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<PointSummary> search(CallerScope scope, String query, Double lon, Double lat, int limit) {
        return jdbc.sql(SEARCH).param("scope", scope.codePatterns())
                .param("pattern", query == null || query.isBlank() ? null : "%" + query.strip().replace("%", "\\%").replace("_", "\\_") + "%")
                .param("lon", lon).param("lat", lat).param("limit", limit)
                .query((rs, n) -> new PointSummary(rs.getLong("id"), rs.getString("name"), rs.getString("type_code"), rs.getString("address"),
                        rs.getString("grid_code"), rs.getObject("distance") == null ? null : rs.getLong("distance")))
                .list();
    }

    Optional<PointDetail> detail(long id, CallerScope scope) {
        List<OpenProblem> problems = jdbc.sql(OPEN_PROBLEMS).param("id", id).param("department", scope.departmentCode().orElse(null))
                .query((rs, n) -> new OpenProblem(rs.getLong("id"), rs.getString("status"), rs.getString("category_name"),
                        rs.getString("description"), instant(rs.getTimestamp("deadline_at")), rs.getString("light"))).list();
        return jdbc.sql(DETAIL).param("id", id).param("scope", scope.codePatterns())
                .query((rs, n) -> new PointDetail(rs.getLong("id"), rs.getString("name"), rs.getString("type_code"), rs.getString("type_name"),
                        rs.getString("address"), rs.getString("responsible_unit"), rs.getString("grid_code"), rs.getString("grid_name"),
                        rs.getDouble("lon"), rs.getDouble("lat"), (Long) rs.getObject("last_inspection_id"),
                        instant(rs.getTimestamp("last_inspected_at")), rs.getBigDecimal("last_score_rate"), problems))
                .optional();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
