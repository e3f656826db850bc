package org.civicgrid.transfer;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

import org.civicgrid.security.CurrentUser;
import org.postgresql.copy.CopyIn;
import org.springframework.security.core.context.SecurityContext;

/**
 * A points import written ahead while its file is read: besides the staging table, every good row is COPYed
 * straight into measurement_point by a second database session, in a transaction that stays open (nothing is
 * visible) until the user commits the preview — then only the statistics, the revision and the job are left
 * to do — or is rolled back: when the preview has errors, when the file updates existing points (its COPY
 * fails on their ids; such a file is committed from the staging table), when nobody commits within
 * {@link ImportService#SPECULATION_MINUTES}, or on shutdown. Reading the file and writing measurement_point's
 * indexes then run side by side, as in ogr2ogr's pipeline, instead of one after the other.
 *
 * <p>The session runs on a thread of its own inside a Spring transaction (so the commit's audit entry is part
 * of it); this object carries the COPY to the reading thread and the user's decision back.
 */
final class ImportSpeculation {

    static final String COPY_POINTS = """
            COPY measurement_point (external_id, type_code, name, address, responsible_unit, geom, grid_id) FROM STDIN (FORMAT binary)""";

    /** The user's answer: commit (as whom, with which job) or not. */
    record Decision(boolean commit, CurrentUser caller, SecurityContext security, ImportJob job) {
    }

    /** The COPY into measurement_point, once the session has started it. */
    final CompletableFuture<CopyIn> copyReady = new CompletableFuture<>();
    /** Whether every row went in (false: the COPY failed or was abandoned; the session rolls back). */
    final CompletableFuture<Boolean> copyEnded = new CompletableFuture<>();
    final CompletableFuture<Decision> decision = new CompletableFuture<>();
    /** Completes when the session has ended: normally after committing; exceptionally when it rolled back. */
    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Whether the session switched trigger firing off (foreign keys then held set-based at the end). */
    volatile boolean replica;
    volatile long jobId;

    private CopyIn copy;
    private CopyBinary out;
    private boolean failed;
    private String failure;
    private long rows;

    void attach(CopyIn copyIn) {
        this.copy = copyIn;
        this.out = new CopyBinary(copyIn, true);
    }

    /** Whether rows should still be written (the COPY has not failed). */
    boolean writing() {
        return out != null && !failed;
    }

    CopyBinary out() {
        return out;
    }

    void wrote() {
        rows++;
    }

    /** The COPY failed (e.g. an id that exists): no more rows; the session will roll back. */
    void fail(RuntimeException e) {
        if (!failed) {
            failed = true;
            failure = e.getMessage();
        }
    }

    String failure() {
        return failure;
    }

    /** After the last row: ends the COPY and tells the session whether all rows are in. */
    boolean endCopy() {
        if (writing()) {
            try {
                out.finish();
                long copied = copy.endCopy();
                if (copied != rows) {
                    fail(new IllegalStateException("copied " + copied + " of " + rows + " rows"));
                }
            } catch (SQLException | RuntimeException e) {
                fail(e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e));
            }
        }
        boolean complete = writing();
        abandonCopy();
        copyEnded.complete(complete);
        return complete;
    }

    /** Nothing of this import will be committed this way (preview failed or had errors). */
    void abandon() {
        abandonCopy();
        copyEnded.complete(false);
        decision.complete(new Decision(false, null, null, null));
    }

    private void abandonCopy() {
        if (copy != null && copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                // the session rolls back anyway
            }
        }
    }
}
