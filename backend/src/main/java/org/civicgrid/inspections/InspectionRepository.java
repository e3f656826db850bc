package org.civicgrid.inspections;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Inspections of points and their checklist results; every read limited to the caller's scope. */
@Repository
class InspectionRepository {

    static final String POINT_IN_SCOPE = """
            SELECT mp.id, mp.type_code, mp.grid_id, ST_X(ST_PointOnSurface(mp.geom)) AS lon, ST_Y(ST_PointOnSurface(mp.geom)) AS lat
            FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id
            WHERE mp.id = :id AND g.code LIKE ANY (string_to_array(:scope, ','))""";
    static final String INSERT_INSPECTION = """
            INSERT INTO inspection (point_id, grid_id, inspector_id, location)
            VALUES (:pointId, :gridId, :inspectorId,
                    CASE WHEN CAST(:lon AS float8) IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) END)
            RETURNING id""";
    static final String HEADER = """
            SELECT i.id, i.point_id, mp.name AS point_name, mp.type_code, g.code AS grid_code, i.status, u.username AS inspector,
                   i.inspector_id, i.started_at, i.submitted_at, i.passed_count, i.failed_count, i.na_count, i.score_rate, i.version
            FROM inspection i JOIN measurement_point mp ON mp.id = i.point_id JOIN grid g ON g.id = i.grid_id
            JOIN app_user u ON u.id = i.inspector_id
            WHERE i.id = :id AND g.code LIKE ANY (string_to_array(:scope, ','))""";
    static final String ITEMS = """
            SELECT ci.code, ci.sort_order, ci.text_zh, ci.text_en, ci.category_code, r.outcome, r.note, r.problem_id,
                   array(SELECT rp.photo_id::text FROM inspection_result_photo rp
                         WHERE rp.inspection_id = :id AND rp.item_code = ci.code ORDER BY rp.photo_id) AS photos
            FROM checklist_item ci
            LEFT JOIN inspection_result r ON r.inspection_id = :id AND r.item_code = ci.code
            WHERE ci.point_type_code = :typeCode AND (ci.active OR r.item_code IS NOT NULL)
            ORDER BY ci.sort_order, ci.code""";
    static final String UPSERT_RESULT = """
            INSERT INTO inspection_result (inspection_id, item_code, outcome, note) VALUES (:id, :item, :outcome, :note)
            ON CONFLICT (inspection_id, item_code) DO UPDATE SET outcome = EXCLUDED.outcome, note = EXCLUDED.note""";
    static final String CLEAR_RESULT_PHOTOS = "DELETE FROM inspection_result_photo WHERE inspection_id = :id AND item_code = :item";
    static final String INSERT_RESULT_PHOTO = "INSERT INTO inspection_result_photo (inspection_id, item_code, photo_id) VALUES (:id, :item, :photo)";
    static final String BUMP_VERSION = "UPDATE inspection SET version = version + 1 WHERE id = :id AND version = :version";
    static final String LOCK = "SELECT version FROM inspection WHERE id = :id FOR UPDATE";
    static final String LINK_PROBLEM = "UPDATE inspection_result SET problem_id = :problemId WHERE inspection_id = :id AND item_code = :item";
    static final String FINISH = """
            UPDATE inspection SET status = 'SUBMITTED', submitted_at = now(), passed_count = :passed, failed_count = :failed,
                   na_count = :na, score_rate = :scoreRate, version = version + 1
            WHERE id = :id""";
    static final String UNINSPECTED = """
            SELECT mp.id, mp.name, mp.type_code, g.code AS grid_code, last.at AS last_inspected_at
            FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id
            LEFT JOIN LATERAL (SELECT max(i.submitted_at) AS at FROM inspection i WHERE i.point_id = mp.id AND i.status = 'SUBMITTED') last ON true
            WHERE g.code LIKE ANY (string_to_array(:scope, ','))
              AND (last.at IS NULL OR last.at < now() - make_interval(days => :days))
            ORDER BY last.at NULLS FIRST, g.code, mp.id
            LIMIT :limit""";
    static final String CHECKLIST_OF_TYPE = """
            SELECT code, point_type_code, sort_order, text_zh, text_en, category_code, active FROM checklist_item
            WHERE point_type_code = :typeCode AND (active OR :includeInactive) ORDER BY sort_order, code""";

    record PointRow(long id, String typeCode, long gridId, double lon, double lat) {
    }

    record Header(long id, long pointId, String pointName, String typeCode, String gridCode, String status, String inspector,
                  long inspectorId, Instant startedAt, Instant submittedAt, int passed, int failed, int na, java.math.BigDecimal scoreRate,
                  long version) {
    }

    private final JdbcClient jdbc;

    InspectionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<PointRow> point(long id, CallerScope scope) {
        return jdbc.sql(POINT_IN_SCOPE).param("id", id).param("scope", scope.codePatterns())
                .query((rs, n) -> new PointRow(rs.getLong("id"), rs.getString("type_code"), rs.getLong("grid_id"), rs.getDouble("lon"),
                        rs.getDouble("lat"))).optional();
    }

    long insert(long pointId, long gridId, long inspectorId, Double lon, Double lat) {
        return jdbc.sql(INSERT_INSPECTION).param("pointId", pointId).param("gridId", gridId).param("inspectorId", inspectorId)
                .param("lon", lon).param("lat", lat).query(Long.class).single();
    }

    Optional<Header> header(long id, CallerScope scope) {
        return jdbc.sql(HEADER).param("id", id).param("scope", scope.codePatterns())
                .query((rs, n) -> new Header(rs.getLong("id"), rs.getLong("point_id"), rs.getString("point_name"), rs.getString("type_code"),
                        rs.getString("grid_code"), rs.getString("status"), rs.getString("inspector"), rs.getLong("inspector_id"),
                        rs.getTimestamp("started_at").toInstant(), instant(rs.getTimestamp("submitted_at")), rs.getInt("passed_count"),
                        rs.getInt("failed_count"), rs.getInt("na_count"), rs.getBigDecimal("score_rate"), rs.getLong("version")))
                .optional();
    }

    List<InspectionViews.Item> items(long id, String typeCode) {
        return jdbc.sql(ITEMS).param("id", id).param("typeCode", typeCode)
                .query((rs, n) -> new InspectionViews.Item(rs.getString("code"), rs.getInt("sort_order"), rs.getString("text_zh"),
                        rs.getString("text_en"), rs.getString("category_code"), rs.getString("outcome"), rs.getString("note"),
                        photoIds((Object[]) rs.getArray("photos").getArray()), (Long) rs.getObject("problem_id")))
                .list();
    }

    long lockVersion(long id) {
        return jdbc.sql(LOCK).param("id", id).query(Long.class).single();
    }

    void bumpVersion(long id, long version) {
        jdbc.sql(BUMP_VERSION).param("id", id).param("version", version).update();
    }

    void saveResult(long id, String item, String outcome, String note, List<UUID> photos) {
        jdbc.sql(UPSERT_RESULT).param("id", id).param("item", item).param("outcome", outcome).param("note", note).update();
        jdbc.sql(CLEAR_RESULT_PHOTOS).param("id", id).param("item", item).update();
        for (UUID photo : photos) {
            jdbc.sql(INSERT_RESULT_PHOTO).param("id", id).param("item", item).param("photo", photo).update();
        }
    }

    void linkProblem(long id, String item, long problemId) {
        jdbc.sql(LINK_PROBLEM).param("id", id).param("item", item).param("problemId", problemId).update();
    }

    void finish(long id, int passed, int failed, int na, java.math.BigDecimal scoreRate) {
        jdbc.sql(FINISH).param("id", id).param("passed", passed).param("failed", failed).param("na", na).param("scoreRate", scoreRate).update();
    }

    List<InspectionViews.Uninspected> uninspected(CallerScope scope, int days, int limit) {
        return jdbc.sql(UNINSPECTED).param("scope", scope.codePatterns()).param("days", days).param("limit", limit)
                .query((rs, n) -> new InspectionViews.Uninspected(rs.getLong("id"), rs.getString("name"), rs.getString("type_code"),
                        rs.getString("grid_code"), instant(rs.getTimestamp("last_inspected_at")))).list();
    }

    List<InspectionViews.ChecklistItem> checklist(String typeCode, boolean includeInactive) {
        return jdbc.sql(CHECKLIST_OF_TYPE).param("typeCode", typeCode).param("includeInactive", includeInactive)
                .query((rs, n) -> new InspectionViews.ChecklistItem(rs.getString("code"), rs.getString("point_type_code"), rs.getInt("sort_order"),
                        rs.getString("text_zh"), rs.getString("text_en"), rs.getString("category_code"), rs.getBoolean("active"))).list();
    }

    private static List<UUID> photoIds(Object[] values) {
        List<UUID> ids = new ArrayList<>();
        Arrays.stream(values).forEach(v -> ids.add(UUID.fromString(String.valueOf(v))));
        return ids;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
