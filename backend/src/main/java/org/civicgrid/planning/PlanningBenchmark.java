package org.civicgrid.planning;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.civicgrid.web.InvalidParameterException;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the benchmark command ({@code ./civicgrid bench}) measures for issue #7, without HTTP or security, beside
 * the raw SQL of the database part:
 * <ul>
 * <li>validation (JTS) + impact preview of a draft of {@value #PREVIEW_GRIDS} grids: the city's community with the
 * most grids (up to that many), copied into a draft and split (largest grid first) until it has that many; the raw SQL is the copy of
 * the live grids and the impact query run directly (validation has no SQL equivalent in PostGIS 3.3);</li>
 * <li>publishing a street's new grids that re-assign at least {@value #PUBLISH_POINTS} points: the street with the
 * most grids gets that many extra points (deterministic, external ids {@value #EXTRA_POINTS}…) in one of its grids,
 * and a draft of the street merges that grid into its neighbour. It is published for real (committed), then a second
 * draft restores both grids and is published too (the points move back): two samples. The raw SQL runs the same
 * publishing statements on the same change directly, in one transaction that is rolled back.</li>
 * </ul>
 * Afterwards the extra points are deleted and the benchmark's drafts removed, so the city is as before apart from
 * the two publications in its history (grid versions that ended on the day they began); a rerun finds what it needs.
 */
@Component
public class PlanningBenchmark {

    private static final Logger log = LoggerFactory.getLogger(PlanningBenchmark.class);

    public static final int PREVIEW_GRIDS = 50;
    public static final int PUBLISH_POINTS = 100_000;
    static final String EXTRA_POINTS = "bench-planner-";
    static final String USER = "bench_planner";

    /** Copies the live grids of an area into a draft (with :draft, :area). */
    public static final String SQL_COPY_GRIDS = PlanningRepository.COPY_LIVE_GRIDS;
    /** The impact preview (with :draft, :area). */
    public static final String SQL_IMPACT = PlanningRepository.IMPACT;
    /** Publishing, statement by statement, exactly as the service runs them (with :draft, :area, :effective, :publication, :user). */
    public static final List<String> SQL_PUBLISH = PlanningRepository.PUBLISH_STATEMENTS;

    static final String BIGGEST_COMMUNITY = """
            SELECT community_code FROM grid WHERE valid_to IS NULL GROUP BY community_code HAVING count(*) <= :grids
            ORDER BY count(*) DESC, community_code LIMIT 1""";

    static final String BIGGEST_STREET = """
            SELECT left(code, 9) FROM grid WHERE valid_to IS NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""";

    record LiveGrid(long id, String code, String name, Integer households, Polygon geometry, List<Long> owners) {
    }

    static final String LIVE_GRIDS = """
            SELECT g.id, g.code, g.name, g.households, ST_AsBinary(g.boundary),
                   coalesce((SELECT array_agg(o.user_id ORDER BY o.user_id) FROM grid_owner o WHERE o.grid_id = g.id), '{}')
            FROM grid g WHERE g.valid_to IS NULL AND g.code LIKE :area || '%' ORDER BY g.code""";

    /** Deterministic extra points inside a grid, given its grid_id directly (publishing_grids: no row triggers, V16). */
    static final String ADD_POINTS = """
            INSERT INTO measurement_point (external_id, type_code, name, geom, grid_id)
            SELECT :prefix || lpad(p.n::text, 6, '0'), (SELECT code FROM point_type WHERE geometry_kind = 'POINT' ORDER BY code LIMIT 1),
                   '基准测试点位 ' || p.n, p.geom, :grid
            FROM (SELECT row_number() OVER () AS n, d.geom FROM grid g, ST_Dump(ST_GeneratePoints(g.boundary, :count, 20261130)) d
                  WHERE g.id = :grid) p""";

    static final String EXTRA_POINT_GRIDS = """
            SELECT DISTINCT grid_id FROM measurement_point WHERE external_id LIKE :prefix || '%' AND grid_id IS NOT NULL""";

    static final String DELETE_EXTRA_POINTS = "DELETE FROM measurement_point WHERE external_id LIKE :prefix || '%'";

    static final String REFRESH_STATS = "SELECT refresh_grid_map_stats(CAST(string_to_array(:ids, ',') AS bigint[]))";

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

    // ---- the benchmark table's rows ---------------------------------------------------------------------------------

    /** The rows for the benchmark table (same columns as BenchmarkRunner's): validation + preview, then publishing. */
    public List<String> rows(int samples) {
        List<String> rows = new ArrayList<>();
        long user = benchUser();
        cleanUp(user);
        try {
            rows.addAll(previewRows(user, Math.max(10, samples)));
        } catch (RuntimeException e) {
            log.error("Planner validate+preview benchmark failed", e);
            rows.add("planner validate+preview failed: " + e.getMessage());
        }
        try {
            rows.addAll(publishRows(user));
        } catch (RuntimeException e) {
            log.error("Planner publish benchmark failed", e);
            rows.add("planner publish failed: " + e.getMessage());
        } finally {
            cleanUp(user);
        }
        return rows;
    }

    private List<String> previewRows(long user, int samples) {
        String community = jdbc.sql(BIGGEST_COMMUNITY).param("grids", PREVIEW_GRIDS).query(String.class).single();
        long draftId = createDraft(community, user);
        int live = count(draftId);
        int grids = splitTo(draftId, PREVIEW_GRIDS);
        Preview first = validateAndPreview(draftId); // warms the caches, as a planner's second look would
        log.info("Planner preview: community {} with {} live grids split into {}; {} faults, {} points and {} problems change grid",
                community, live, grids, first.faults(), first.pointsChanging(), first.problemsChanging());
        List<Double> both = new ArrayList<>();
        List<Double> validation = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            Preview p = validateAndPreview(draftId);
            both.add((p.validateNanos() + p.impactNanos()) / 1e6);
            validation.add(p.validateNanos() / 1e6);
            raw.add(rawCopyAndImpact(draftId, community, user) / 1e6);
        }
        return List.of(row("planner validate+preview " + grids + " grids", both),
                row("planner validation only (JTS)", validation),
                row("planner copy+impact raw SQL", raw));
    }

    /** The live grids copied into a scratch draft and the impact query of the split draft, run directly; rolled back. */
    private long rawCopyAndImpact(long draftId, String community, long user) {
        Long nanos = transactions.execute(status -> {
            long scratch = jdbc.sql(PlanningRepository.INSERT_DRAFT).param("area", community).param("name", "benchmark scratch")
                    .param("user", user).param("basedOn", "{}").query(Long.class).single();
            jdbc.sql(PlanningRepository.LOCAL_SETTINGS).query().listOfRows(); // as the service runs it
            long t0 = System.nanoTime();
            jdbc.sql(SQL_COPY_GRIDS).param("draft", scratch).param("area", community).update();
            jdbc.sql(SQL_IMPACT).params(impactParameters(draftId, community)).query(String.class).single();
            long t1 = System.nanoTime();
            status.setRollbackOnly();
            return t1 - t0;
        });
        return nanos == null ? 0 : nanos;
    }

    private List<String> publishRows(long user) {
        String street = jdbc.sql(BIGGEST_STREET).query(String.class).single();
        List<LiveGrid> live = liveGrids(street);
        LiveGrid[] pair = mergeablePair(live);
        LiveGrid gone = pair[0];
        LiveGrid keeper = pair[1];
        int added = addPoints(gone.id(), PUBLISH_POINTS);
        log.info("Planner publish: street {} ({} grids); {} extra points in grid {}, which a draft merges into {}", street, live.size(),
                added, gone.code(), keeper.code());

        List<Double> published = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        // the same change through the raw statements, rolled back (before the real one, so both see the same city)
        for (int i = 0; i < 2; i++) {
            settle();
            raw.add(rawPublish(street, gone, keeper, user) / 1e6);
        }
        long forward = createDraft(street, user);
        merge(forward, gone.code(), keeper.code());
        settle();
        Publication there = publish(forward, user);
        published.add(there.nanos() / 1e6);
        long back = createDraft(street, user);
        restore(back, gone, keeper);
        settle();
        Publication andBack = publish(back, user);
        published.add(andBack.nanos() / 1e6);
        int moved = Math.min(there.pointsReassigned(), andBack.pointsReassigned());
        log.info("Planner publish: {} and {} points re-assigned in {} and {} ms (publications {} and {})", there.pointsReassigned(),
                andBack.pointsReassigned(), Math.round(there.nanos() / 1e6), Math.round(andBack.nanos() / 1e6), there.publicationId(),
                andBack.publicationId());
        return List.of(row("planner publish street " + moved + " pts", published),
                row("planner publish raw SQL " + moved + " pts", raw));
    }

    /**
     * Each sample starts from the same table: the 100,000 row versions the previous sample left are vacuumed away first
     * (untimed), so autovacuum — which they would set off — does not run in the middle of the next one.
     */
    private void settle() {
        jdbc.sql("VACUUM (ANALYZE) measurement_point").update();
    }

    /** The publishing statements run directly on a draft making the same change, in a transaction that is rolled back. */
    private long rawPublish(String street, LiveGrid gone, LiveGrid keeper, long user) {
        Long nanos = transactions.execute(status -> {
            long draftId = createDraft(street, user);
            merge(draftId, gone.code(), keeper.code());
            long publication = jdbc.sql(PlanningRepository.INSERT_PUBLICATION).param("area", street).param("draft", draftId).param("user", user)
                    .param("effective", PlanningRepository.date(service.today())).query(Long.class).single();
            Map<String, Object> p = Map.of("draft", draftId, "area", street, "effective", PlanningRepository.date(service.today()),
                    "publication", publication, "user", user);
            long t0 = System.nanoTime();
            repository.runPublishStatements(p);
            jdbc.sql("SET CONSTRAINTS ALL IMMEDIATE").update(); // deferred triggers run now, not skipped by the rollback
            long t1 = System.nanoTime();
            status.setRollbackOnly();
            return t1 - t0;
        });
        return nanos == null ? 0 : nanos;
    }

    // ---- building blocks --------------------------------------------------------------------------------------------

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
        return new Preview(draftId, count(draftId), faults.size(), impact.path("points").size(), impact.path("problems").size(), t1 - t0, t2 - t1);
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

    /** Splits the draft's largest grid (through its middle, across its longer side) until the draft has {@code target} grids. */
    int splitTo(long draftId, int target) {
        int n = count(draftId);
        while (n < target) {
            PlanningRepository.DraftRow draft = repository.draft(draftId).orElseThrow();
            List<PlanningRepository.GridRow> grids = new ArrayList<>(repository.grids(draftId));
            grids.sort(Comparator.comparingDouble((PlanningRepository.GridRow g) -> g.geometry().getArea()).reversed());
            boolean done = false;
            for (PlanningRepository.GridRow grid : grids) {
                for (LineString line : splitLines((Polygon) grid.geometry())) {
                    try {
                        transactions.executeWithoutResult(status -> service.splitGrid(draft, grid, line));
                        done = true;
                        break;
                    } catch (InvalidParameterException e) {
                        // the line crosses the grid more than once or not at all: try the next
                    }
                }
                if (done) {
                    break;
                }
            }
            if (!done) {
                throw new IllegalStateException("no grid of draft " + draftId + " can be split in two by a straight line");
            }
            n++;
        }
        return n;
    }

    /** Straight cuts through a polygon, across its longer side first, from the middle outwards. */
    static List<LineString> splitLines(Polygon polygon) {
        Envelope e = polygon.getEnvelopeInternal();
        double widthMetres = e.getWidth() * Math.cos(Math.toRadians(e.centre().y));
        boolean verticalFirst = widthMetres >= e.getHeight();
        List<LineString> lines = new ArrayList<>();
        for (double f : new double[] {0.5, 0.45, 0.55, 0.4, 0.6, 0.33, 0.67}) {
            for (boolean vertical : new boolean[] {verticalFirst, !verticalFirst}) {
                Coordinate a;
                Coordinate b;
                if (vertical) {
                    double x = e.getMinX() + f * e.getWidth();
                    a = new Coordinate(x, e.getMinY() - e.getHeight() * 0.1);
                    b = new Coordinate(x, e.getMaxY() + e.getHeight() * 0.1);
                } else {
                    double y = e.getMinY() + f * e.getHeight();
                    a = new Coordinate(e.getMinX() - e.getWidth() * 0.1, y);
                    b = new Coordinate(e.getMaxX() + e.getWidth() * 0.1, y);
                }
                lines.add(GridGeometry.WGS84.createLineString(new Coordinate[] {a, b}));
            }
        }
        return lines;
    }

    List<LiveGrid> liveGrids(String area) {
        return jdbc.sql(LIVE_GRIDS).param("area", area).query((rs, i) -> new LiveGrid(rs.getLong(1), rs.getString(2), rs.getString(3),
                (Integer) rs.getObject(4), (Polygon) GridGeometry.wkb(rs.getBytes(5)), List.of((Long[]) rs.getArray(6).getArray()))).list();
    }

    /** The first grid (by code) with a neighbour in its community sharing an edge of at least 20 m, and that neighbour. */
    static LiveGrid[] mergeablePair(List<LiveGrid> grids) {
        for (LiveGrid a : grids) {
            GridGeometry.LocalMetres metres = new GridGeometry.LocalMetres(a.geometry().getEnvelopeInternal());
            LiveGrid best = null;
            double longest = 20;
            for (LiveGrid b : grids) {
                if (b == a || !b.code().startsWith(a.code().substring(0, 12))
                        || !a.geometry().getEnvelopeInternal().intersects(b.geometry().getEnvelopeInternal())) {
                    continue;
                }
                double shared = metres.toMetres(a.geometry().getBoundary()).intersection(metres.toMetres(b.geometry().getBoundary()).buffer(0.01))
                        .getLength();
                if (shared > longest) {
                    longest = shared;
                    best = b;
                }
            }
            if (best != null) {
                return new LiveGrid[] {a, best};
            }
        }
        throw new IllegalStateException("no two neighbouring grids in one community");
    }

    /** In the draft, the grid coded {@code goneCode} merged into the grid coded {@code keeperCode} (which keeps its code). */
    void merge(long draftId, String goneCode, String keeperCode) {
        transactions.executeWithoutResult(status -> {
            List<PlanningRepository.GridRow> grids = repository.grids(draftId);
            PlanningRepository.GridRow gone = grids.stream().filter(g -> g.code().equals(goneCode)).findFirst().orElseThrow();
            PlanningRepository.GridRow keeper = grids.stream().filter(g -> g.code().equals(keeperCode)).findFirst().orElseThrow();
            Polygon merged = GridGeometry.merge((Polygon) keeper.geometry(), (Polygon) gone.geometry(),
                    new GridGeometry.LocalMetres(keeper.geometry().getEnvelopeInternal()), 0.5);
            List<Long> owners = new ArrayList<>(new java.util.TreeSet<>(keeper.ownerIds()));
            gone.ownerIds().stream().filter(o -> !owners.contains(o)).forEach(owners::add);
            Integer households = keeper.households() == null && gone.households() == null ? null
                    : (keeper.households() == null ? 0 : keeper.households()) + (gone.households() == null ? 0 : gone.households());
            repository.updateGrid(draftId, keeper.key(), keeper.code(), keeper.name(), merged, owners, households);
            jdbc.sql(PlanningRepository.DELETE_GRID).param("draft", draftId).param("key", gone.key()).update();
        });
    }

    /** In the draft, the keeper back to its old shape and the merged grid back as it was (same code, name, owners). */
    void restore(long draftId, LiveGrid gone, LiveGrid keeper) {
        transactions.executeWithoutResult(status -> {
            PlanningRepository.GridRow now = repository.grids(draftId).stream().filter(g -> g.code().equals(keeper.code())).findFirst()
                    .orElseThrow();
            repository.updateGrid(draftId, now.key(), keeper.code(), keeper.name(), keeper.geometry(), keeper.owners(), keeper.households());
            repository.insertGrid(draftId, gone.code(), gone.name(), gone.geometry(), gone.owners(), gone.households(), null);
        });
    }

    /** Adds {@code count} deterministic points inside a grid; answers how many. */
    int addPoints(long gridId, int count) {
        Integer added = transactions.execute(status -> {
            jdbc.sql(PlanningRepository.PUBLISH_TRIGGERS_KEEP_GRID).query().listOfRows();
            int n = jdbc.sql(ADD_POINTS).param("prefix", EXTRA_POINTS).param("grid", gridId).param("count", count).update();
            jdbc.sql(PlanningRepository.PUBLISH_TRIGGERS_OFF).query().listOfRows();
            jdbc.sql(REFRESH_STATS).param("ids", String.valueOf(gridId)).query().listOfRows();
            jdbc.sql("UPDATE layer_revision SET revision = revision + 1 WHERE layer = 'points'").update();
            return n;
        });
        return added == null ? 0 : added;
    }

    /** Removes what a benchmark run (or an interrupted one) left: its extra points and its unpublished drafts. */
    void cleanUp(long user) {
        transactions.executeWithoutResult(status -> {
            List<Long> grids = jdbc.sql(EXTRA_POINT_GRIDS).param("prefix", EXTRA_POINTS).query(Long.class).list();
            jdbc.sql(PlanningRepository.PUBLISH_TRIGGERS_KEEP_GRID).query().listOfRows();
            int deleted = jdbc.sql(DELETE_EXTRA_POINTS).param("prefix", EXTRA_POINTS).update();
            jdbc.sql(PlanningRepository.PUBLISH_TRIGGERS_OFF).query().listOfRows();
            if (deleted > 0) {
                jdbc.sql(REFRESH_STATS).param("ids", PlanningRepository.joined(grids)).query().listOfRows();
                jdbc.sql("UPDATE layer_revision SET revision = revision + 1 WHERE layer = 'points'").update();
                log.info("Planner benchmark: removed {} extra points", deleted);
            }
            jdbc.sql("DELETE FROM draft WHERE created_by = :user AND status <> 'PUBLISHED'").param("user", user).update();
        });
        settle();
    }

    private long benchUser() {
        return transactions.execute(status -> {
            jdbc.sql("INSERT INTO app_user (username, display_name) VALUES (:u, '规划基准测试') ON CONFLICT (username) DO NOTHING")
                    .param("u", USER).update();
            long id = jdbc.sql("SELECT id FROM app_user WHERE username = :u").param("u", USER).query(Long.class).single();
            jdbc.sql("INSERT INTO user_role (user_id, role) VALUES (:id, 'PLANNER') ON CONFLICT DO NOTHING").param("id", id).update();
            return id;
        });
    }

    private int count(long draftId) {
        return jdbc.sql("SELECT count(*) FROM draft_grid WHERE draft_id = :d").param("d", draftId).query(Integer.class).single();
    }

    /** A row in BenchmarkRunner's format: name, p50 and p95 in ms; the throughput columns stay empty. */
    static String row(String name, List<Double> millis) {
        return String.format(Locale.ROOT, "%-34s %8.1f %8.1f %10s %10s %8s", name, percentile(millis, 50), percentile(millis, 95), "", "", "");
    }

    static double percentile(List<Double> millis, double p) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1));
    }
}
