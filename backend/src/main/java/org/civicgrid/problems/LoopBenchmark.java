package org.civicgrid.problems;

import java.time.Instant;
import java.util.List;

import org.civicgrid.audit.AuditTrail;
import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rectification loop's baselines for the benchmark command: a worklist query and an 立案 (accept) move made with the
 * very statements the service runs — lock, write, timeline event, audit row, in one transaction — without HTTP,
 * security or JSON around them.
 */
@Component
public class LoopBenchmark {

    /** Problems waiting to be accepted, oldest id first: each run of the benchmark accepts the next ones. */
    private static final String REPORTED = """
            SELECT p.id FROM problem p WHERE p.status = 'REPORTED' ORDER BY p.id LIMIT :n""";

    private final ProblemRepository problems;
    private final Deadlines deadlines;
    private final AuditTrail audit;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    LoopBenchmark(ProblemRepository problems, Deadlines deadlines, AuditTrail audit, JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.problems = problems;
        this.deadlines = deadlines;
        this.audit = audit;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Ids of {@code n} problems in REPORTED. */
    public List<Long> reported(int n) {
        return jdbc.sql(REPORTED).param("n", n).query(Long.class).list();
    }

    /** The version a client would send with its move. */
    public long version(long problemId) {
        return jdbc.sql("SELECT version FROM problem WHERE id = :id").param("id", problemId).query(Long.class).single();
    }

    /** Accepts the problem with the service's statements; false when it was no longer REPORTED. */
    public boolean acceptDirectly(long problemId, long actorId, CallerScope scope) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            ProblemState before = problems.lockState(problemId, scope).orElse(null);
            if (before == null || before.status != ProblemStatus.REPORTED) {
                return false;
            }
            ProblemState after = Moves.apply(before, LoopAction.ACCEPT, new ActionRequest(before.version, null, null, null, null, null, null),
                    new Moves.Context(Instant.now(), deadlines, gridId -> null));
            problems.write(after);
            problems.insertEvent(problemId, actorId, LoopAction.ACCEPT.name(), before.status, after.status, null, null, null);
            audit.record("PROBLEM_ACCEPT", "problem", problemId, before.gridCode, before.auditView(), after.auditView());
            return true;
        }));
    }

    /** The worklist query behind {@code GET /api/worklists/{name}} (to-accept or red-and-urged), run directly. */
    public int worklistDirectly(String name, CallerScope scope, int limit) {
        Worklist list = Worklist.fromPath(name);
        if (list == null) {
            throw new IllegalArgumentException(name);
        }
        return problems.workItems(scope, new ProblemRepository.WorkQuery(list.statuses, list.departmentOnly, list.gridOnly, list.attentionOnly,
                limit)).size();
    }
}
