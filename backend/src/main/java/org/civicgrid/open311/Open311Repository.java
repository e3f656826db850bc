package org.civicgrid.open311;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Problem categories as Open311 services, and problems as service requests, limited to the caller's scope in SQL. */
@Repository
class Open311Repository {

    static final String SERVICES = """
            SELECT c.code, c.name_zh, c.name_en, c.event_class, c.time_limit_hours, a.name_zh AS action_name
            FROM problem_category c JOIN special_action a ON a.code = c.action_code
            ORDER BY a.sort_order, c.code""";

    static final String REQUEST_COLUMNS = """
            SELECT p.id, p.status, p.category_code, c.name_zh AS category_name, p.description, d.name_zh AS department_name,
                   p.reported_at, coalesce(last_event.occurred_at, p.reported_at) AS updated_at, p.deadline_at,
                   mp.id AS point_id, coalesce(mp.address, mp.name) AS address, ST_X(p.location) AS lon, ST_Y(p.location) AS lat,
                   p.media_url, last_event.notes
            FROM problem p
            JOIN grid g ON g.id = p.grid_id
            JOIN problem_category c ON c.code = p.category_code
            LEFT JOIN measurement_point mp ON mp.id = p.point_id
            LEFT JOIN department d ON d.code = p.handler_department_code
            LEFT JOIN LATERAL (SELECT e.occurred_at, coalesce(nullif(btrim(e.note), ''), e.action || ' → ' || coalesce(e.to_status, '')) AS notes
                               FROM problem_event e WHERE e.problem_id = p.id ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) last_event ON true
            WHERE g.code LIKE ANY (string_to_array(:scope, ','))
              AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            """;

    static final String REQUEST_BY_ID = REQUEST_COLUMNS + " AND p.id = :id";

    /** Filters of GET requests; an empty list or a null time means "any". Newest first, at most :limit. */
    static final String REQUESTS = REQUEST_COLUMNS + """
              AND (:ids = '' OR p.id = ANY (CAST(string_to_array(:ids, ',') AS bigint[])))
              AND (:codes = '' OR p.category_code = ANY (string_to_array(:codes, ',')))
              AND (CAST(:start AS timestamptz) IS NULL OR p.reported_at >= :start)
              AND (CAST(:end AS timestamptz) IS NULL OR p.reported_at <= :end)
              AND (:open OR NOT problem_is_open(p.status))
              AND (:closed OR problem_is_open(p.status))
            ORDER BY p.reported_at DESC, p.id DESC
            LIMIT :limit""";

    /** A place given as text: the measurement point in scope with exactly this address or name. */
    static final String POINT_AT_ADDRESS = """
            SELECT ST_X(ST_PointOnSurface(mp.geom)) AS lon, ST_Y(ST_PointOnSurface(mp.geom)) AS lat
            FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id
            WHERE g.code LIKE ANY (string_to_array(:scope, ',')) AND (mp.address = :text OR mp.name = :text)
            ORDER BY mp.id LIMIT 2""";

    static final String GRID_CODE = "SELECT g.code FROM problem p JOIN grid g ON g.id = p.grid_id WHERE p.id = :id";
    static final String SET_MEDIA_URL = "UPDATE problem SET media_url = :url WHERE id = :id";

    record Service(String code, String nameZh, String nameEn, String eventClass, double limitHours, String actionName) {
    }

    record Request(long id, String status, String serviceCode, String serviceName, String description, String agency, Instant requestedAt,
                   Instant updatedAt, Instant expectedAt, Long pointId, String address, double lon, double lat, String mediaUrl, String notes) {
    }

    record Filter(List<Long> ids, List<String> codes, Instant start, Instant end, boolean open, boolean closed, int limit) {
    }

    private final JdbcClient jdbc;

    Open311Repository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Service> services() {
        return jdbc.sql(SERVICES).query((rs, n) -> new Service(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getDouble(5), rs.getString(6))).list();
    }

    Optional<Service> service(String code) {
        return services().stream().filter(s -> s.code().equals(code)).findFirst();
    }

    Optional<Request> request(long id, CallerScope scope) {
        return jdbc.sql(REQUEST_BY_ID).param("id", id).param("scope", scope.codePatterns())
                .param("department", scope.departmentCode().orElse(null)).query(Open311Repository::request).optional();
    }

    List<Request> requests(Filter f, CallerScope scope) {
        return jdbc.sql(REQUESTS).param("scope", scope.codePatterns()).param("department", scope.departmentCode().orElse(null))
                .param("ids", String.join(",", f.ids().stream().map(String::valueOf).toList()))
                .param("codes", String.join(",", f.codes()))
                .param("start", f.start() == null ? null : Timestamp.from(f.start())).param("end", f.end() == null ? null : Timestamp.from(f.end()))
                .param("open", f.open()).param("closed", f.closed()).param("limit", f.limit())
                .query(Open311Repository::request).list();
    }

    List<double[]> pointsAt(String address, CallerScope scope) {
        return jdbc.sql(POINT_AT_ADDRESS).param("scope", scope.codePatterns()).param("text", address)
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).list();
    }

    String gridCode(long problemId) {
        return jdbc.sql(GRID_CODE).param("id", problemId).query(String.class).single();
    }

    void setMediaUrl(long id, String url) {
        jdbc.sql(SET_MEDIA_URL).param("id", id).param("url", url).update();
    }

    private static Request request(ResultSet rs, int n) throws SQLException {
        long point = rs.getLong("point_id");
        Long pointId = rs.wasNull() ? null : point;
        return new Request(rs.getLong("id"), rs.getString("status"), rs.getString("category_code"), rs.getString("category_name"),
                rs.getString("description"), rs.getString("department_name"), instant(rs.getTimestamp("reported_at")),
                instant(rs.getTimestamp("updated_at")), instant(rs.getTimestamp("deadline_at")), pointId,
                rs.getString("address"), rs.getDouble("lon"), rs.getDouble("lat"), rs.getString("media_url"), rs.getString("notes"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
