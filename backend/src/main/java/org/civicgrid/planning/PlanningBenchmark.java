package org.civicgrid.planning;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the benchmark command measures for issue #7, without HTTP or security: open a draft as a user,
 * validate + preview it, publish it; and the raw SQL of the database part, to print side by side.
 * Validation itself runs in JTS (no SQL equivalent in PostGIS 3.3).
 */
@Component
public class PlanningBenchmark {

    /** Copies the live grids of an area into a draft (with :draft, :area). */
    public static final String SQL_COPY_GRIDS = PlanningRepository.COPY_LIVE_GRIDS;
    /** The impact preview (with :draft, :area). */
    public static final String SQL_IMPACT = PlanningRepository.IMPACT;
    /** Publishing, statement by statement (with :draft, :area, :effective, :publication, :user; :on = 'on' then 'off'). */
    public static final List<String> SQL_PUBLISH = List.of(
            PlanningRepository.PUBLISH_ASSIGN_POINTS, PlanningRepository.PUBLISH_ASSIGN_PROBLEMS, PlanningRepository.PUBLISH_GRID_MAP,
            PlanningRepository.PUBLISH_END_OLD_VERSIONS, PlanningRepository.PUBLISH_BEGIN_NEW_VERSIONS, PlanningRepository.PUBLISH_MAP_NEW_VERSIONS,
            PlanningRepository.PUBLISH_OWNERS, PlanningRepository.PUBLISH_TRIGGERS_KEEP_GRID, PlanningRepository.PUBLISH_MOVE_POINTS,
            PlanningRepository.PUBLISH_MOVE_PROBLEMS, PlanningRepository.PUBLISH_TRIGGERS_KEEP_GRID, PlanningRepository.PUBLISH_PROBLEM_EVENTS,
            PlanningRepository.PUBLISH_EMPTY_STATS);

    /** Timings of one validation + preview. */
    public record Preview(long draftId, int grids, int faults, int pointsChanging, int problemsChanging, long validateNanos, long impactNanos) {
    }

    /** What a publication did and how long it took (in one transaction). */
    public record Publication(long publicationId, int gridsEnded, int gridsBegun, int pointsReassigned, int problemsReassigned, long nanos) {
    }

    private final PlanningService service;
    private final PlanningRepository repository;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    PlanningBenchmark(PlanningService service, PlanningRepository repository, PlatformTransactionManager transactionManager) {
        this.service = service;
        this.repository = repository;
        this.jdbc = repository.jdbc();
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** A new draft copying the live grids of a street or community, owned by the given user (no audit row: not a user action). */
    public long createDraft(String areaCode, long userId) {
        return transactions.execute(status -> {
            String basedOn = jdbc.sql(PlanningRepository.LIVE_SNAPSHOT).param("area", areaCode).query(String.class).single();
            long id = jdbc.sql(PlanningRepository.INSERT_DRAFT).param("area", areaCode).param("name", "benchmark " + areaCode)
                    .param("user", userId).param("basedOn", basedOn).query(Long.class).single();
            jdbc.sql(PlanningRepository.COPY_LIVE_GRIDS).param("draft", id).param("area", areaCode).update();
            return id;
        });
    }

    /** Replaces a draft grid's geometry (WKT, lon/lat), e.g. to move a boundary before publishing. */
    public void setGeometry(long draftId, long gridKey, String wkt) {
        jdbc.sql("UPDATE draft_grid SET geom = ST_GeomFromText(:wkt, 4326) WHERE draft_id = :draft AND id = :key")
                .param("wkt", wkt).param("draft", draftId).param("key", gridKey).update();
    }

    /** Validation (JTS) and the impact preview (SQL) of a draft, timed separately. */
    public Preview validateAndPreview(long draftId) {
        PlanningRepository.DraftRow draft = repository.draft(draftId).orElseThrow();
        long t0 = System.nanoTime();
        List<DraftValidator.Fault> faults = service.faults(draft);
        long t1 = System.nanoTime();
        var impact = service.impact(draft);
        long t2 = System.nanoTime();
        int grids = jdbc.sql("SELECT count(*) FROM draft_grid WHERE draft_id = :d").param("d", draftId).query(Integer.class).single();
        return new Preview(draftId, grids, faults.size(), impact.path("points").size(), impact.path("problems").size(), t1 - t0, t2 - t1);
    }

    /** Publishes the draft effective today as the given user, in one transaction (validation and staleness checks included). */
    public Publication publish(long draftId, long userId) {
        long t0 = System.nanoTime();
        PlanningViews.Published published = transactions.execute(status -> {
            jdbc.sql(PlanningRepository.BUMP_VERSION).param("id", draftId).param("expected", null).query(Long.class).single();
            PlanningRepository.DraftRow draft = repository.draft(draftId).orElseThrow();
            return service.publishLocked(userId, draft, service.today());
        });
        return new Publication(published.publicationId(), published.gridsEnded(), published.gridsBegun(), published.pointsReassigned(),
                published.problemsReassigned(), System.nanoTime() - t0);
    }

    /** Parameters for running {@link #SQL_IMPACT} by hand. */
    public static Map<String, Object> impactParameters(long draftId, String areaCode) {
        return Map.of("draft", draftId, "area", areaCode);
    }

    static LocalDate today(PlanningService service) {
        return service.today();
    }
}
