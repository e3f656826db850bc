package org.civicgrid.ranking;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Imported external evaluations (国测/省测/市测) and the points they name. */
@Repository
class EvaluationRepository {

    static final String POINTS = """
            SELECT mp.external_id, mp.id, g.code AS grid_code FROM measurement_point mp LEFT JOIN grid g ON g.id = mp.grid_id
            WHERE mp.external_id = ANY (:codes)""";
    static final String INSERT_BATCH = """
            INSERT INTO evaluation_batch (file_name, row_count, imported_by) VALUES (:fileName, :rows, :userId) RETURNING id""";
    /** All rows in one statement: parallel arrays unnested into rows. */
    static final String INSERT_ROWS = """
            INSERT INTO external_evaluation (batch_id, evaluation, evaluated_on, point_id, criterion, score, max_score)
            SELECT :batchId, r.evaluation, r.evaluated_on::date, r.point_id, r.criterion, r.score::numeric, r.max_score::numeric
            FROM unnest(CAST(:evaluations AS text[]), CAST(:dates AS text[]), CAST(:pointIds AS bigint[]), CAST(:criteria AS text[]),
                        CAST(:scores AS text[]), CAST(:maxScores AS text[]))
                 AS r (evaluation, evaluated_on, point_id, criterion, score, max_score)""";
    static final String RECENT = """
            SELECT x.id, x.batch_id, x.evaluation, x.evaluated_on, mp.external_id AS point_code, mp.name AS point_name, g.code AS grid_code,
                   x.criterion, x.score::float8 AS score, x.max_score::float8 AS max_score, b.imported_at
            FROM external_evaluation x JOIN evaluation_batch b ON b.id = x.batch_id
            JOIN measurement_point mp ON mp.id = x.point_id JOIN grid g ON g.id = mp.grid_id
            WHERE g.code LIKE ANY (string_to_array(:scope, ',')) AND g.code LIKE :within
            ORDER BY x.id DESC LIMIT :limit""";

    record PointRef(long id, String gridCode) {
    }

    record NewRow(String evaluation, LocalDate evaluatedOn, long pointId, String criterion, BigDecimal score, BigDecimal maxScore) {
    }

    /** An imported row as listed by GET /api/evaluations. */
    record EvaluationRow(long id, long batchId, String evaluation, LocalDate evaluatedOn, String pointCode, String pointName, String gridCode,
                         String criterion, double score, double maxScore, Instant importedAt) {
    }

    private final JdbcClient jdbc;

    EvaluationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<String, PointRef> points(Collection<String> codes) {
        Map<String, PointRef> points = new HashMap<>();
        jdbc.sql(POINTS).param("codes", codes.toArray(String[]::new))
                .query((rs, n) -> points.put(rs.getString("external_id"), new PointRef(rs.getLong("id"), rs.getString("grid_code")))).list();
        return points;
    }

    long insertBatch(String fileName, long userId, List<NewRow> rows) {
        long batchId = jdbc.sql(INSERT_BATCH).param("fileName", fileName).param("rows", rows.size()).param("userId", userId)
                .query(Long.class).single();
        jdbc.sql(INSERT_ROWS).param("batchId", batchId)
                .param("evaluations", rows.stream().map(NewRow::evaluation).toArray(String[]::new))
                .param("dates", rows.stream().map(r -> r.evaluatedOn().toString()).toArray(String[]::new))
                .param("pointIds", rows.stream().map(NewRow::pointId).toArray(Long[]::new))
                .param("criteria", rows.stream().map(NewRow::criterion).toArray(String[]::new))
                .param("scores", rows.stream().map(r -> r.score().toPlainString()).toArray(String[]::new))
                .param("maxScores", rows.stream().map(r -> r.maxScore().toPlainString()).toArray(String[]::new))
                .update();
        return batchId;
    }

    List<EvaluationRow> recent(CallerScope scope, String within, int limit) {
        return jdbc.sql(RECENT).param("scope", scope.codePatterns()).param("within", within + "%").param("limit", limit)
                .query((rs, n) -> new EvaluationRow(rs.getLong("id"), rs.getLong("batch_id"), rs.getString("evaluation"),
                        rs.getObject("evaluated_on", LocalDate.class), rs.getString("point_code"), rs.getString("point_name"),
                        rs.getString("grid_code"), rs.getString("criterion"), rs.getDouble("score"), rs.getDouble("max_score"),
                        rs.getTimestamp("imported_at").toInstant()))
                .list();
    }
}
