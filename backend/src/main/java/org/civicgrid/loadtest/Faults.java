package org.civicgrid.loadtest;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.io.geojson.GeoJsonReader;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The faults of the run, injected while the users work: the primary restarted, an app instance killed under its users,
 * another killed while it commits a bulk import and publishes grids. Each is observed from outside (a probe signed in
 * through nginx, the users' own answers, the database) and checked.
 */
final class Faults {

    private final LoadTest test;
    private final LoadTest.ClusterEnv env;
    private final Database database;
    private final City city;
    private final LoadTest.Settings settings;
    private final WebSession probe;
    private final WebSession admin;
    private final WebSession planner;
    private final StringBuilder report = new StringBuilder();
    private final List<long[]> probes = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean probing;
    private Thread probeThread;
    private long loadStart;

    // prepared before the load
    private long importJob = -1;
    private String importPrefix;
    private int importRows;
    private long draftId = -1;
    private String draftCommunity;
    private long splitGridId;
    private long gridsBefore;

    Faults(LoadTest test, LoadTest.ClusterEnv env, Database database, HttpClient client, ObjectMapper json, City city, Metrics metrics,
           LoadTest.Settings settings) {
        this.test = test;
        this.env = env;
        this.database = database;
        this.city = city;
        this.settings = settings;
        this.probe = new WebSession(client, metrics, json, "admin");
        this.admin = new WebSession(client, metrics, json, "admin");
        this.planner = new WebSession(client, metrics, json, "planner");
    }

    private Connection db() throws SQLException {
        return database.get();
    }

    private String t(long millis) {
        return String.format(Locale.ROOT, "%.1f s", (millis - loadStart) / 1000.0);
    }

    private static String port(String base) {
        return base.substring(base.lastIndexOf(':') + 1);
    }

    // ---- preparation: an import waiting to be committed, a valid draft waiting to be published ----------------------

    void prepare() throws Exception {
        if (!admin.signIn(env.http(), City.PASSWORD) || !planner.signIn(env.http(), City.PASSWORD)) {
            throw new IllegalStateException("admin/planner could not sign in");
        }
        importPrefix = "lt" + Long.toString(System.currentTimeMillis(), 36);
        byte[] file = pointFile(settings.importRows(), importPrefix);
        WebSession.Response upload = admin.postMultipart(env.http(), "import upload", "/api/imports", Map.of("kind", "points"),
                "loadtest-points.geojson", "application/geo+json", file);
        JsonNode job = admin.json(upload);
        if (upload.status() != 201 || job.path("errorCount").asLong() != 0) {
            throw new IllegalStateException("The import preview failed: " + upload.status() + " " + upload.text());
        }
        importJob = job.path("id").asLong();
        LoadTest.log("Import " + importJob + " previewed: " + importRows + " points (" + importPrefix + "-*), waiting to be committed");

        Random random = new Random(settings.seed());
        List<String> communities = new ArrayList<>(city.communities);
        Collections.shuffle(communities, random);
        for (String community : communities.subList(0, Math.min(8, communities.size()))) {
            if (prepareDraft(community)) {
                break;
            }
        }
        if (draftId < 0) {
            throw new IllegalStateException("Could not prepare a valid draft with a split grid in any community");
        }
    }

    private byte[] pointFile(int count, String prefix) throws SQLException {
        String type = City.text(db(), "SELECT code FROM point_type WHERE geometry_kind = 'POINT' ORDER BY sort_order, code LIMIT 1");
        long grids = City.scalar(db(), "SELECT count(*) FROM grid WHERE valid_to IS NULL AND code LIKE '320508%'");
        int perGrid = (int) Math.max(1, (count + grids - 1) / grids);
        StringBuilder out = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[\n");
        try (PreparedStatement ps = db().prepareStatement("""
                SELECT ST_X(p.geom), ST_Y(p.geom) FROM grid g CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(g.boundary, ?, 7)) p
                WHERE g.valid_to IS NULL AND g.code LIKE '320508%' LIMIT ?""")) {
            ps.setInt(1, perGrid);
            ps.setInt(2, count);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    i++;
                    out.append(i > 1 ? ",\n" : "").append("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[")
                            .append(rs.getDouble(1)).append(',').append(rs.getDouble(2)).append("]},\"properties\":{\"external_id\":\"")
                            .append(prefix).append('-').append(i).append("\",\"type_code\":\"").append(type).append("\",\"name\":\"负载测试点位 ")
                            .append(i).append("\",\"address\":\"测试路 ").append(i).append(" 号\",\"responsible_unit\":\"负载测试单位\"}}");
                }
                importRows = i;
            }
        }
        return out.append("\n]}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private boolean prepareDraft(String community) throws Exception {
        WebSession.Response created = planner.postJson(env.http(), "planning", "/api/planning/drafts",
                Map.of("areaCode", community, "name", "负载测试 " + importPrefix), Map.of());
        if (created.status() != 201) {
            return false;
        }
        JsonNode doc = planner.json(created);
        long draft = doc.path("draft").path("id").asLong();
        // the grid with the most points, split along a horizontal line that crosses it cleanly
        List<JsonNode> features = new ArrayList<>();
        doc.path("features").forEach(features::add);
        features.sort((a, b) -> Long.compare(pointsIn(b), pointsIn(a)));
        GeoJsonReader reader = new GeoJsonReader();
        for (JsonNode f : features.subList(0, Math.min(4, features.size()))) {
            Geometry polygon = reader.read(f.path("geometry").toString());
            LineString line = splitLine(polygon);
            if (line == null) {
                continue;
            }
            Map<String, Object> split = new LinkedHashMap<>();
            split.put("gridKey", f.path("properties").path("key").asLong());
            split.put("line", Map.of("type", "LineString", "coordinates", List.of(
                    List.of(line.getCoordinateN(0).x, line.getCoordinateN(0).y), List.of(line.getCoordinateN(1).x, line.getCoordinateN(1).y))));
            WebSession.Response r = planner.postJson(env.http(), "planning", "/api/planning/drafts/" + draft + "/split", split, Map.of());
            if (r.status() != 200) {
                continue;
            }
            JsonNode validation = planner.json(planner.get(env.http(), "planning", "/api/planning/drafts/" + draft + "/validation"));
            if (validation.path("valid").asBoolean()) {
                draftId = draft;
                draftCommunity = community;
                splitGridId = f.path("properties").path("sourceGridId").asLong();
                gridsBefore = City.scalar(db(), "SELECT count(*) FROM grid WHERE community_code = ? AND valid_to IS NULL", community);
                LoadTest.log("Draft " + draft + " of community " + community + " splits grid " + f.path("properties").path("code").asString()
                        + ": valid, waiting to be published");
                return true;
            }
            break;   // the draft now holds a faulty split: try another community
        }
        return false;
    }

    private long pointsIn(JsonNode feature) {
        try {
            return City.scalar(db(), "SELECT count(*) FROM measurement_point WHERE grid_id = ?", feature.path("properties").path("sourceGridId").asLong());
        } catch (SQLException e) {
            return 0;
        }
    }

    /** As the planner's tests do: a horizontal line across the grid whose intersection is one piece. */
    static LineString splitLine(Geometry polygon) {
        GeometryFactory gf = polygon.getFactory();
        Envelope env = polygon.getEnvelopeInternal();
        for (double f = 0.5; f > 0.1; f -= 0.05) {
            for (double y : new double[] {env.getMinY() + env.getHeight() * f, env.getMaxY() - env.getHeight() * f}) {
                LineString line = gf.createLineString(new Coordinate[] {new Coordinate(env.getMinX() - 1e-4, y), new Coordinate(env.getMaxX() + 1e-4, y)});
                if (polygon.intersection(line) instanceof LineString) {
                    return line;
                }
            }
        }
        return null;
    }

    // ---- the probe: one signed-in client asking GET /api/me through nginx every 100 ms -------------------------------

    void startProbe(long loadStart) {
        this.loadStart = loadStart;
        if (!settings.faults()) {
            return;
        }
        if (!probe.signIn(env.http(), City.PASSWORD)) {
            throw new IllegalStateException("the probe could not sign in");
        }
        probing = true;
        probeThread = new Thread(() -> {
            while (probing) {
                long at = System.currentTimeMillis();
                WebSession.Response r = probe.getOnce(env.http(), "probe", "/api/me");
                probes.add(new long[] {at, r.status(), System.currentTimeMillis()});
                LoadTest.sleepUntil(at + 100);
            }
        }, "probe");
        probeThread.setDaemon(true);
        probeThread.start();
    }

    void stopProbe() throws InterruptedException {
        probing = false;
        if (probeThread != null) {
            probeThread.join(5000);
        }
    }

    // ---- the schedule -------------------------------------------------------------------------------------------------

    void orchestrate(long loadStart, long deadline, List<SimulatedUsers.User> users) {
        long length = deadline - loadStart;
        try {
            LoadTest.sleepUntil(loadStart + length / 5);
            restartPrimary();
            LoadTest.sleepUntil(loadStart + length * 2 / 5);
            killInstanceUnderLoad(users, System.currentTimeMillis() < deadline - 20_000);
        } catch (Exception e) {
            LoadTest.log("A fault scenario failed: " + e);
            e.printStackTrace();
            test.recordCheck(false, "the fault scenarios ran (" + e + ")");
        }
    }

    private void restartPrimary() throws InterruptedException {
        long started = System.currentTimeMillis();
        LoadTest.log("Fault 1 at " + t(started) + ": pg_ctl restart -m fast of the primary");
        test.cluster("restart-primary");
        long up = System.currentTimeMillis();
        Thread.sleep(12_000);
        long firstFail = -1;
        long lastFail = -1;
        long firstOkAfterUp = -1;
        int failures = 0;
        synchronized (probes) {
            for (long[] p : probes) {
                if (p[0] < started - 200) {
                    continue;
                }
                boolean ok = p[1] == 200;
                if (!ok) {
                    failures++;
                    firstFail = firstFail < 0 ? p[0] : firstFail;
                    lastFail = p[0];
                }
            }
            // the first success after the last failure (and after the primary was back)
            for (long[] p : probes) {
                if (p[0] > Math.max(lastFail, up - 1) && p[1] == 200) {
                    firstOkAfterUp = p[2];
                    break;
                }
            }
        }
        long recovery = firstOkAfterUp < 0 ? Long.MAX_VALUE : Math.max(0, firstOkAfterUp - up);
        report.append(String.format(Locale.ROOT, "%nprimary restart (pg_ctl restart -m fast) at %s: the primary accepted connections again after %.1f s;%n",
                t(started), (up - started) / 1000.0));
        report.append(failures == 0
                ? "  the probe (GET /api/me via nginx every 100 ms) saw no failure\n"
                : String.format(Locale.ROOT, "  the probe saw %d failed requests from %s to %s; requests succeed again %.1f s after the primary was back (limit 10 s)%n",
                failures, t(firstFail), t(lastFail), recovery / 1000.0));
        test.recordCheck(recovery <= 10_000, String.format(Locale.ROOT, "the app recovered by itself within 10 s of the primary's restart (%.1f s)",
                recovery == Long.MAX_VALUE ? Double.NaN : recovery / 1000.0));
    }

    /**
     * kill -9 of app 1 while users work on it, a bulk import commits on it (background thread, inside its transaction)
     * and a grid publish runs on it (inside its transaction): its users must continue on app 2 still signed in, and
     * the import and the publish must be either fully there or not at all.
     */
    private void killInstanceUnderLoad(List<SimulatedUsers.User> users, boolean duringLoad) throws Exception {
        String app = env.app1();
        String appName = "civicgrid-app1";
        String app2 = port(env.app2());
        int before = probe.getOnce(app, "probe", "/api/me").status();

        long pointsBefore = City.scalar(db(), "SELECT count(*) FROM measurement_point WHERE external_id LIKE ?", importPrefix + "-%");
        WebSession.Response commit = admin.postJson(app, "import commit", "/api/imports/" + importJob + "/commit", null, Map.of());
        if (commit.status() != 202) {
            throw new IllegalStateException("The import commit answered " + commit.status() + " (expected 202, a background commit): " + commit.text());
        }
        // (on a saturated machine the background commit may take a while to reach its first write)
        boolean importOpen = waitFor(90_000, 20, () -> holdsLock(appName, "measurement_point"));
        AtomicReference<WebSession.Response> published = new AtomicReference<>();
        Thread publish = new Thread(() -> published.set(planner.postJson(app, "publish", "/api/planning/drafts/" + draftId + "/publish",
                Map.of(), Map.of())), "publish");
        publish.setDaemon(true);
        publish.start();
        boolean publishOpen = waitFor(30_000, 5, () -> published.get() != null || holdsLock(appName, "grid_publication"));
        publishOpen = publishOpen && published.get() == null;
        boolean importStillOpen = holdsLock(appName, "measurement_point");

        List<WebSession> onApp = new ArrayList<>();
        for (SimulatedUsers.User u : users) {
            String last = u.session().lastUpstream();
            if (last != null && last.endsWith(":" + port(app))) {
                onApp.add(u.session());
            }
        }
        long killed = System.currentTimeMillis();
        LoadTest.log("Fault 2 at " + t(killed) + ": kill -9 of app 1 (" + onApp.size() + " users were last served by it; the import "
                + (importStillOpen ? "in its transaction" : "not in a transaction") + ", the publish "
                + (publishOpen ? "in its transaction" : published.get() != null ? "already answered" : "not started") + ")");
        test.cluster("kill-app", "1");
        Thread.sleep(15_000);
        int moved = 0;
        int signedOut = 0;
        int idle = 0;
        for (WebSession s : onApp) {
            if (s.lastAt() <= killed) {
                idle++;
            } else if (s.lastStatus() == 401) {
                signedOut++;
            } else if (s.lastUpstream() != null && s.lastUpstream().endsWith(":" + app2) && s.lastStatus() > 0) {
                moved++;
            }
        }
        WebSession.Response viaNginx = probe.getOnce(env.http(), "probe", "/api/me");
        publish.join(60_000);

        // the server finishes the dead client's statement, then rolls its transaction back
        boolean gone = waitFor(180_000, 200, () -> City.scalar(db(), "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", appName) == 0);
        long points = City.scalar(db(), "SELECT count(*) FROM measurement_point WHERE external_id LIKE ?", importPrefix + "-%");
        String jobStatus = City.text(db(), "SELECT status FROM import_job WHERE id = ?", importJob);
        String draftStatus = City.text(db(), "SELECT status FROM draft WHERE id = ?", draftId);
        long publications = City.scalar(db(), "SELECT count(*) FROM grid_publication WHERE draft_id = ?", draftId);
        long gridsNow = City.scalar(db(), "SELECT count(*) FROM grid WHERE community_code = ? AND valid_to IS NULL", draftCommunity);
        boolean oldEnded = City.scalar(db(), "SELECT count(*) FROM grid WHERE id = ? AND valid_to IS NOT NULL", splitGridId) == 1;
        long pointsInEndedGrids = City.scalar(db(), """
                SELECT count(*) FROM measurement_point m JOIN grid g ON g.id = m.grid_id
                WHERE g.community_code = ? AND g.valid_to IS NOT NULL""", draftCommunity);
        boolean importWhole = points == pointsBefore || points == pointsBefore + importRows;
        boolean publishBefore = "OPEN".equals(draftStatus) && publications == 0 && gridsNow == gridsBefore && !oldEnded;
        boolean publishAfter = "PUBLISHED".equals(draftStatus) && publications == 1 && gridsNow == gridsBefore + 1 && oldEnded;

        long restarting = System.currentTimeMillis();
        test.cluster("start-app", "1");
        long back = System.currentTimeMillis();
        int after = probe.getOnce(app, "probe", "/api/me").status();

        report.append(String.format(Locale.ROOT, "%nkill -9 of app 1 at %s%s:%n", t(killed), duringLoad ? " (under load)" : " (after the load)"));
        report.append(String.format(Locale.ROOT, "  users: %d had last been served by app 1; 15 s later %d of them were served by app 2 with the same "
                        + "session cookie, %d were signed out, %d had not sent a request yet%n"
                        + "  the probe's cookie: %d on app 1 before, %d via nginx after the kill (served by %s), %d on app 1 after its restart "
                        + "(restart took %.0f s, back at %s)%n",
                onApp.size(), moved, signedOut, idle, before, viaNginx.status(), viaNginx.upstream(), after, (back - restarting) / 1000.0, t(back)));
        report.append(String.format(Locale.ROOT, "  import (%d points, background commit) was %s at the kill: %d of its points in the database afterwards (%s); job status %s%n",
                importRows, importStillOpen ? "inside its transaction" : importOpen ? "past its transaction" : "not yet in its transaction",
                points - pointsBefore, points == pointsBefore ? "fully before" : points == pointsBefore + importRows ? "fully after" : "HALF", jobStatus));
        report.append(String.format(Locale.ROOT, "  grid publish was %s at the kill: draft %s, %d publication(s), %d current grids in %s (before %d), "
                        + "split grid %s, %d points left in ended grids (%s)%n",
                publishOpen ? "inside its transaction" : published.get() != null ? "already answered " + published.get().status() : "not reached",
                draftStatus, publications, gridsNow, draftCommunity, gridsBefore, oldEnded ? "ended" : "current", pointsInEndedGrids,
                publishBefore ? "fully before" : publishAfter ? "fully after" : "HALF"));
        test.recordCheck(signedOut == 0 && moved + idle == onApp.size() && viaNginx.status() == 200 && after == 200,
                "after kill -9 of app 1 its users continued on app 2 signed in (" + moved + "/" + onApp.size() + " moved, " + idle
                        + " idle, " + signedOut + " signed out; the same cookie worked on app 1 again after its restart)");
        test.recordCheck(gone, "the killed instance's database sessions ended");
        test.recordCheck(importWhole, "the import killed mid-commit is fully before or fully after (" + (points - pointsBefore) + "/" + importRows + " rows)");
        test.recordCheck((publishBefore || publishAfter) && pointsInEndedGrids == 0, "the grid publish killed mid-transaction is fully before or fully after");
    }

    private boolean holdsLock(String applicationName, String table) {
        try {
            return City.scalar(db(), """
                    SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE a.application_name = ? AND l.granted AND l.relation = to_regclass(?)
                      AND l.mode IN ('RowExclusiveLock', 'ShareRowExclusiveLock')""", applicationName, table) > 0;
        } catch (SQLException e) {
            return false;
        }
    }

    interface Condition {
        boolean holds() throws SQLException;
    }

    private static boolean waitFor(long millis, long every, Condition condition) throws InterruptedException, SQLException {
        long until = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < until) {
            if (condition.holds()) {
                return true;
            }
            Thread.sleep(every);
        }
        return condition.holds();
    }

    String report() {
        return report.toString();
    }
}
