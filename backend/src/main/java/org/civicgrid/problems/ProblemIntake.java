package org.civicgrid.problems;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;

import org.civicgrid.audit.AuditTrail;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * New problems: reported at a place on the map (the grid and the nearest point are found spatially),
 * or opened from a failed checklist item of an inspection (立案 at once, with its deadline).
 */
@Service
public class ProblemIntake {

    /** A reported place belongs to the nearest measurement point within this distance, if any. */
    static final int NEAREST_POINT_METRES = 300;

    static final String GRID_AT = """
            SELECT g.id, g.code FROM grid g
            WHERE g.valid_to IS NULL AND ST_Covers(g.boundary, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))
              AND g.code LIKE ANY (string_to_array(:scope, ','))
            ORDER BY g.id LIMIT 1""";
    static final String NEAREST_POINT = """
            SELECT mp.id FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id
            WHERE g.code LIKE ANY (string_to_array(:scope, ','))
              AND ST_DWithin(mp.geom::geography, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography, :metres)
            ORDER BY mp.geom <-> ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) LIMIT 1""";
    static final String CATEGORY_LIMIT = "SELECT time_limit_hours FROM problem_category WHERE code = :code";
    static final String INSERT_PROBLEM = """
            INSERT INTO problem (point_id, category_code, status, location, description, reported_at, accepted_at, warning_at,
                                 deadline_at, reporter_id, inspection_id)
            VALUES (:pointId, :category, :status, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :description, :now, :acceptedAt,
                    :warningAt, :deadlineAt, :reporter, :inspectionId)
            RETURNING id""";

    public record Report(Double lon, Double lat, String categoryCode, String description, List<UUID> photoIds, Long pointId) {
    }

    private final JdbcClient jdbc;
    private final ProblemRepository problems;
    private final Deadlines deadlines;
    private final AuditTrail audit;

    ProblemIntake(JdbcClient jdbc, ProblemRepository problems, Deadlines deadlines, AuditTrail audit) {
        this.jdbc = jdbc;
        this.problems = problems;
        this.deadlines = deadlines;
        this.audit = audit;
    }

    /** A problem reported at a place: status REPORTED, waiting for 立案. Photos must already be the caller's own. */
    @Transactional
    public long report(CurrentUser reporter, Report report, List<UUID> photos, String idempotencyKey) {
        if (idempotencyKey != null) {
            Optional<Long> earlier = problems.reportedWithKey(reporter.id(), idempotencyKey);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        if (report.lon() == null || report.lat() == null || !Double.isFinite(report.lon()) || !Double.isFinite(report.lat())
                || Math.abs(report.lon()) > 180 || Math.abs(report.lat()) > 90) {
            throw new InvalidParameterException("lon/lat", "a location in WGS84 degrees is required");
        }
        if (report.description() == null || report.description().isBlank() || report.description().length() > 2000) {
            throw new InvalidParameterException("description", "is required (at most 2000 characters)");
        }
        categoryLimit(report.categoryCode());
        jdbc.sql(GRID_AT).param("lon", report.lon()).param("lat", report.lat()).param("scope", reporter.scope().codePatterns())
                .query((rs, n) -> rs.getString("code")).optional()
                .orElseThrow(() -> new InvalidParameterException("lon/lat", "(" + report.lon() + ", " + report.lat() + ") lies in no grid of your area"));
        Long pointId = jdbc.sql(NEAREST_POINT).param("lon", report.lon()).param("lat", report.lat())
                .param("scope", reporter.scope().codePatterns()).param("metres", NEAREST_POINT_METRES).query(Long.class).optional().orElse(null);
        long id = insert(reporter, pointId, report.categoryCode(), ProblemStatus.REPORTED, report.lon(), report.lat(),
                report.description().strip(), null, null);
        long eventId = problems.insertEvent(id, reporter.id(), "REPORT", null, ProblemStatus.REPORTED, null, null, idempotencyKey);
        problems.attachPhotos(eventId, photos, "BEFORE");
        audit.record("PROBLEM_REPORTED", "problem", id, gridCodeOf(id), null, Map.of("categoryCode", report.categoryCode(), "pointId",
                String.valueOf(pointId)));
        return id;
    }

    /** After a concurrent duplicate lost the race on the key's unique index: the problem the winner reported. */
    public Optional<Long> reportedWithKey(CurrentUser reporter, String idempotencyKey) {
        return problems.reportedWithKey(reporter.id(), idempotencyKey);
    }

    /** A failed checklist item found by an inspector: accepted at once (立案) with its deadline, the before-photos attached. */
    @Transactional
    public long openFromInspection(CurrentUser inspector, long inspectionId, long pointId, double lon, double lat, String categoryCode,
                                   String description, List<UUID> beforePhotos) {
        double limitHours = categoryLimit(categoryCode);
        Instant now = Instant.now();
        Deadlines.Window window = deadlines.from(now, Deadlines.hours(limitHours));
        long id = insert(inspector, pointId, categoryCode, ProblemStatus.ACCEPTED, lon, lat, description, window, inspectionId);
        long eventId = problems.insertEvent(id, inspector.id(), "REPORT", null, ProblemStatus.REPORTED, null, null, null);
        problems.attachPhotos(eventId, beforePhotos, "BEFORE");
        problems.insertEvent(id, inspector.id(), "ACCEPT", ProblemStatus.REPORTED, ProblemStatus.ACCEPTED, null, null, null);
        audit.record("PROBLEM_REPORTED", "problem", id, gridCodeOf(id), null, Map.of("inspectionId", inspectionId, "categoryCode", categoryCode));
        return id;
    }

    private long insert(CurrentUser reporter, Long pointId, String category, ProblemStatus status, double lon, double lat,
                        String description, Deadlines.Window window, Long inspectionId) {
        Instant now = Instant.now();
        return jdbc.sql(INSERT_PROBLEM).param("pointId", pointId).param("category", category).param("status", status.name())
                .param("lon", lon).param("lat", lat).param("description", description).param("now", java.sql.Timestamp.from(now))
                .param("acceptedAt", window == null ? null : java.sql.Timestamp.from(now))
                .param("warningAt", window == null ? null : java.sql.Timestamp.from(window.warningAt()))
                .param("deadlineAt", window == null ? null : java.sql.Timestamp.from(window.deadlineAt()))
                .param("reporter", reporter.id()).param("inspectionId", inspectionId)
                .query(Long.class).single();
    }

    private double categoryLimit(String categoryCode) {
        return jdbc.sql(CATEGORY_LIMIT).param("code", categoryCode == null ? "" : categoryCode).query(Double.class).optional()
                .orElseThrow(() -> new InvalidParameterException("categoryCode", "no problem category has the code " + categoryCode));
    }

    private String gridCodeOf(long problemId) {
        return jdbc.sql("SELECT g.code FROM problem p JOIN grid g ON g.id = p.grid_id WHERE p.id = :id").param("id", problemId)
                .query(String.class).single();
    }
}
