package org.civicgrid.ranking;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Hand-made problems, loop verdicts and inspections at explicit Asia/Shanghai times, for ranking fixtures. */
final class RankingFixtures {

    private final JdbcClient jdbc;

    RankingFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static OffsetDateTime at(String localDateTime) {
        return OffsetDateTime.parse(localDateTime + "+08:00");
    }

    /** The first {@code n} current grids of a community that hold at least one measurement point, by code. */
    List<String> gridsWithPoints(String community, int n) {
        return jdbc.sql("""
                SELECT g.code FROM grid g WHERE g.valid_to IS NULL AND g.community_code = ?
                  AND EXISTS (SELECT 1 FROM measurement_point mp WHERE mp.grid_id = g.id)
                ORDER BY g.code LIMIT ?""").param(community).param(n).query(String.class).list();
    }

    /** A problem in the grid accepted at {@code reported}, due at {@code deadline}, closed at {@code closed} (null: still open). */
    long problem(String grid, String reported, String deadline, String closed) {
        return jdbc.sql("""
                INSERT INTO problem (category_code, status, location, description, reported_at, accepted_at, warning_at, deadline_at, closed_at)
                SELECT 'EXPOSED_GARBAGE', CASE WHEN CAST(:closed AS timestamptz) IS NULL THEN 'DISPATCHED' ELSE 'CLOSED' END,
                       ST_PointOnSurface(boundary), '排名测试问题', :reported, :reported, :deadline, :deadline, :closed
                FROM grid WHERE code = :grid AND valid_to IS NULL RETURNING id""")
                .param("grid", grid).param("reported", at(reported)).param("deadline", at(deadline))
                .param("closed", closed == null ? null : at(closed)).query(Long.class).single();
    }

    void event(long problemId, String action, String when) {
        jdbc.sql("INSERT INTO problem_event (problem_id, occurred_at, action) VALUES (?, ?, ?)").param(problemId).param(at(when))
                .param(action).update();
    }

    void inspection(String grid, double scoreRate, String when) {
        jdbc.sql("""
                INSERT INTO inspection (point_id, grid_id, inspector_id, status, started_at, submitted_at, score_rate)
                SELECT (SELECT min(id) FROM measurement_point), g.id, (SELECT min(id) FROM app_user), 'SUBMITTED', :at, :at, :rate
                FROM grid g WHERE g.code = :grid AND g.valid_to IS NULL""").param("at", at(when)).param("rate", scoreRate).param("grid", grid)
                .update();
    }

    /** A throw-away account with one role and one scope code. */
    String account(String role, String scopeCode) {
        String username = "r_" + role.toLowerCase() + "_" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("INSERT INTO app_user (username, display_name) VALUES (?, '排名测试')").param(username).update();
        jdbc.sql("INSERT INTO user_role (user_id, role) SELECT id, ? FROM app_user WHERE username = ?").param(role).param(username).update();
        jdbc.sql("INSERT INTO user_area_scope (user_id, area_level, area_code) SELECT id, ?, ? FROM app_user WHERE username = ?")
                .param(org.civicgrid.areas.AreaCodes.levelOf(scopeCode)).param(scopeCode).param(username).update();
        return username;
    }
}
