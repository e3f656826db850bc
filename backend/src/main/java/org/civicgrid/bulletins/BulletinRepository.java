package org.civicgrid.bulletins;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.civicgrid.indicators.Period;
import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What the bulletin lists beyond the dashboard's figures: worst points, their photos, overdue and urged problems. Every query is
 * limited to the area's grids inside the caller's scope; stocks are taken at :e (the week's end, or now during the week) with the
 * same definitions as {@code IndicatorQueries}: open at :e = reported before it, not rejected, not closed before it; overdue at :e =
 * open then, not suspended, deadline before it.
 */
@Repository
class BulletinRepository {

    static final int LIST_LIMIT = 200;

    private static final String AREA_GRIDS = """
            WITH ag AS MATERIALIZED (
                SELECT id FROM grid WHERE code LIKE :area AND code LIKE ANY (string_to_array(:scope, ',')))
            """;

    private static final String OPEN_AT_E = """
             p.reported_at < :e AND p.status <> 'REJECTED' AND (p.closed_at IS NULL OR p.closed_at >= :e)
            """;

    /** The {@code :limit} points with the most problems open at :e; light 3 red (overdue), 2 yellow (past the warning), 1 green. */
    static final String WORST_POINTS = AREA_GRIDS + """
            SELECT mp.id, mp.name, pg.code AS grid_code, pg.name AS grid_name, count(*) AS open,
                   max(CASE WHEN p.deadline_at IS NULL OR p.status = 'SUSPENDED' THEN 0
                            WHEN p.deadline_at < :e THEN 3
                            WHEN p.warning_at IS NOT NULL AND p.warning_at <= :e THEN 2
                            ELSE 1 END) AS light
            FROM problem p JOIN measurement_point mp ON mp.id = p.point_id LEFT JOIN grid pg ON pg.id = mp.grid_id
            WHERE p.grid_id IN (SELECT id FROM ag) AND""" + OPEN_AT_E + """
            GROUP BY mp.id, mp.name, pg.code, pg.name
            ORDER BY count(*) DESC, light DESC, mp.id
            LIMIT :limit""";

    /** Per point, the most recent problem reported before :e that has before or after photos, with those photos (at most 3 of each). */
    static final String POINT_PHOTOS = AREA_GRIDS + """
            , latest AS (
                SELECT DISTINCT ON (p.point_id) p.point_id, p.id
                FROM problem p
                WHERE p.point_id IN (:points) AND p.grid_id IN (SELECT id FROM ag) AND p.reported_at < :e
                  AND EXISTS (SELECT 1 FROM problem_event e JOIN problem_event_photo ep ON ep.event_id = e.id
                              WHERE e.problem_id = p.id AND ep.purpose IN ('BEFORE', 'AFTER'))
                ORDER BY p.point_id, p.reported_at DESC, p.id DESC)
            SELECT point_id, problem_id, photo_id, purpose FROM (
                SELECT l.point_id, l.id AS problem_id, ep.photo_id, ep.purpose,
                       row_number() OVER (PARTITION BY l.id, ep.purpose ORDER BY e.occurred_at, ep.photo_id) AS n
                FROM latest l JOIN problem_event e ON e.problem_id = l.id JOIN problem_event_photo ep ON ep.event_id = e.id
                WHERE ep.purpose IN ('BEFORE', 'AFTER')) x
            WHERE n <= 3
            ORDER BY point_id, purpose DESC, n""";

    private static final String LINE_COLUMNS = """
            SELECT p.id, c.name_zh AS category, mp.name AS point, g.code AS grid_code, g.name AS grid_name, p.deadline_at,
                   CASE WHEN p.deadline_at < :e AND p.status NOT IN ('REJECTED', 'SUSPENDED') AND (p.closed_at IS NULL OR p.closed_at >= :e)
                        THEN ceil(extract(epoch FROM CAST(:e AS timestamptz) - p.deadline_at) / 86400) END AS days_overdue,
                   d.name_zh AS department
            """;

    private static final String LINE_JOINS = """
            FROM problem p JOIN problem_category c ON c.code = p.category_code JOIN grid g ON g.id = p.grid_id
            LEFT JOIN measurement_point mp ON mp.id = p.point_id LEFT JOIN department d ON d.code = p.handler_department_code
            """;

    /** Overdue at :e, exactly the indicator's two parts (still open and overdue; closed late after :e), longest overdue first. */
    static final String OVERDUE_WHERE = """
             WHERE p.grid_id IN (SELECT id FROM ag) AND p.deadline_at < :e AND (
                (p.closed_at IS NULL AND p.deadline_at IS NOT NULL AND p.status NOT IN ('REJECTED', 'SUSPENDED'))
                OR (p.closed_at > p.deadline_at AND p.closed_at >= :e))
            """;

    static final String OVERDUE = AREA_GRIDS + LINE_COLUMNS + ", 0 AS urges, 0 AS supervisions\n" + LINE_JOINS + OVERDUE_WHERE
            + "ORDER BY p.deadline_at, p.id LIMIT :limit";

    static final String OVERDUE_COUNT = AREA_GRIDS + "SELECT count(*) FROM problem p" + OVERDUE_WHERE;

    /** Problems urged (催办, URGE) or supervised (督办, SUPERVISE) in the week, most moves first. */
    static final String URGED = AREA_GRIDS + """
            , moves AS (
                SELECT ev.problem_id, count(*) FILTER (WHERE ev.action = 'URGE') AS urges,
                       count(*) FILTER (WHERE ev.action = 'SUPERVISE') AS supervisions, max(ev.occurred_at) AS last_at
                FROM problem_event ev JOIN problem p ON p.id = ev.problem_id
                WHERE ev.action IN ('URGE', 'SUPERVISE') AND ev.occurred_at >= :f AND ev.occurred_at < :t
                  AND p.grid_id IN (SELECT id FROM ag)
                GROUP BY ev.problem_id)
            """ + LINE_COLUMNS + ", m.urges, m.supervisions\n" + LINE_JOINS + """
            JOIN moves m ON m.problem_id = p.id
            ORDER BY m.supervisions + m.urges DESC, m.last_at DESC, p.id
            LIMIT :limit""";

    static final String URGED_COUNT = AREA_GRIDS + """
            SELECT count(DISTINCT ev.problem_id) FROM problem_event ev JOIN problem p ON p.id = ev.problem_id
            WHERE ev.action IN ('URGE', 'SUPERVISE') AND ev.occurred_at >= :f AND ev.occurred_at < :t AND p.grid_id IN (SELECT id FROM ag)""";

    private final JdbcClient jdbc;

    BulletinRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Bulletin.WorstPoint> worstPoints(CallerScope scope, String area, Instant e, int limit) {
        List<Object[]> rows = jdbc.sql(WORST_POINTS).param("area", area + "%").param("scope", scope.codePatterns()).param("e", timestamp(e))
                .param("limit", limit)
                .query((rs, n) -> new Object[] {rs.getLong("id"), rs.getString("name"), rs.getString("grid_code"), rs.getString("grid_name"),
                        rs.getLong("open"), light(rs.getInt("light"))}).list();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, Long> problemOf = new HashMap<>();
        Map<Long, List<UUID>> before = new HashMap<>();
        Map<Long, List<UUID>> after = new HashMap<>();
        List<Long> ids = rows.stream().map(r -> (Long) r[0]).toList();
        jdbc.sql(POINT_PHOTOS).param("area", area + "%").param("scope", scope.codePatterns()).param("e", timestamp(e)).param("points", ids)
                .query((ResultSet rs) -> {
                    long point = rs.getLong("point_id");
                    problemOf.put(point, rs.getLong("problem_id"));
                    (rs.getString("purpose").equals("AFTER") ? after : before).computeIfAbsent(point, k -> new ArrayList<>())
                            .add(rs.getObject("photo_id", UUID.class));
                });
        List<Bulletin.WorstPoint> result = new ArrayList<>();
        for (Object[] r : rows) {
            long id = (Long) r[0];
            result.add(new Bulletin.WorstPoint(id, (String) r[1], (String) r[2], (String) r[3], (Long) r[4], (String) r[5], problemOf.get(id),
                    List.copyOf(before.getOrDefault(id, List.of())), List.copyOf(after.getOrDefault(id, List.of()))));
        }
        return result;
    }

    List<Bulletin.ProblemLine> overdue(CallerScope scope, String area, Instant e) {
        return jdbc.sql(OVERDUE).params(parameters(scope, area, null, e)).query(BulletinRepository::line).list();
    }

    long overdueCount(CallerScope scope, String area, Instant e) {
        return jdbc.sql(OVERDUE_COUNT).params(parameters(scope, area, null, e)).query(Long.class).single();
    }

    List<Bulletin.ProblemLine> urged(CallerScope scope, String area, Period week, Instant e) {
        return jdbc.sql(URGED).params(parameters(scope, area, week, e)).query(BulletinRepository::line).list();
    }

    long urgedCount(CallerScope scope, String area, Period week) {
        return jdbc.sql(URGED_COUNT).params(parameters(scope, area, week, null)).query(Long.class).single();
    }

    private static Map<String, Object> parameters(CallerScope scope, String area, Period week, Instant e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("area", area + "%");
        p.put("scope", scope.codePatterns());
        p.put("limit", LIST_LIMIT);
        if (e != null) {
            p.put("e", timestamp(e));
        }
        if (week != null) {
            p.put("f", timestamp(week.start()));
            p.put("t", timestamp(week.end()));
        }
        return p;
    }

    private static Bulletin.ProblemLine line(ResultSet rs, int n) throws SQLException {
        Timestamp deadline = rs.getTimestamp("deadline_at");
        Object days = rs.getObject("days_overdue");
        return new Bulletin.ProblemLine(rs.getLong("id"), rs.getString("category"), rs.getString("point"), rs.getString("grid_code"),
                rs.getString("grid_name"), deadline == null ? null : deadline.toInstant().atZone(Period.ZONE).toLocalDateTime(),
                days == null ? null : ((Number) days).longValue(), rs.getString("department"), rs.getInt("urges"), rs.getInt("supervisions"));
    }

    private static String light(int level) {
        return switch (level) {
            case 3 -> "RED";
            case 2 -> "YELLOW";
            case 1 -> "GREEN";
            default -> null;
        };
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
