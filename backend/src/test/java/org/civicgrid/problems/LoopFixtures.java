package org.civicgrid.problems;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.civicgrid.photos.PhotoStore;
import org.civicgrid.security.CallerScope;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Problems in any state, made directly in the database, for tests of the loop. */
final class LoopFixtures {

    /** A grid of the demo city with an owner and a point, the stage of the loop tests. */
    record Stage(long gridId, String gridCode, long pointId, String gridManager) {
    }

    private final JdbcClient jdbc;

    LoopFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Stage stage() {
        return jdbc.sql("""
                SELECT g.id, g.code, mp.id AS point_id, u.username
                FROM grid g JOIN grid_owner o ON o.grid_id = g.id JOIN app_user u ON u.id = o.user_id
                JOIN measurement_point mp ON mp.grid_id = g.id AND ST_Dimension(mp.geom) = 0
                WHERE g.valid_to IS NULL AND g.code LIKE '320508001%' AND u.demo_account
                ORDER BY g.code, u.username, mp.id LIMIT 1""")
                .query((rs, n) -> new Stage(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4))).single();
    }

    /** A problem at the stage's point in the given state; dispatched ones go to the grid owner or to a department. */
    long problem(Stage stage, ProblemStatus status, String department, boolean extensionPending) {
        boolean accepted = status != ProblemStatus.REPORTED && status != ProblemStatus.REJECTED;
        boolean dispatched = Set.of(ProblemStatus.DISPATCHED, ProblemStatus.IN_PROGRESS, ProblemStatus.SUBMITTED, ProblemStatus.RETURNED,
                ProblemStatus.CLOSED, ProblemStatus.SUSPENDED).contains(status);
        return jdbc.sql("""
                INSERT INTO problem (point_id, category_code, status, location, description, reported_at, accepted_at, dispatched_at,
                                     warning_at, deadline_at, closed_at, handler_department_code, assignee_user_id, suspended_from_status,
                                     extension_pending, extension_hours, submitted_at)
                SELECT mp.id, 'EXPOSED_GARBAGE', :status, mp.geom, '测试问题', now() - interval '3 days',
                       CASE WHEN :accepted THEN now() - interval '3 days' END,
                       CASE WHEN :dispatched THEN now() - interval '2 days' END,
                       CASE WHEN :accepted THEN now() + interval '1 day' END,
                       CASE WHEN :accepted THEN now() + interval '2 days' END,
                       CASE WHEN :status = 'CLOSED' THEN now() END,
                       CASE WHEN :dispatched THEN CAST(:department AS varchar) END,
                       CASE WHEN :dispatched AND CAST(:department AS varchar) IS NULL THEN (SELECT id FROM app_user WHERE username = :owner) END,
                       CASE WHEN :status = 'SUSPENDED' THEN 'IN_PROGRESS' END,
                       :extensionPending, CASE WHEN :extensionPending THEN 8 END,
                       CASE WHEN :status = 'SUBMITTED' THEN now() END
                FROM measurement_point mp WHERE mp.id = :pointId RETURNING id""")
                .param("status", status.name()).param("accepted", accepted).param("dispatched", dispatched)
                .param("department", department).param("owner", stage.gridManager()).param("extensionPending", extensionPending)
                .param("pointId", stage.pointId()).query(Long.class).single();
    }

    long version(long problemId) {
        return jdbc.sql("SELECT version FROM problem WHERE id = ?").param(problemId).query(Long.class).single();
    }

    String status(long problemId) {
        return jdbc.sql("SELECT status FROM problem WHERE id = ?").param(problemId).query(String.class).single();
    }

    /** Uploads a small real JPEG as the given user, the way the browser would. */
    UUID photoOf(PhotoStore photos, String username) {
        long id = jdbc.sql("SELECT id FROM app_user WHERE username = ?").param(username).query(Long.class).single();
        return photos.store(jpeg(), new CurrentUser(id, username, username, Set.of(Role.GRID_MANAGER),
                new CallerScope(List.of("320508"), Optional.empty()), "127.0.0.1", false)).id();
    }

    static byte[] jpeg() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = image.createGraphics();
            g.setColor(java.awt.Color.ORANGE);
            g.fillRect(8, 8, 40, 30);
            g.dispose();
            ImageIO.write(image, "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
