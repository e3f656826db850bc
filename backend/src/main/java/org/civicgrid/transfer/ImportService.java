package org.civicgrid.transfer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;

import org.civicgrid.audit.AuditTrail;
import org.civicgrid.problems.Deadlines;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.ConflictException;
import org.civicgrid.web.NotFoundException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.ObjectMapper;

/**
 * Imports of points and problems: {@link #preview} parses and checks a whole file into a pending job (rows
 * COPYed into a staging table, lookups and scope checks done set-based); {@link #commit} writes a clean preview
 * in one transaction with INSERT … SELECT … ON CONFLICT (external_id), so re-importing a file updates instead
 * of duplicating. Large commits run on a background thread and report progress per batch.
 */
@Service
class ImportService {

    private static final Logger log = LoggerFactory.getLogger(ImportService.class);
    /** Errors kept for the preview (all are counted). */
    static final int MAX_ERRORS_SHOWN = 1000;
    /** Rows per INSERT … SELECT batch of a commit (progress moves per batch). */
    static final int BATCH_ROWS = 100_000;
    /** Commits of more rows than this run in the background; the caller polls GET /api/imports/{id}. */
    static final int SYNC_COMMIT_ROWS = 20_000;
    private static final int COPY_BUFFER = 1 << 20;

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final TransactionTemplate separately;
    private final AuditTrail audit;
    private final Deadlines deadlines;
    private final ObjectMapper json;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "import-commit");
        thread.setDaemon(true);
        return thread;
    });

    ImportService(DataSource dataSource, JdbcClient jdbc, PlatformTransactionManager transactions, AuditTrail audit, Deadlines deadlines,
                  ObjectMapper json) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.audit = audit;
        this.deadlines = deadlines;
        this.json = json;
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }

    /** Parses, stages and checks the file; the pending job (status PREVIEWED) with its counts, errors and first rows. */
    ImportJob preview(CurrentUser caller, ImportKind kind, InputCrs crs, String fileName, byte[] content) {
        String name = fileName == null || fileName.isBlank() ? "upload" : fileName.strip();
        long id = jdbc.sql(ImportSql.INSERT_JOB).param("kind", kind.name()).param("fileName", name).param("crs", crs.name())
                .param("user", caller.id()).query(Long.class).single();
        try {
            jdbc.sql(ImportSql.CREATE_RAW.formatted(ImportSql.raw(id))).update();
            Errors errors = new Errors();
            long t0 = System.nanoTime();
            int total = copyIn(id, kind, crs, name, content, errors);
            long t1 = System.nanoTime();
            String ready = ImportSql.ready(id);
            jdbc.sql((kind == ImportKind.POINTS ? ImportSql.CREATE_READY_POINTS : ImportSql.CREATE_READY_PROBLEMS)
                    .formatted(ready, ImportSql.raw(id))).update();
            jdbc.sql("DROP TABLE " + ImportSql.raw(id)).update();
            jdbc.sql(ImportSql.INDEX_READY.formatted(ready)).update();
            long t2 = System.nanoTime();
            long[] sqlCounts = {0, 0};
            List<ImportError> sqlErrors = jdbc.sql((kind == ImportKind.POINTS ? ImportSql.ERRORS_POINTS : ImportSql.ERRORS_PROBLEMS).formatted(ready))
                    .param("scope", caller.scope().codePatterns()).param("limit", MAX_ERRORS_SHOWN)
                    .query((rs, n) -> {
                        sqlCounts[0] = rs.getLong("total");
                        sqlCounts[1] = rs.getLong("bad_rows");
                        return new ImportError(rs.getInt("row_no"), rs.getString("field"), rs.getString("message"));
                    }).list();
            List<ImportError> shown = new ArrayList<>(errors.shown);
            shown.addAll(sqlErrors);
            shown.sort(java.util.Comparator.comparingInt(ImportError::row));
            if (shown.size() > MAX_ERRORS_SHOWN) {
                shown = new ArrayList<>(shown.subList(0, MAX_ERRORS_SHOWN));
            }
            long[] counts = jdbc.sql(ImportSql.COUNTS.formatted(ready)).query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
            String sample = jdbc.sql((kind == ImportKind.POINTS ? ImportSql.SAMPLE_POINTS : ImportSql.SAMPLE_PROBLEMS).formatted(ready))
                    .param("scope", caller.scope().codePatterns()).query(String.class).single();
            long errorCount = errors.count + sqlCounts[0];
            log.info("Import {}: {} rows parsed and copied in {} ms, resolved in {} ms, checked in {} ms", id, total, (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
            long valid = total - errors.badRows - sqlCounts[1];
            jdbc.sql(ImportSql.PREVIEWED).param("total", total).param("valid", valid).param("errorCount", errorCount)
                    .param("creates", counts[0]).param("updates", counts[1]).param("errors", json.writeValueAsString(shown))
                    .param("sample", sample).param("id", id).update();
        } catch (RuntimeException e) {
            dropStaging(id);
            jdbc.sql("DELETE FROM import_job WHERE id = :id").param("id", id).update();
            throw e;
        }
        return job(caller, id);
    }

    /** Streams the parsed rows into the raw staging table with COPY while the file is being read. */
    private int copyIn(long id, ImportKind kind, InputCrs crs, String fileName, byte[] content, Errors errors) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(ImportSql.COPY_RAW.formatted(ImportSql.raw(id)));
            StringBuilder buffer = new StringBuilder(COPY_BUFFER + 4096);
            int total;
            try {
                ImportParser parser = new ImportParser(kind, crs, new ImportParser.Sink() {
                    @Override
                    public void row(CharSequence line) {
                        buffer.append(line);
                        if (buffer.length() >= COPY_BUFFER) {
                            flush(copy, buffer);
                        }
                    }

                    @Override
                    public void error(ImportError error) {
                        errors.add(error);
                    }
                });
                total = parser.parse(fileName, content);
                flush(copy, buffer);
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            return total;
        } catch (SQLException e) {
            throw new IllegalStateException("Copying the import into the staging table failed: " + e.getMessage(), e);
        }
    }

    private static void flush(CopyIn copy, StringBuilder buffer) {
        if (buffer.isEmpty()) {
            return;
        }
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
        } catch (SQLException e) {
            throw new IllegalStateException("Copying the import into the staging table failed: " + e.getMessage(), e);
        }
        buffer.setLength(0);
    }

    /** The caller's own job; another user's job or none → 404. */
    ImportJob job(CurrentUser caller, long id) {
        ImportJob job = jdbc.sql(ImportSql.JOB).param("id", id).query((rs, n) -> new ImportJob(rs.getLong("id"),
                ImportKind.valueOf(rs.getString("kind")), rs.getString("file_name"), rs.getString("crs"), rs.getLong("created_by"),
                rs.getTimestamp("created_at").toInstant(), rs.getString("status"), rs.getInt("total_rows"), rs.getInt("valid_rows"),
                rs.getInt("error_count"), rs.getInt("creates"), rs.getInt("updates"), rs.getInt("processed"),
                json.readTree(rs.getString("errors")), json.readTree(rs.getString("sample")), rs.getString("failure"),
                rs.getTimestamp("committed_at") == null ? null : rs.getTimestamp("committed_at").toInstant())).optional()
                .orElseThrow(() -> new NotFoundException("import", id));
        if (job.createdBy() != caller.id()) {
            throw new NotFoundException("import", id);
        }
        return job;
    }

    /**
     * Commits a clean preview: refused (409) when it had errors or is not PREVIEWED any more. Small imports are
     * committed before answering; larger ones on the background thread (status RUNNING, then COMMITTED or FAILED).
     */
    ImportJob commit(CurrentUser caller, long id) {
        ImportJob job = job(caller, id);
        if (job.errorCount() > 0) {
            throw new ConflictException("The import has " + job.errorCount() + " errors; fix the file and upload it again");
        }
        int claimed = jdbc.sql(ImportSql.CLAIM).param("id", id).param("user", caller.id()).update();
        if (claimed == 0) {
            throw new ConflictException("The import is " + job.status() + ", not a preview waiting to be committed");
        }
        if (job.totalRows() <= SYNC_COMMIT_ROWS) {
            runCommit(caller, job);
        } else {
            SecurityContext security = SecurityContextHolder.getContext();
            background.submit(() -> {
                SecurityContextHolder.setContext(security);
                try {
                    runCommit(caller, job);
                } finally {
                    SecurityContextHolder.clearContext();
                }
            });
        }
        return job(caller, id);
    }

    /** The commit in one transaction; on failure nothing is written and the job says why. Returns the elapsed time. */
    Duration runCommit(CurrentUser caller, ImportJob job) {
        Instant started = Instant.now();
        try {
            transaction.executeWithoutResult(status -> write(caller, job));
            return Duration.between(started, Instant.now());
        } catch (RuntimeException e) {
            log.warn("Import {} failed: {}", job.id(), e.getMessage());
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            jdbc.sql(ImportSql.FAILED).param("failure", reason.length() > 2000 ? reason.substring(0, 2000) : reason).param("id", job.id()).update();
            throw new ConflictException("The import failed and nothing was written: " + reason);
        }
    }

    private void write(CurrentUser caller, ImportJob job) {
        String ready = ImportSql.ready(job.id());
        boolean staged = jdbc.sql("SELECT to_regclass(:t) IS NOT NULL").param("t", ready).query(Boolean.class).single();
        if (!staged) {
            throw new IllegalStateException("the staged rows are gone (database restart); upload the file again");
        }
        int maxRow = jdbc.sql("SELECT coalesce(max(row_no), 0) FROM " + ready).query(Integer.class).single();
        long created = 0;
        long updated = 0;
        if (job.kind() == ImportKind.POINTS) {
            jdbc.sql(ImportSql.STATS_LOCK).query((rs, n) -> 1).list();
            setTriggers("measurement_point", ImportSql.POINT_TRIGGERS, false);
            jdbc.sql(ImportSql.STATS_REMOVE_OLD_POINTS.formatted(ready)).update();
            for (int from = 0; from <= maxRow; from += BATCH_ROWS) {
                long[] done = jdbc.sql(ImportSql.UPSERT_POINTS.formatted(ready)).param("from", from).param("to", from + BATCH_ROWS)
                        .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
                created += done[0];
                updated += done[1];
                progress(job.id(), created + updated);
            }
            jdbc.sql(ImportSql.STATS_ADD_NEW_POINTS.formatted(ready)).update();
            setTriggers("measurement_point", ImportSql.POINT_TRIGGERS, true);
            jdbc.sql(ImportSql.BUMP_REVISION).param("layer", "points").update();
        } else {
            jdbc.sql("SET CONSTRAINTS ALL IMMEDIATE").update();
            setTriggers("problem", ImportSql.PROBLEM_TRIGGERS, false);
            Map<String, Map<String, String>> windows = new LinkedHashMap<>();
            Instant now = Instant.now();
            jdbc.sql(ImportSql.ACCEPTED_CATEGORIES.formatted(ready)).query((rs, n) -> {
                Deadlines.Window window = deadlines.from(now, Deadlines.hours(rs.getDouble(2)));
                windows.put(rs.getString(1), Map.of("warningAt", window.warningAt().toString(), "deadlineAt", window.deadlineAt().toString()));
                return null;
            }).list();
            for (int from = 0; from <= maxRow; from += BATCH_ROWS) {
                long[] done = jdbc.sql(ImportSql.UPSERT_PROBLEMS.formatted(ready)).param("from", from).param("to", from + BATCH_ROWS)
                        .param("windows", json.writeValueAsString(windows)).param("user", caller.id()).param("job", job.id())
                        .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
                created += done[0];
                updated += done[1];
                progress(job.id(), created + updated);
            }
            setTriggers("problem", ImportSql.PROBLEM_TRIGGERS, true);
            jdbc.sql(ImportSql.BUMP_REVISION).param("layer", "problems").update();
        }
        jdbc.sql("DROP TABLE " + ready).update();
        jdbc.sql(ImportSql.COMMITTED).param("processed", created + updated).param("creates", created).param("updates", updated)
                .param("id", job.id()).update();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", job.kind().name());
        details.put("fileName", job.fileName());
        details.put("crs", job.crs());
        details.put("rows", created + updated);
        details.put("created", created);
        details.put("updated", updated);
        audit.record("IMPORT_COMMITTED", "import_job", job.id(), null, null, details);
    }

    /** Progress is written outside the import's transaction so that a poller sees it while the batches run. */
    private void progress(long id, long processed) {
        separately.executeWithoutResult(status -> jdbc.sql(ImportSql.PROGRESS).param("processed", processed).param("id", id).update());
    }

    private void setTriggers(String table, String[] triggers, boolean enabled) {
        for (String trigger : triggers) { // names from a constant list
            jdbc.sql("ALTER TABLE " + table + (enabled ? " ENABLE" : " DISABLE") + " TRIGGER " + trigger).update();
        }
    }

    private void dropStaging(long id) {
        try {
            jdbc.sql("DROP TABLE IF EXISTS " + ImportSql.raw(id)).update();
            jdbc.sql("DROP TABLE IF EXISTS " + ImportSql.ready(id)).update();
        } catch (RuntimeException e) {
            log.warn("Could not drop the staging tables of import {}: {}", id, e.getMessage());
        }
    }

    /** Errors found while parsing: the first ones kept, all counted, and the number of distinct rows they are on. */
    private static final class Errors {
        final List<ImportError> shown = new ArrayList<>();
        long count;
        long badRows;
        int lastRow = -1;

        void add(ImportError error) {
            count++;
            if (error.row() != lastRow) {
                badRows++;
                lastRow = error.row();
            }
            if (shown.size() < MAX_ERRORS_SHOWN) {
                shown.add(error);
            }
        }
    }

}
