package org.civicgrid.problems;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Problems, their moves and their timeline. Every read is limited to the caller's scope in SQL. */
@Repository
class ProblemRepository {

    /** A problem is visible inside the caller's areas; a handler sees only what was dispatched to its department. */
    static final String VISIBLE = """
            g.code LIKE ANY (string_to_array(:scope, ','))
            AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)""";

    static final String STATE_FOR_UPDATE = """
            SELECT p.*, g.code AS grid_code, c.time_limit_hours
            FROM problem p JOIN grid g ON g.id = p.grid_id JOIN problem_category c ON c.code = p.category_code
            WHERE p.id = :id AND """ + " " + VISIBLE + " FOR UPDATE OF p";

    static final String WRITE_STATE = """
            UPDATE problem SET status = :status, accepted_at = :acceptedAt, dispatched_at = :dispatchedAt, submitted_at = :submittedAt,
                   closed_at = :closedAt, warning_at = :warningAt, deadline_at = :deadlineAt, handler_department_code = :department,
                   assignee_user_id = :assignee, rework_count = :reworkCount, urge_count = :urgeCount, last_urged_at = :lastUrgedAt,
                   supervised = :supervised, extension_pending = :extensionPending, extension_hours = :extensionHours,
                   suspended_from_status = :suspendedFrom, rejection_reason = :rejectionReason, duplicate_of_id = :duplicateOf,
                   version = version + 1
            WHERE id = :id AND version = :version""";

    static final String EVENT_BY_KEY = "SELECT count(*) FROM problem_event WHERE problem_id = :id AND idempotency_key = :key";
    static final String REPORT_BY_KEY = """
            SELECT problem_id FROM problem_event WHERE actor_id = :actor AND action = 'REPORT' AND idempotency_key = :key""";
    static final String INSERT_EVENT = """
            INSERT INTO problem_event (problem_id, actor_id, action, from_status, to_status, note, details, idempotency_key)
            VALUES (:problemId, :actorId, :action, :fromStatus, :toStatus, :note, CAST(:details AS jsonb), :key) RETURNING id""";
    static final String INSERT_EVENT_PHOTO = "INSERT INTO problem_event_photo (event_id, photo_id, purpose) VALUES (:eventId, :photoId, :purpose)";
    static final String FIRST_GRID_OWNER = """
            SELECT o.user_id FROM grid_owner o JOIN app_user u ON u.id = o.user_id
            WHERE o.grid_id = :gridId AND u.enabled ORDER BY u.username LIMIT 1""";
    static final String DEPARTMENT_EXISTS = "SELECT count(*) FROM department WHERE code = :code";
    static final String PROBLEM_EXISTS_IN_SCOPE = """
            SELECT count(*) FROM problem p JOIN grid g ON g.id = p.grid_id WHERE p.id = :id AND g.code LIKE ANY (string_to_array(:scope, ','))""";

    static final String DETAIL = """
            SELECT p.*, ST_X(p.location) AS lon, ST_Y(p.location) AS lat, g.code AS grid_code, g.name AS grid_name,
                   c.name_zh AS category_name, c.action_code, mp.name AS point_name, mp.type_code AS point_type,
                   d.name_zh AS department_name, u.display_name AS assignee_name, u.phone AS assignee_phone,
                   problem_light(p.status, p.warning_at, p.deadline_at, now()) AS light
            FROM problem p
            JOIN grid g ON g.id = p.grid_id
            JOIN problem_category c ON c.code = p.category_code
            LEFT JOIN measurement_point mp ON mp.id = p.point_id
            LEFT JOIN department d ON d.code = p.handler_department_code
            LEFT JOIN app_user u ON u.id = p.assignee_user_id
            WHERE p.id = :id AND """ + " " + VISIBLE;

    static final String EVENTS = """
            SELECT e.id, e.occurred_at, e.action, e.from_status, e.to_status, e.note, e.details::text AS details,
                   u.username, u.display_name,
                   coalesce((SELECT json_agg(json_build_object('id', ep.photo_id, 'purpose', ep.purpose) ORDER BY ep.purpose, ep.photo_id)
                             FROM problem_event_photo ep WHERE ep.event_id = e.id), '[]'::json)::text AS photos
            FROM problem_event e LEFT JOIN app_user u ON u.id = e.actor_id
            WHERE e.problem_id = :id ORDER BY e.occurred_at, e.id""";

    private static final int DISTRICT_CODE_LENGTH = 6;

    /** What a worklist row shows, of a problem {@code p} in grid {@code g}. */
    private static final String WORK_ITEM_COLUMNS = """
            SELECT p.id, p.status, c.name_zh AS category_name, p.description, mp.name AS point_name, g.code AS grid_code, p.deadline_at,
                   problem_light(p.status, p.warning_at, p.deadline_at, now()) AS light, p.urge_count, p.supervised, p.extension_pending,
                   p.handler_department_code, u.display_name AS assignee_name, p.version
            """;
    private static final String WORK_ITEM_FILTERS = """
             AND (NOT :departmentOnly OR p.handler_department_code IS NOT NULL)
             AND (NOT :gridOnly OR p.handler_department_code IS NULL)
             AND (NOT :attentionOnly OR p.urge_count > 0 OR p.supervised OR p.deadline_at < now())
            """;
    private static final String WORK_ITEM_JOINS = """
            JOIN problem_category c ON c.code = p.category_code
            LEFT JOIN measurement_point mp ON mp.id = p.point_id
            LEFT JOIN app_user u ON u.id = p.assignee_user_id
            """;
    private static final String WORK_ITEM_ORDER = """
            ORDER BY p.deadline_at NULLS LAST, p.id
            LIMIT :limit""";

    /**
     * A worklist within streets, communities or grids: the problems of each of the caller's grids (index on grid and
     * status; OFFSET 0 keeps it a loop over the grids rather than a hash of every open problem), the most urgent first.
     */
    static final String WORK_ITEMS_BY_GRID = """
            WITH sg AS MATERIALIZED (SELECT id, code FROM grid WHERE code LIKE ANY (string_to_array(:scope, ',')))
            """ + WORK_ITEM_COLUMNS + """
            FROM sg g CROSS JOIN LATERAL (
                SELECT p.* FROM problem p WHERE p.grid_id = g.id AND p.status = ANY (string_to_array(:statuses, ',')) OFFSET 0) p
            """ + WORK_ITEM_JOINS + """
            WHERE (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
            """ + WORK_ITEM_FILTERS + WORK_ITEM_ORDER;

    /**
     * The same list for a caller with whole districts: per status, the first rows in deadline order straight from the
     * (status, deadline_at, id) index (V18), then the statuses merged — instead of sorting every open problem of a district.
     */
    static final String WORK_ITEMS_BY_STATUS = WORK_ITEM_COLUMNS + """
            FROM unnest(string_to_array(:statuses, ',')) AS s(status)
            CROSS JOIN LATERAL (
                SELECT p.* FROM problem p JOIN grid g ON g.id = p.grid_id
                WHERE p.status = s.status AND """ + " " + VISIBLE + "\n" + WORK_ITEM_FILTERS + """
                ORDER BY p.deadline_at NULLS LAST, p.id
                LIMIT :limit) p
            JOIN grid g ON g.id = p.grid_id
            """ + WORK_ITEM_JOINS + WORK_ITEM_ORDER;

    private final JdbcClient jdbc;

    ProblemRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<ProblemState> lockState(long id, CallerScope scope) {
        return jdbc.sql(STATE_FOR_UPDATE).param("id", id).param("scope", scope.codePatterns())
                .param("department", scope.departmentCode().orElse(null)).query(ProblemRepository::state).optional();
    }

    /** Writes a changed state; false when another transaction changed the row in between (cannot happen under the lock). */
    boolean write(ProblemState s) {
        return jdbc.sql(WRITE_STATE).param("id", s.id).param("version", s.version).param("status", s.status.name())
                .param("acceptedAt", ts(s.acceptedAt)).param("dispatchedAt", ts(s.dispatchedAt)).param("submittedAt", ts(s.submittedAt))
                .param("closedAt", ts(s.closedAt)).param("warningAt", ts(s.warningAt)).param("deadlineAt", ts(s.deadlineAt))
                .param("department", s.handlerDepartmentCode).param("assignee", s.assigneeUserId).param("reworkCount", s.reworkCount)
                .param("urgeCount", s.urgeCount).param("lastUrgedAt", ts(s.lastUrgedAt)).param("supervised", s.supervised)
                .param("extensionPending", s.extensionPending).param("extensionHours", s.extensionHours)
                .param("suspendedFrom", s.suspendedFrom == null ? null : s.suspendedFrom.name())
                .param("rejectionReason", s.rejectionReason).param("duplicateOf", s.duplicateOfId)
                .update() == 1;
    }

    boolean eventExists(long problemId, String idempotencyKey) {
        return jdbc.sql(EVENT_BY_KEY).param("id", problemId).param("key", idempotencyKey).query(Long.class).single() > 0;
    }

    /** The problem this person already reported with this Idempotency-Key, if any. */
    Optional<Long> reportedWithKey(long actorId, String idempotencyKey) {
        return jdbc.sql(REPORT_BY_KEY).param("actor", actorId).param("key", idempotencyKey).query(Long.class).optional();
    }

    long insertEvent(long problemId, long actorId, String action, ProblemStatus from, ProblemStatus to, String note, String detailsJson,
                     String idempotencyKey) {
        return jdbc.sql(INSERT_EVENT).param("problemId", problemId).param("actorId", actorId).param("action", action)
                .param("fromStatus", from == null ? null : from.name()).param("toStatus", to == null ? null : to.name())
                .param("note", note).param("details", detailsJson).param("key", idempotencyKey).query(Long.class).single();
    }

    void attachPhotos(long eventId, List<UUID> photoIds, String purpose) {
        for (UUID photoId : photoIds) {
            jdbc.sql(INSERT_EVENT_PHOTO).param("eventId", eventId).param("photoId", photoId).param("purpose", purpose).update();
        }
    }

    Optional<Long> firstGridOwner(long gridId) {
        return jdbc.sql(FIRST_GRID_OWNER).param("gridId", gridId).query(Long.class).optional();
    }

    boolean departmentExists(String code) {
        return jdbc.sql(DEPARTMENT_EXISTS).param("code", code).query(Long.class).single() > 0;
    }

    boolean existsInScope(long id, CallerScope scope) {
        return jdbc.sql(PROBLEM_EXISTS_IN_SCOPE).param("id", id).param("scope", scope.codePatterns()).query(Long.class).single() > 0;
    }

    Optional<ResultRow> detailRow(long id, CallerScope scope) {
        return jdbc.sql(DETAIL).param("id", id).param("scope", scope.codePatterns()).param("department", scope.departmentCode().orElse(null))
                .query((rs, n) -> new ResultRow(state(rs, n), rs)).optional();
    }

    List<EventRow> events(long id) {
        return jdbc.sql(EVENTS).param("id", id).query((rs, n) -> new EventRow(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("action"), rs.getString("from_status"), rs.getString("to_status"), rs.getString("note"), rs.getString("details"),
                rs.getString("username"), rs.getString("display_name"), rs.getString("photos"))).list();
    }

    record WorkQuery(String statuses, boolean departmentOnly, boolean gridOnly, boolean attentionOnly, int limit) {
    }

    List<ProblemViews.WorkItem> workItems(CallerScope scope, WorkQuery query) {
        boolean districts = scope.wholeCity() || scope.areaCodes().stream().anyMatch(code -> code.length() == DISTRICT_CODE_LENGTH);
        return jdbc.sql(districts ? WORK_ITEMS_BY_STATUS : WORK_ITEMS_BY_GRID).param("scope", scope.codePatterns()).param("department", scope.departmentCode().orElse(null))
                .param("statuses", query.statuses()).param("departmentOnly", query.departmentOnly()).param("gridOnly", query.gridOnly())
                .param("attentionOnly", query.attentionOnly()).param("limit", query.limit())
                .query((rs, n) -> new ProblemViews.WorkItem(rs.getLong("id"), rs.getString("status"), rs.getString("category_name"),
                        rs.getString("description"), rs.getString("point_name"), rs.getString("grid_code"), instant(rs.getTimestamp("deadline_at")),
                        rs.getString("light"), rs.getInt("urge_count"), rs.getBoolean("supervised"), rs.getBoolean("extension_pending"),
                        rs.getString("handler_department_code"), rs.getString("assignee_name"), rs.getLong("version")))
                .list();
    }

    /** The detail query's row: the loop state plus the display columns, read eagerly. */
    static final class ResultRow {
        final ProblemState state;
        final String externalId;
        final String categoryCode;
        final String categoryName;
        final String actionCode;
        final String description;
        final Long pointId;
        final String pointName;
        final String pointType;
        final String gridName;
        final double lon;
        final double lat;
        final Instant reportedAt;
        final String departmentName;
        final String assigneeName;
        final String assigneePhone;
        final String light;
        final Long inspectionId;

        ResultRow(ProblemState state, ResultSet rs) throws SQLException {
            this.state = state;
            externalId = rs.getString("external_id");
            categoryCode = rs.getString("category_code");
            categoryName = rs.getString("category_name");
            actionCode = rs.getString("action_code");
            description = rs.getString("description");
            pointId = (Long) rs.getObject("point_id");
            pointName = rs.getString("point_name");
            pointType = rs.getString("point_type");
            gridName = rs.getString("grid_name");
            lon = rs.getDouble("lon");
            lat = rs.getDouble("lat");
            reportedAt = rs.getTimestamp("reported_at").toInstant();
            departmentName = rs.getString("department_name");
            assigneeName = rs.getString("assignee_name");
            assigneePhone = rs.getString("assignee_phone");
            light = rs.getString("light");
            inspectionId = (Long) rs.getObject("inspection_id");
        }
    }

    record EventRow(long id, Instant occurredAt, String action, String fromStatus, String toStatus, String note, String details,
                    String username, String displayName, String photosJson) {
    }

    private static ProblemState state(ResultSet rs, int row) throws SQLException {
        ProblemState s = new ProblemState();
        s.id = rs.getLong("id");
        s.version = rs.getLong("version");
        s.gridId = rs.getLong("grid_id");
        s.gridCode = rs.getString("grid_code");
        s.timeLimitHours = hasColumn(rs, "time_limit_hours") ? rs.getDouble("time_limit_hours") : 0;
        s.status = ProblemStatus.valueOf(rs.getString("status"));
        s.acceptedAt = instant(rs.getTimestamp("accepted_at"));
        s.dispatchedAt = instant(rs.getTimestamp("dispatched_at"));
        s.submittedAt = instant(rs.getTimestamp("submitted_at"));
        s.closedAt = instant(rs.getTimestamp("closed_at"));
        s.warningAt = instant(rs.getTimestamp("warning_at"));
        s.deadlineAt = instant(rs.getTimestamp("deadline_at"));
        s.handlerDepartmentCode = rs.getString("handler_department_code");
        s.assigneeUserId = (Long) rs.getObject("assignee_user_id");
        s.reworkCount = rs.getInt("rework_count");
        s.urgeCount = rs.getInt("urge_count");
        s.lastUrgedAt = instant(rs.getTimestamp("last_urged_at"));
        s.supervised = rs.getBoolean("supervised");
        s.extensionPending = rs.getBoolean("extension_pending");
        s.extensionHours = rs.getObject("extension_hours") == null ? null : rs.getDouble("extension_hours");
        String suspendedFrom = rs.getString("suspended_from_status");
        s.suspendedFrom = suspendedFrom == null ? null : ProblemStatus.valueOf(suspendedFrom);
        s.rejectionReason = rs.getString("rejection_reason");
        s.duplicateOfId = (Long) rs.getObject("duplicate_of_id");
        return s;
    }

    private static boolean hasColumn(ResultSet rs, String column) throws SQLException {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            if (rs.getMetaData().getColumnName(i).equalsIgnoreCase(column)) {
                return true;
            }
        }
        return false;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
