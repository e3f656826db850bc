package org.civicgrid.transfer;

import java.lang.ref.SoftReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

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
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.ObjectMapper;

/**
 * Imports of points and problems. {@link #preview} reads the file once, in one transaction: every row is
 * checked while it is read (fields, duplicates, codes, grid and scope through {@link GridIndex}) and the good
 * ones are COPYed in binary into the job's UNLOGGED staging table as they come; what only the database knows
 * (ids that already exist, points on a grid border) is then checked set-based. {@link #commit} writes that
 * staged data in one transaction, batch by batch for progress, without going back to the file: points with
 * INSERT … SELECT (ON CONFLICT (external_id) when the preview found ids that exist, so re-importing updates
 * instead of duplicating), the map statistics from per-grid sums, one revision bump — the per-row triggers
 * that would do the same row by row skip the rows (civicgrid.bulk_import, V15), and where the database user
 * may, foreign keys are checked once per referenced row instead of once per imported row. Large commits run on
 * a background thread and report progress per batch.
 */
@Service
class ImportService {

    private static final Logger log = LoggerFactory.getLogger(ImportService.class);
    /** Errors kept for the preview (all are counted). */
    static final int MAX_ERRORS_SHOWN = 1000;
    /** Rows per batch of a commit (progress moves per batch). */
    static final int BATCH_ROWS = 100_000;
    /** Commits of more rows than this run in the background; the caller polls GET /api/imports/{id}. */
    static final int SYNC_COMMIT_ROWS = 20_000;
    private static final int SAMPLE_ROWS = 20;
    /** How long a clean points preview keeps its rows written ahead (an open transaction) waiting for the commit. */
    static final int SPECULATION_MINUTES = 15;
    /** At most this many previews keep a session open at once; others are committed from their staging table. */
    private static final int SPECULATION_SLOTS = 2;
    /** For the joins of a preview or commit of up to a million rows. */
    private static final String WORK_MEM = "SET LOCAL work_mem = '256MB'";
    /** How long a commit from staging keeps trying for measurement_point's table lock. */
    private static final Duration LOCK_PATIENCE = Duration.ofMinutes(3);

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
    private final ExecutorService speculators = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "import-ahead");
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore speculationSlots = new Semaphore(SPECULATION_SLOTS);
    /** Clean previews whose rows wait, written ahead, for their commit. */
    private final Map<Long, ImportSpeculation> pending = new ConcurrentHashMap<>();
    private volatile SoftReference<GridIndex> gridCache = new SoftReference<>(null);
    /** Whether a commit may switch off trigger firing where the database user may; tests turn it off to take the other path. */
    volatile boolean bypassTriggers = true;
    /** Whether clean points previews write their rows ahead; tests turn it off to take the staging-table commit. */
    volatile boolean writeAhead = true;

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

    /**
     * Builds the grid index once the app is up (off the request path; ≈1 s for 100,000 grids), so the first import
     * does not wait for it. After a publish the next import rebuilds it.
     */
    @EventListener(ApplicationStartedEvent.class)
    void warmGridIndex() {
        speculators.submit(() -> {
            try {
                gridIndex();
            } catch (RuntimeException e) {
                log.debug("Grid index not built at start-up: {}", e.getMessage());
            }
        });
    }

    @PreDestroy
    void stop() {
        pending.values().forEach(ImportSpeculation::abandon);
        background.shutdownNow();
        speculators.shutdown();
    }

    /**
     * Reads, checks and stages the file; the pending job (status PREVIEWED) with its counts, errors and first rows.
     * All in one transaction: a file that cannot be read leaves nothing behind.
     */
    ImportJob preview(CurrentUser caller, ImportKind kind, InputCrs crs, ImportSource source) {
        expireOldPreviews();
        ImportSpeculation ahead = kind == ImportKind.POINTS && writeAhead ? startSpeculation() : null;
        long id;
        try {
            id = transaction.execute(status -> stage(caller, kind, crs, source, ahead));
        } catch (RuntimeException e) {
            if (ahead != null) {
                ahead.abandon();
            }
            throw e;
        }
        ImportJob job = job(caller, id);
        if (ahead != null) {
            if (ahead.copyEnded.getNow(false) && job.errorCount() == 0) {
                ahead.jobId = id;
                pending.put(id, ahead);
            } else {
                ahead.abandon();
            }
        }
        return job;
    }

    private long stage(CurrentUser caller, ImportKind kind, InputCrs crs, ImportSource source, ImportSpeculation ahead) {
        long t0 = System.nanoTime();
        jdbc.sql("SET LOCAL synchronous_commit = off").update(); // staging only: a crash loses the preview, never data
        jdbc.sql(WORK_MEM).update();
        long id = jdbc.sql(ImportSql.INSERT_JOB).param("kind", kind.name()).param("fileName", source.fileName()).param("crs", crs.name())
                .param("user", caller.id()).query(Long.class).single();
        GridIndex grids = gridIndex();
        Map<String, String> codes = new HashMap<>();
        jdbc.sql(kind == ImportKind.POINTS ? ImportSql.POINT_TYPES : ImportSql.CATEGORIES).query((rs, n) -> codes.put(rs.getString(1), rs.getString(2)))
                .list();
        String rows = ImportSql.rows(id);
        jdbc.sql((kind == ImportKind.POINTS ? ImportSql.CREATE_ROWS_POINTS : ImportSql.CREATE_ROWS_PROBLEMS).formatted(rows)).update();
        ImportErrors errors = new ImportErrors();
        long t1 = System.nanoTime();
        ImportStager stager;
        int total;
        Connection connection = DataSourceUtils.getConnection(dataSource); // this transaction's
        try {
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(ImportSql.COPY_ROWS.formatted(rows));
            try {
                CopyBinary out = new CopyBinary(copy);
                stager = new ImportStager(kind, caller.scope(), grids, codes, errors, out, ahead != null && awaitCopy(ahead) ? ahead : null);
                total = new ImportParser(kind, crs, stager).parse(source);
                out.finish();
                copy.endCopy();
                if (ahead != null && !ahead.endCopy()) {
                    log.info("Import {}: rows not written ahead ({}); the commit will use the staging table", id, ahead.failure());
                }
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Copying the import into the staging table failed: " + e.getMessage(), e);
        }
        long t2 = System.nanoTime();
        String border = ImportSql.border(id);
        jdbc.sql(ImportSql.CREATE_BORDER.formatted(border)).update();
        if (stager.uncertain() > 0) {
            if (stager.border() != null) {
                copyBorder(connection, border, stager.border());
            } else {
                jdbc.sql(ImportSql.FILL_BORDER.formatted(border, rows)).update();
            }
            jdbc.sql(ImportSql.RESOLVE_BORDER.formatted(border)).update();
        }
        String scope = caller.scope().codePatterns();
        List<ImportError> sqlErrors = new ArrayList<>();
        long[] sqlCounts = {0, 0}; // errors, rows with errors
        long creates;
        long updates;
        String sample;
        String pages = "(" + SAMPLE_ROWS + ",0)"; // the staging table is never updated: its rows lie in file order
        String sampleRows = stager.firstStagedRows().stream().map(String::valueOf).collect(Collectors.joining(","));
        if (kind == ImportKind.POINTS) {
            String sums = ImportSql.sums(id);
            jdbc.sql(ImportSql.CREATE_SUMS.formatted(sums)).update();
            copySums(connection, sums, stager.sums());
            if (stager.uncertain() > 0) {
                jdbc.sql(ImportSql.SUM_BORDER.formatted(sums, border)).update();
                jdbc.sql(ImportSql.BORDER_OUTSIDE.formatted(border)).param("scope", scope).query((rs, n) -> {
                    sqlErrors.add(new ImportError(rs.getInt(1), rs.getString(2), rs.getString(3)));
                    return null;
                }).list();
                sqlCounts[0] += sqlErrors.size();
                sqlCounts[1] += sqlErrors.size();
            }
            // Rows written ahead went in under measurement_point's unique index: none of their ids exists.
            Map<String, Object> existing = ahead != null && ahead.copyEnded.getNow(false)
                    ? Map.of("existing", 0L, "outside", 0L)
                    : jdbc.sql(ImportSql.EXISTING_POINTS.formatted(rows)).param("scope", scope).query().singleRow();
            long outside = ((Number) existing.get("outside")).longValue();
            if (outside > 0) {
                try {
                    for (Object row : (Object[]) ((java.sql.Array) existing.get("outside_rows")).getArray()) {
                        sqlErrors.add(new ImportError(((Number) row).intValue(), "external_id", "belongs to an existing point outside your area"));
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                sqlCounts[0] += outside;
                sqlCounts[1] += outside; // an uncertain row outside every grid updates no point of the caller's either: at most double-counted
            }
            updates = ((Number) existing.get("existing")).longValue();
            creates = stager.staged() - updates;
            sample = jdbc.sql(ImportSql.SAMPLE_POINTS.formatted(rows, border)).param("scope", scope).param("pages", pages).param("rows", sampleRows)
                    .query(String.class).single();
        } else {
            String ready = ImportSql.ready(id);
            jdbc.sql(ImportSql.CREATE_READY_PROBLEMS.formatted(ready, rows, border)).update();
            jdbc.sql("DROP TABLE " + rows + ", " + border).update();
            jdbc.sql(ImportSql.INDEX_READY.formatted(ready)).update();
            sqlErrors.addAll(jdbc.sql(ImportSql.ERRORS_PROBLEMS.formatted(ready)).param("scope", scope).param("limit", MAX_ERRORS_SHOWN)
                    .query((rs, n) -> {
                        sqlCounts[0] = rs.getLong("total");
                        sqlCounts[1] = rs.getLong("bad_rows");
                        return new ImportError(rs.getInt("row_no"), rs.getString("field"), rs.getString("message"));
                    }).list());
            long[] counts = jdbc.sql(ImportSql.COUNTS_PROBLEMS.formatted(ready)).query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
            creates = counts[0];
            updates = counts[1];
            sample = jdbc.sql(ImportSql.SAMPLE_PROBLEMS.formatted(ready)).param("scope", scope).param("rows", sampleRows).query(String.class).single();
        }
        List<ImportError> shown = new ArrayList<>(errors.shown);
        shown.addAll(sqlErrors);
        shown.sort(Comparator.comparingInt(ImportError::row));
        if (shown.size() > MAX_ERRORS_SHOWN) {
            shown = new ArrayList<>(shown.subList(0, MAX_ERRORS_SHOWN));
        }
        long errorCount = errors.count + sqlCounts[0];
        long valid = Math.max(0, total - errors.badRows - sqlCounts[1]);
        if (errorCount > 0) {
            dropStaging(id); // a preview with errors is never committed
        }
        jdbc.sql(ImportSql.PREVIEWED).param("total", total).param("valid", valid).param("errorCount", errorCount).param("creates", creates)
                .param("updates", updates).param("errors", json.writeValueAsString(shown)).param("sample", sample)
                .param("gridRevision", grids.revision).param("codes", json.writeValueAsString(stager.usedCodes())).param("id", id).update();
        log.info("Import {}: {} rows read, checked and copied in {} ms ({} grids in memory, {} left to the database), checked in the database in {} ms",
                id, total, (t2 - t1) / 1_000_000, grids.size(), stager.uncertain(), (System.nanoTime() - t2) / 1_000_000);
        log.debug("Import {}: set-up {} ms", id, (t1 - t0) / 1_000_000);
        return id;
    }

    /** The rows whose grid the database decides, kept while reading, into the job's border table. */
    private static void copyBorder(Connection connection, String table, List<Object[]> rows) {
        org.locationtech.jts.io.WKBWriter wkb = new org.locationtech.jts.io.WKBWriter(2, org.locationtech.jts.io.ByteOrderValues.LITTLE_ENDIAN, true);
        copyBinary(connection, "COPY " + table + " (row_no, external_id, geom) FROM STDIN (FORMAT binary)", "the border rows", out -> {
            for (Object[] row : rows) {
                out.startRow(3);
                out.int4((Integer) row[0]);
                out.text((String) row[1]);
                out.bytes(wkb.write((org.locationtech.jts.geom.Geometry) row[2]));
            }
        });
    }

    /** The per-grid sums of the rows whose grid was found while reading, into the job's sums table. */
    private static void copySums(Connection connection, String table, Map<Long, double[]> sums) {
        copyBinary(connection, ImportSql.COPY_ROWS.formatted(table), "the grid sums", out -> {
            for (Map.Entry<Long, double[]> entry : sums.entrySet()) {
                out.startRow(4);
                out.int8(entry.getKey());
                out.int4((int) entry.getValue()[0]);
                out.float8(entry.getValue()[1]);
                out.float8(entry.getValue()[2]);
            }
        });
    }

    /** One binary COPY on the connection: the rows {@code write} puts out, then the trailer; cancelled if anything fails. */
    private static void copyBinary(Connection connection, String copySql, String what, java.util.function.Consumer<CopyBinary> write) {
        try {
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
            try {
                CopyBinary out = new CopyBinary(copy);
                write.accept(out);
                out.finish();
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Copying " + what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The current grids in memory, reused while the grids' revision stays (read before the grids: a plan published
     * in between makes the revision older than the grids, and the commit refuses rather than trusting them).
     */
    private synchronized GridIndex gridIndex() { // one build at a time: a preview during the warm-up waits for it
        long revision = jdbc.sql(ImportSql.GRID_REVISION).query(Long.class).single();
        GridIndex cached = gridCache.get();
        if (cached != null && cached.revision == revision) {
            return cached;
        }
        List<GridIndex.Entry> grids = jdbc.sql(ImportSql.CURRENT_GRIDS)
                .query((rs, n) -> new GridIndex.Entry(rs.getLong(1), rs.getString(2), rs.getBytes(3))).list();
        GridIndex index = new GridIndex(revision, grids);
        gridCache = new SoftReference<>(index);
        return index;
    }

    /** The caller's own job; another user's job or none → 404. */
    ImportJob job(CurrentUser caller, long id) {
        ImportJob job = jdbc.sql(ImportSql.JOB).param("id", id).query((rs, n) -> new ImportJob(rs.getLong("id"),
                ImportKind.valueOf(rs.getString("kind")), rs.getString("file_name"), rs.getString("crs"), rs.getLong("created_by"),
                rs.getTimestamp("created_at").toInstant(), rs.getString("status"), rs.getInt("total_rows"), rs.getInt("valid_rows"),
                rs.getInt("error_count"), rs.getInt("creates"), rs.getInt("updates"), rs.getInt("processed"),
                json.readTree(rs.getString("errors")), json.readTree(rs.getString("sample")), rs.getString("failure"),
                rs.getTimestamp("committed_at") == null ? null : rs.getTimestamp("committed_at").toInstant(),
                (Long) rs.getObject("grid_revision"))).optional()
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
        ImportSpeculation ahead = pending.remove(id);
        SecurityContext security = SecurityContextHolder.getContext();
        if (ahead != null) {
            ahead.decision.complete(new ImportSpeculation.Decision(true, caller, security, job));
            try {
                ahead.done.get(30, TimeUnit.SECONDS); // only statistics, revision, job and audit are left: answer COMMITTED
                return job(caller, id);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // not committed that way (or still finishing): below, from the staging table
            }
        }
        if (job.totalRows() <= SYNC_COMMIT_ROWS) {
            finishCommit(caller, job, ahead);
        } else {
            background.submit(() -> {
                SecurityContextHolder.setContext(security);
                try {
                    finishCommit(caller, job, ahead);
                } catch (RuntimeException e) {
                    // the job says FAILED and why
                } finally {
                    SecurityContextHolder.clearContext();
                }
            });
        }
        return job(caller, id);
    }

    /** Waits for the rows written ahead to be committed; without them, or when that failed, commits from the staging table. */
    private void finishCommit(CurrentUser caller, ImportJob job, ImportSpeculation ahead) {
        if (ahead != null) {
            try {
                ahead.done.get();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                log.info("Import {}: the rows written ahead were not committed ({}); committing from the staging table", job.id(),
                        e.getCause().getMessage());
            }
        }
        runCommit(caller, job);
    }

    /**
     * Rolls back the rows other previews wrote ahead and keep waiting for their commit: their open transactions would
     * hold off the table lock of a commit from staging for up to {@link #SPECULATION_MINUTES}. Those imports are
     * then committed from their staging table.
     */
    void releaseWaitingAhead() {
        for (Map.Entry<Long, ImportSpeculation> entry : pending.entrySet()) {
            if (pending.remove(entry.getKey(), entry.getValue())) {
                entry.getValue().decision.complete(new ImportSpeculation.Decision(false, null, null, null));
            }
        }
    }

    /** Starts the session that writes a points preview's rows ahead (its COPY is awaited just before reading); null when none is free. */
    private ImportSpeculation startSpeculation() {
        if (!speculationSlots.tryAcquire()) {
            return null;
        }
        ImportSpeculation ahead = new ImportSpeculation();
        try {
            speculators.submit(() -> runSpeculation(ahead));
        } catch (RuntimeException e) {
            speculationSlots.release();
            return null;
        }
        return ahead;
    }

    /** The COPY of the rows written ahead, once its session has started it; false (and abandoned) when it does not. */
    private static boolean awaitCopy(ImportSpeculation ahead) {
        try {
            ahead.attach(ahead.copyReady.get(10, TimeUnit.SECONDS));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("No rows written ahead: {}", e.getMessage());
        }
        ahead.abandon();
        return false;
    }

    /**
     * The session of rows written ahead: one transaction that COPYs the rows into measurement_point while the file is
     * read, then waits for the user's decision and either finishes the import (statistics, revision, job, audit) and
     * commits, or rolls back.
     */
    private void runSpeculation(ImportSpeculation ahead) {
        try {
            transaction.executeWithoutResult(status -> {
                Connection connection = DataSourceUtils.getConnection(dataSource);
                jdbc.sql(ImportSql.BULK_FLAG).query((rs, n) -> 1).list();
                jdbc.sql("SET LOCAL lock_timeout = '2s'").update(); // an id another transaction is writing: give up, commit from staging
                ahead.replica = bypassTriggers && mayBypassTriggers();
                if (ahead.replica) {
                    jdbc.sql(ImportSql.REPLICA_ROLE).update();
                }
                CopyIn copy;
                try {
                    copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(ImportSpeculation.COPY_POINTS);
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                ahead.copyReady.complete(copy);
                ImportSpeculation.Decision decision;
                try {
                    if (!ahead.copyEnded.get(SPECULATION_MINUTES, TimeUnit.MINUTES)) {
                        if (copy.isActive()) { // the reader gave up waiting for it
                            copy.cancelCopy();
                        }
                        throw new IllegalStateException("rows not written ahead");
                    }
                    decision = ahead.decision.get(SPECULATION_MINUTES, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("no commit within " + SPECULATION_MINUTES + " minutes", e);
                } catch (SQLException e) {
                    throw new IllegalStateException("rows not written ahead: " + e.getMessage(), e);
                }
                if (!decision.commit()) {
                    throw new IllegalStateException("not committed");
                }
                SecurityContextHolder.setContext(decision.security());
                jdbc.sql("SET LOCAL lock_timeout = 0").update();
                jdbc.sql(WORK_MEM).update(); // the statistics' join of up to 100,000 grids stays in memory
                finishAhead(decision.job(), ahead.replica);
            });
            ahead.done.complete(null);
        } catch (RuntimeException e) {
            ahead.copyReady.completeExceptionally(e);
            ahead.done.completeExceptionally(e);
        } finally {
            pending.remove(ahead.jobId, ahead);
            SecurityContextHolder.clearContext();
            speculationSlots.release();
        }
    }

    /** The rest of a commit whose rows were written ahead, in their transaction. */
    private void finishAhead(ImportJob job, boolean replica) {
        long t0 = System.nanoTime();
        String rows = ImportSql.rows(job.id());
        String sums = ImportSql.sums(job.id());
        long gridRevision = jdbc.sql(ImportSql.GRID_REVISION_LOCKED).query(Long.class).single();
        if (job.gridRevision() == null || job.gridRevision() != gridRevision) {
            throw new IllegalStateException("the grids changed after the preview (a plan was published); upload the file again");
        }
        jdbc.sql(ImportSql.STATS_LOCK).query((rs, n) -> 1).list();
        long changed = jdbc.sql(ImportSql.POINT_TYPES_CHANGED).param("id", job.id()).query(Long.class).single();
        if (changed > 0) {
            throw new IllegalStateException(changed + " point types of the file changed after the preview; upload the file again");
        }
        if (replica) {
            jdbc.sql(ImportSql.HOLD_GRIDS).update();
            long missing = jdbc.sql(ImportSql.GRIDS_MISSING.formatted(sums)).query(Long.class).single();
            if (missing != 0) {
                throw new IllegalStateException(missing + " grids of the import no longer exist; upload the file again");
            }
        }
        jdbc.sql(ImportSql.GRID_OF_BORDER_AHEAD.formatted(ImportSql.border(job.id()))).update();
        addToStatistics(sums);
        if (replica) {
            jdbc.sql(ImportSql.ORIGIN_ROLE).update();
        }
        jdbc.sql(ImportSql.BUMP_REVISION).param("layer", "points").update();
        jdbc.sql("DROP TABLE " + rows + ", " + sums + ", " + ImportSql.border(job.id())).update();
        long created = job.validRows();
        jdbc.sql(ImportSql.COMMITTED).param("processed", created).param("creates", created).param("updates", 0).param("id", job.id()).update();
        audit.record("IMPORT_COMMITTED", "import_job", job.id(), null, null, committedDetails(job, created, 0));
        log.info("Import {}: {} created (written ahead; finished in {} ms{})", job.id(), created, (System.nanoTime() - t0) / 1_000_000,
                replica ? ", foreign keys checked per referenced row" : "");
    }

    /** The import's per-grid sums added to the map statistics; grids without a statistics row yet get one. */
    private void addToStatistics(String sums) {
        long updated = jdbc.sql(ImportSql.STATS_ADD_NEW_POINTS.formatted(sums)).update();
        if (updated < jdbc.sql(ImportSql.COUNT.formatted(sums)).query(Long.class).single()) {
            jdbc.sql(ImportSql.STATS_INSERT_NEW_GRIDS.formatted(sums)).update();
        }
    }

    private static Map<String, Object> committedDetails(ImportJob job, long created, long updated) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", job.kind().name());
        details.put("fileName", job.fileName());
        details.put("crs", job.crs());
        details.put("rows", created + updated);
        details.put("created", created);
        details.put("updated", updated);
        return details;
    }

    /** The commit in one transaction; on failure nothing is written and the job says why. Returns the elapsed time. */
    Duration runCommit(CurrentUser caller, ImportJob job) {
        Instant started = Instant.now();
        boolean upsert = job.updates() > 0;
        try {
            while (true) {
                boolean asUpsert = upsert;
                try {
                    transaction.executeWithoutResult(status -> write(caller, job, asUpsert));
                    return Duration.between(started, Instant.now());
                } catch (DuplicateKeyException e) {
                    if (upsert) {
                        throw e;
                    }
                    // Points with ids of this file were created after the preview: the same commit again, updating them.
                    log.info("Import {}: ids created since the preview; committing again as an upsert", job.id());
                    upsert = true;
                } catch (CannotAcquireLockException e) {
                    if (Duration.between(started, Instant.now()).compareTo(LOCK_PATIENCE) > 0) {
                        throw e;
                    }
                    // Another preview's rows written ahead (an open transaction) hold measurement_point: they give way.
                    log.info("Import {}: measurement_point is held by rows written ahead; releasing them and trying again", job.id());
                    releaseWaitingAhead();
                }
                progress(job.id(), 0);
            }
        } catch (RuntimeException e) {
            log.warn("Import {} failed: {}", job.id(), e.getMessage());
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            jdbc.sql(ImportSql.FAILED).param("failure", reason.length() > 2000 ? reason.substring(0, 2000) : reason).param("id", job.id()).update();
            dropStaging(job.id()); // a failed job is not committed again
            throw new ConflictException("The import failed and nothing was written: " + reason);
        }
    }

    private void write(CurrentUser caller, ImportJob job, boolean upsert) {
        long t0 = System.nanoTime();
        String table = job.kind() == ImportKind.POINTS ? ImportSql.rows(job.id()) : ImportSql.ready(job.id());
        // UNLOGGED: after a database crash the table is there but empty.
        boolean staged = jdbc.sql("SELECT to_regclass(:t) IS NOT NULL AND (:valid = 0 OR coalesce(pg_relation_size(to_regclass(:t)), 0) > 0)")
                .param("t", table).param("valid", job.validRows()).query(Boolean.class).single();
        if (!staged) {
            throw new IllegalStateException("the staged rows are gone (database restart); upload the file again");
        }
        long gridRevision = jdbc.sql(ImportSql.GRID_REVISION_LOCKED).query(Long.class).single();
        if (job.gridRevision() == null || job.gridRevision() != gridRevision) {
            throw new IllegalStateException("the grids changed after the preview (a plan was published); upload the file again");
        }
        jdbc.sql(WORK_MEM).update();
        jdbc.sql(ImportSql.BULK_FLAG).query((rs, n) -> 1).list();
        long created = 0;
        long updated = 0;
        boolean replica = false;
        if (job.kind() == ImportKind.POINTS) {
            jdbc.sql(ImportSql.STATS_LOCK).query((rs, n) -> 1).list();
            releaseWaitingAhead();
            jdbc.sql("SET LOCAL lock_timeout = '5s'").update(); // a preview that is still writing ahead is released on the next try
            jdbc.sql(ImportSql.LOCK_POINTS).update();
            jdbc.sql("SET LOCAL lock_timeout = 0").update();
            long changed = jdbc.sql(ImportSql.POINT_TYPES_CHANGED).param("id", job.id()).query(Long.class).single();
            if (changed > 0) {
                throw new IllegalStateException(changed + " point types of the file changed after the preview; upload the file again");
            }
            String sums = ImportSql.sums(job.id());
            replica = bypassTriggers && mayBypassTriggers();
            if (replica) {
                jdbc.sql(ImportSql.REPLICA_ROLE).update();
                long missing = jdbc.sql(ImportSql.GRIDS_KEY_SHARE.formatted(sums)).query(Long.class).single();
                if (missing != 0) {
                    throw new IllegalStateException(missing + " grids of the import no longer exist; upload the file again");
                }
            }
            long existing = upsert ? jdbc.sql(ImportSql.STATS_REMOVE_OLD_POINTS.formatted(table)).query(Long.class).single() : 0;
            long blocks = jdbc.sql(ImportSql.BLOCKS).param("table", table).query(Long.class).single();
            long step = Math.max(1, blocks * BATCH_ROWS / Math.max(1, job.validRows()));
            for (long from = 0; from < blocks; from += step) {
                String fromTid = "(" + from + ",0)";
                String toTid = "(" + Math.min(from + step, 4294967294L) + ",0)";
                if (upsert) {
                    long[] done = jdbc.sql(ImportSql.UPSERT_POINTS.formatted(table, ImportSql.border(job.id()))).param("from", fromTid).param("to", toTid)
                            .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
                    created += done[0];
                    updated += done[1];
                } else {
                    created += jdbc.sql(ImportSql.INSERT_POINTS.formatted(table, ImportSql.border(job.id()))).param("from", fromTid).param("to", toTid).update();
                }
                progress(job.id(), created + updated);
            }
            addToStatistics(sums);
            if (replica) {
                jdbc.sql(ImportSql.ORIGIN_ROLE).update();
            }
            if (updated != existing) { // cannot happen while the table lock is held; the statistics would be off
                throw new IllegalStateException("updated " + updated + " points but found " + existing + " before; commit again");
            }
            jdbc.sql(ImportSql.BUMP_REVISION).param("layer", "points").update();
            jdbc.sql("DROP TABLE " + sums + ", " + ImportSql.border(job.id())).update();
        } else {
            jdbc.sql("SET CONSTRAINTS ALL IMMEDIATE").update();
            int maxRow = jdbc.sql("SELECT coalesce(max(row_no), 0) FROM " + table).query(Integer.class).single();
            Map<String, Map<String, String>> windows = new LinkedHashMap<>();
            Instant now = Instant.now();
            jdbc.sql(ImportSql.ACCEPTED_CATEGORIES.formatted(table)).query((rs, n) -> {
                Deadlines.Window window = deadlines.from(now, Deadlines.hours(rs.getDouble(2)));
                windows.put(rs.getString(1), Map.of("warningAt", window.warningAt().toString(), "deadlineAt", window.deadlineAt().toString()));
                return null;
            }).list();
            for (int from = 0; from <= maxRow; from += BATCH_ROWS) {
                long[] done = jdbc.sql(ImportSql.UPSERT_PROBLEMS.formatted(table)).param("from", from).param("to", from + BATCH_ROWS)
                        .param("windows", json.writeValueAsString(windows)).param("user", caller.id()).param("job", job.id())
                        .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
                created += done[0];
                updated += done[1];
                progress(job.id(), created + updated);
            }
            jdbc.sql(ImportSql.BUMP_REVISION).param("layer", "problems").update();
        }
        jdbc.sql("DROP TABLE " + table).update();
        jdbc.sql(ImportSql.COMMITTED).param("processed", created + updated).param("creates", created).param("updates", updated)
                .param("id", job.id()).update();
        audit.record("IMPORT_COMMITTED", "import_job", job.id(), null, null, committedDetails(job, created, updated));
        log.info("Import {}: {} created, {} updated in {} ms ({}{})", job.id(), created, updated, (System.nanoTime() - t0) / 1_000_000,
                upsert ? "upsert" : "insert", replica ? ", foreign keys checked per referenced row" : "");
    }

    /** The staging tables of a job (those it has). */
    private void dropStaging(long id) {
        jdbc.sql("DROP TABLE IF EXISTS " + ImportSql.rows(id) + ", " + ImportSql.border(id) + ", " + ImportSql.sums(id) + ", " + ImportSql.ready(id))
                .update();
    }

    /** Previews nobody committed within a day: their staging tables are dropped and they end FAILED. */
    private void expireOldPreviews() {
        for (long id : jdbc.sql(ImportSql.EXPIRED_PREVIEWS).query(Long.class).list()) {
            try {
                dropStaging(id);
            } catch (RuntimeException e) {
                log.warn("Could not drop the staging tables of import {}: {}", id, e.getMessage());
            }
        }
    }

    /** Whether this database user may turn trigger firing off (superuser, or granted SET on session_replication_role). */
    private boolean mayBypassTriggers() {
        String triggers = jdbc.sql(ImportSql.POINT_TRIGGERS).query(String.class).single();
        if (!triggers.equals(ImportSql.KNOWN_POINT_TRIGGERS)) {
            return false; // a trigger this commit does not know would be skipped
        }
        try {
            return separately.execute(status -> jdbc.sql(ImportSql.MAY_SET_REPLICATION_ROLE).query(Boolean.class).single());
        } catch (RuntimeException e) {
            return false; // PostgreSQL before 15
        }
    }

    /** Progress is written outside the import's transaction so that a poller sees it while the batches run. */
    private void progress(long id, long processed) {
        separately.executeWithoutResult(status -> jdbc.sql(ImportSql.PROGRESS).param("processed", processed).param("id", id).update());
    }
}
