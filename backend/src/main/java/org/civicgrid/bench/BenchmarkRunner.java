package org.civicgrid.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.civicgrid.data.DemoCityGenerator;
import org.civicgrid.data.GeneratorOptions;
import org.civicgrid.problems.Deadlines;
import org.civicgrid.security.ApiTokens;
import org.civicgrid.security.CallerScope;
import org.civicgrid.tiles.TileSql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.ObjectMapper;

/**
 * {@code ./civicgrid bench}: generates (or reuses) a large city, loads it into its own embedded
 * cluster, and measures the map endpoints over HTTP beside the same SQL run directly, then prints one
 * table and exits. Ratios measured side by side in one run are the result; absolute times here are noisy.
 */
@Component
@ConditionalOnProperty(name = "civicgrid.bench.enabled", havingValue = "true")
class BenchmarkRunner implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BenchmarkRunner.class);
    private static final int VIEWPORT_WIDTH_PX = 1280;
    private static final int VIEWPORT_HEIGHT_PX = 800;

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Deadlines deadlines;
    private final ApiTokens tokens;
    private final TileSql tileSql;
    private final org.civicgrid.ranking.RankingService rankings;
    private final org.civicgrid.problems.LoopBenchmark loops;
    private final TransactionTemplate transactions;
    private final ConfigurableApplicationContext context;
    private final int scale;
    private final Integer points;
    private final Long problems;
    private final int samples;
    private final Duration throughputWindow;
    /** Concurrent callers in a throughput measurement: enough to keep both cores busy on either side. */
    private final int tileClients;

    BenchmarkRunner(DataSource dataSource, JdbcClient jdbc, ObjectMapper json, Deadlines deadlines, ApiTokens tokens, TileSql tileSql,
                    org.civicgrid.ranking.RankingService rankings, org.civicgrid.problems.LoopBenchmark loops,
                    TransactionTemplate transactions, ConfigurableApplicationContext context,
                    @Value("${civicgrid.bench.scale:25}") int scale, @Value("${civicgrid.bench.points:#{null}}") Integer points,
                    @Value("${civicgrid.bench.problems:#{null}}") Long problems, @Value("${civicgrid.bench.samples:60}") int samples,
                    @Value("${civicgrid.bench.throughput-seconds:10}") int throughputSeconds,
                    @Value("${civicgrid.bench.tile-clients:8}") int tileClients) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.json = json;
        this.deadlines = deadlines;
        this.tokens = tokens;
        this.tileSql = tileSql;
        this.rankings = rankings;
        this.loops = loops;
        this.transactions = transactions;
        this.context = context;
        this.scale = scale;
        this.points = points;
        this.problems = problems;
        this.samples = samples;
        this.throughputWindow = Duration.ofSeconds(throughputSeconds);
        this.tileClients = tileClients;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        ensureCity();
        warmDatabase();
        String token = benchToken();
        CallerScope everything = new CallerScope(jdbc.sql("SELECT code FROM district ORDER BY code").query(String.class).list(), Optional.empty(), true);
        double[] extent = jdbc.sql("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(boundary)::geometry e FROM district) x")
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)}).single();
        // Random places where the city is: points on 5,000 random grids (the same every run).
        List<double[]> places = jdbc.sql("""
                SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(boundary) AS c FROM grid WHERE valid_to IS NULL
                ORDER BY md5(code) LIMIT 5000) g""").query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).list();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(8)).build();
        String base = "http://127.0.0.1:" + port;
        Random random = new Random(20261130L);
        List<String> table = new ArrayList<>();
        table.add(String.format(Locale.ROOT, "%-34s %8s %8s %10s %10s %8s", "operation", "p50 ms", "p95 ms", "req/s", "SQL req/s", "ratio"));

        for (int zoom : runs("viewport") ? new int[] {11, 13, 15, 17} : new int[0]) {
            Stats viewport = new Stats();
            for (int i = 0; i < samples; i++) {
                double[] box = viewport(places, zoom, random);
                List<String> urls = viewportUrls(base, box, zoom);
                long start = System.nanoTime();
                CompletableFuture.allOf(urls.stream().map(u -> http.sendAsync(get(u, token), HttpResponse.BodyHandlers.ofByteArray())
                        .thenApply(r -> check(r, u))).toArray(CompletableFuture[]::new)).join();
                viewport.add(System.nanoTime() - start);
            }
            table.add(row("viewport layers z" + zoom + " (" + viewportUrls(base, new double[4], zoom).size() + " requests)", viewport, null, null));
        }

        for (String layer : runs("tiles") ? List.of("grids", "points", "problems") : List.<String>of()) {
            for (int zoom : new int[] {14, 16}) {
                List<int[]> tiles = new ArrayList<>();
                java.util.Set<Long> asked = new java.util.HashSet<>(); // in the endpoint's memory after the warm row
                for (int i = 0; i < samples; i++) {
                    int[] t = randomTile(places, zoom, random);
                    tiles.add(t);
                    asked.add(((long) t[0] << 32) | t[1]);
                }
                Stats latency = new Stats();
                for (int[] t : tiles) {
                    String url = base + "/tiles/" + layer + "/" + zoom + "/" + t[0] + "/" + t[1] + ".mvt";
                    long start = System.nanoTime();
                    check(http.send(get(url, token), HttpResponse.BodyHandlers.ofByteArray()), url);
                    latency.add(System.nanoTime() - start);
                }
                TileCall endpoint = t -> check(http.send(get(base + "/tiles/" + layer + "/" + zoom + "/" + t[0] + "/" + t[1]
                        + ".mvt", token), HttpResponse.BodyHandlers.ofByteArray()), "tile");
                TileCall sql = t -> tileSql.tile(layer, zoom, t[0], t[1], everything);
                // Warm: the same tiles again, as a map panned back and forth (the server keeps built tiles by ETag).
                double[] warm = sideBySide(tiles, endpoint, sql, false);
                table.add(row("tile " + layer + " z" + zoom + " warm", latency, warm[0], warm[1]));
                // Cold: tiles not asked for before, each one built by the database.
                // Distinct tiles: at z14 a city has only a few thousand, and a repeated one would come from the endpoint's memory.
                List<int[]> fresh = new ArrayList<>();
                java.util.Set<Long> drawn = new java.util.HashSet<>();
                for (int i = 0; i < 20_000; i++) {
                    int[] t = randomTile(places, zoom, random);
                    if (drawn.add(((long) t[0] << 32) | t[1]) && !asked.contains(((long) t[0] << 32) | t[1])) {
                        fresh.add(t);
                    }
                }
                // Whichever side reads these tiles first pays for bringing their pages into PostgreSQL's buffers (the second reached twice
                // the first's rate in either order): one untimed pass of the SQL first, so both meet the database alike.
                for (int[] t : fresh) {
                    sql.call(t);
                }
                double[] cold = sideBySide(fresh, endpoint, sql, true);
                table.add(row("tile " + layer + " z" + zoom + " cold", latency, cold[0], cold[1]));
            }
        }
        if (runs("leader")) {
            table.addAll(leaderDashboard(http, base, token, everything, extent, random));
        }
        if (runs("work")) {
            table.addAll(work(http, base, token, everything));
        }
        if (runs("planner")) {
            table.addAll(context.getBean(org.civicgrid.planning.PlanningBenchmark.class).rows(samples));
        }
        if (runs("import")) {
            table.addAll(context.getBean(org.civicgrid.transfer.ImportBenchmark.class).rows());
        }

        long rss = residentSetKiB();
        System.out.println();
        System.out.println("CivicGrid benchmark — " + jdbc.sql("SELECT count(*) FROM grid").query(Long.class).single() + " grids, "
                + jdbc.sql("SELECT count(*) FROM measurement_point").query(Long.class).single() + " points, "
                + jdbc.sql("SELECT count(*) FROM problem").query(Long.class).single() + " problems; "
                + Runtime.getRuntime().availableProcessors() + " cores, heap max " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                + " MiB, peak RSS " + rss / 1024 + " MiB");
        table.forEach(System.out::println);
        System.out.println("Targets: viewport p95 ≤ 300 ms, tile p95 ≤ 50 ms, tile endpoint ≥ 80% of the SQL's throughput (ratio ≥ 0.80);"
                + " indicators for any area and week ≤ 200 ms p95, city-wide heatmap ≤ 300 ms p95.");
        System.out.println("Tile p50/p95: first request of each tile (built by the database). Warm rows repeat the same tiles;"
                + " cold rows ask for distinct tiles no earlier row asked for, each once.");
        System.exit(org.springframework.boot.SpringApplication.exit(context, () -> 0));
    }

    /**
     * Issue #6: the indicators of a random district or street for a random week, the city-wide heatmap of
     * a random week, and a district's street ranking — each over HTTP beside the same SQL (or service call) in-process.
     */
    private List<String> leaderDashboard(HttpClient http, String base, String token, CallerScope everything, double[] extent, Random random)
            throws Exception {
        List<String> rows = new ArrayList<>();
        List<String> districts = jdbc.sql("SELECT code FROM district ORDER BY code").query(String.class).list();
        List<String> streets = jdbc.sql("SELECT code FROM street ORDER BY code").query(String.class).list();
        java.time.LocalDate lastWeek = jdbc.sql("SELECT max(problem_week(reported_at)) FROM problem").query(java.time.LocalDate.class).single()
                .minusWeeks(1);
        Stats indicatorsHttp = new Stats();
        Stats indicatorsSql = new Stats();
        Stats heatmapHttp = new Stats();
        Stats heatmapSql = new Stats();
        Stats rankingHttp = new Stats();
        Stats rankingCall = new Stats();
        String cityBox = String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f", extent[0], extent[1], extent[2], extent[3]);
        org.civicgrid.web.BoundingBox city = new org.civicgrid.web.BoundingBox(extent[0], extent[1], extent[2], extent[3]);
        int cityZoom = 10;
        for (int i = 0; i < samples; i++) {
            java.time.LocalDate monday = lastWeek.minusWeeks(random.nextInt(12));
            org.civicgrid.indicators.Period week = new org.civicgrid.indicators.Period(monday, monday.plusDays(6));
            String area = random.nextBoolean() ? districts.get(random.nextInt(districts.size())) : streets.get(random.nextInt(streets.size()));
            String url = base + "/api/indicators?area=" + area + "&from=" + week.from() + "&to=" + week.to();
            Timed viaHttp = () -> check(http.send(get(url, token), HttpResponse.BodyHandlers.ofByteArray()), url);
            Timed viaSql = () -> jdbc.sql(org.civicgrid.indicators.IndicatorQueries.indicatorsSql())
                    .params(org.civicgrid.indicators.IndicatorQueries.indicatorsParameters(everything, area, week,
                            org.civicgrid.indicators.IndicatorFilters.NONE, java.time.Instant.now())).query().singleRow();
            // Whichever runs first reads the area's pages first: take turns, so neither side always gets the other's cache.
            if (i % 2 == 0) {
                indicatorsHttp.add(timed(viaHttp));
                indicatorsSql.add(timed(viaSql));
            } else {
                indicatorsSql.add(timed(viaSql));
                indicatorsHttp.add(timed(viaHttp));
            }

            String heatUrl = base + "/api/heatmap?bbox=" + cityBox + "&zoom=" + cityZoom + "&from=" + week.from() + "&to=" + week.to();
            heatmapHttp.add(timed(() -> check(http.send(get(heatUrl, token), HttpResponse.BodyHandlers.ofByteArray()), heatUrl)));
            heatmapSql.add(timed(() -> jdbc.sql(org.civicgrid.indicators.IndicatorQueries.heatmapPrecomputedSql())
                    .params(org.civicgrid.indicators.IndicatorQueries.heatmapParameters(everything, city, cityZoom, week,
                            org.civicgrid.indicators.IndicatorFilters.NONE, "all")).query(String.class).single()));

            String district = districts.get(random.nextInt(districts.size()));
            String rankUrl = base + "/api/rankings?level=street&week=" + monday + "&within=" + district;
            rankingHttp.add(timed(() -> check(http.send(get(rankUrl, token), HttpResponse.BodyHandlers.ofByteArray()), rankUrl)));
            rankingCall.add(timed(() -> rankings.ranking(everything, "street", monday, district)));
        }
        rows.add(row("indicators area×week HTTP", indicatorsHttp, null, null));
        rows.add(row("indicators area×week SQL", indicatorsSql, null, null));
        rows.add(row("heatmap city z" + cityZoom + " week HTTP", heatmapHttp, null, null));
        rows.add(row("heatmap city z" + cityZoom + " week SQL", heatmapSql, null, null));
        rows.add(row("ranking streets×week HTTP", rankingHttp, null, null));
        rows.add(row("ranking streets×week in-process", rankingCall, null, null));
        return rows;
    }

    /** Whether a section of the table is measured: all of them unless {@code --civicgrid.bench.only=leader,tiles,…} names some. */
    private boolean runs(String section) {
        String only = context.getEnvironment().getProperty("civicgrid.bench.only", "");
        return only.isBlank() || java.util.Arrays.asList(only.split(",")).contains(section);
    }

    /**
     * Issue #9's working rows: a leader's city-wide worklists (待立案, 红灯与催办) and one move of the loop (立案), over HTTP
     * beside the same statements run directly. Each run accepts the next REPORTED problems of the city.
     */
    private List<String> work(HttpClient http, String base, String token, CallerScope everything) throws Exception {
        Stats worklistHttp = new Stats();
        Stats worklistSql = new Stats();
        for (int i = 0; i < samples; i++) {
            String name = i % 2 == 0 ? "to-accept" : "red-and-urged";
            String url = base + "/api/worklists/" + name + "?limit=200";
            Timed viaHttp = () -> check(http.send(get(url, token), HttpResponse.BodyHandlers.ofByteArray()), url);
            Timed viaSql = () -> loops.worklistDirectly(name, everything, 200);
            worklistHttp.add(timed(viaHttp));
            worklistSql.add(timed(viaSql));
        }
        long benchUser = jdbc.sql("SELECT id FROM app_user WHERE username = 'bench'").query(Long.class).single();
        List<Long> reported = loops.reported(2 * samples);
        Stats moveHttp = new Stats();
        Stats moveSql = new Stats();
        for (int i = 0; i + 1 < reported.size(); i += 2) {
            long viaHttp = reported.get(i);
            String url = base + "/api/problems/" + viaHttp + "/actions/accept";
            HttpRequest accept = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"version\":" + loops.version(viaHttp) + "}")).build();
            moveHttp.add(timed(() -> check(http.send(accept, HttpResponse.BodyHandlers.ofByteArray()), url)));
            long direct = reported.get(i + 1);
            moveSql.add(timed(() -> {
                if (!loops.acceptDirectly(direct, benchUser, everything)) {
                    throw new IllegalStateException("problem " + direct + " was not REPORTED");
                }
                return null;
            }));
        }
        return List.of(row("worklist city×200 HTTP", worklistHttp, null, null), row("worklist city×200 SQL", worklistSql, null, null),
                row("move 立案 HTTP", moveHttp, null, null), row("move 立案 same statements", moveSql, null, null));
    }

    private interface Timed {
        Object run() throws Exception;
    }

    private static long timed(Timed call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return System.nanoTime() - start;
    }

    /**
     * A serving database has its working set in memory (and the embedded cluster keeps its buffers across restarts
     * with autoprewarm); a cluster just started for the benchmark does not, and its first minutes would measure the
     * disk. So every relation is read into the operating system's cache and the indexes and smaller tables into
     * PostgreSQL's buffers before anything is timed; the time it takes is printed.
     */
    private void warmDatabase() {
        long start = System.nanoTime();
        jdbc.sql("CREATE EXTENSION IF NOT EXISTS pg_prewarm").update();
        long blocks = jdbc.sql(WARM_DATABASE).query(Long.class).single();
        log.info("Warmed {} blocks of the database in {} s", blocks, (System.nanoTime() - start) / 1_000_000_000);
    }

    /** Everything into the OS cache; then indexes and tables up to 1 GB into shared buffers, smallest first. */
    private static final String WARM_DATABASE = """
            SELECT coalesce(sum(pg_prewarm(c.oid, 'read')), 0)
                   + coalesce(sum(pg_prewarm(c.oid, 'buffer')) FILTER (WHERE pg_relation_size(c.oid) < 1024 * 1024 * 1024), 0)
            FROM (SELECT c.oid FROM pg_class c
                  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i', 'm') AND c.relpersistence = 'p'
                  ORDER BY pg_relation_size(c.oid)) c""";

    private void ensureCity() throws IOException, java.sql.SQLException {
        if (jdbc.sql("SELECT count(*) FROM district").query(Long.class).single() > 0) {
            log.info("Benchmark city already loaded");
            return;
        }
        Path dir = Path.of("var", "bench-city-" + scale + (points == null ? "" : "-" + points) + (problems == null ? "" : "-" + problems));
        if (!Files.exists(dir.resolve("manifest.json"))) {
            List<String> options = new ArrayList<>(List.of("--out", dir.toString(), "--scale", String.valueOf(scale)));
            if (points != null) {
                options.addAll(List.of("--points", String.valueOf(points)));
            }
            if (problems != null) {
                options.addAll(List.of("--problems", String.valueOf(problems)));
            }
            log.info("Generating the benchmark city into {} ({})", dir, options);
            new DemoCityGenerator(GeneratorOptions.parse(options.toArray(String[]::new))).run();
        }
        new BenchCityLoader(dataSource, json, deadlines).load(dir);
    }

    private String benchToken() {
        return transactions.execute(status -> {
            jdbc.sql("INSERT INTO app_user (username, display_name) VALUES ('bench', '基准测试') ON CONFLICT (username) DO NOTHING").update();
            long id = jdbc.sql("SELECT id FROM app_user WHERE username = 'bench'").query(Long.class).single();
            jdbc.sql("INSERT INTO user_role (user_id, role) VALUES (?, 'LEADER') ON CONFLICT DO NOTHING").param(id).update();
            jdbc.sql("INSERT INTO user_area_scope (user_id, area_level, area_code) SELECT ?, 'DISTRICT', code FROM district ON CONFLICT DO NOTHING")
                    .param(id).update();
            return tokens.issue(id, "benchmark", java.time.Instant.now().plus(Duration.ofDays(1))).token();
        });
    }

    private static List<String> viewportUrls(String base, double[] box, int zoom) {
        String bbox = String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f", box[0], box[1], box[2], box[3]);
        String level = zoom < 13 ? "district" : zoom < 14 ? "street" : zoom < 15 ? "community" : "grid";
        List<String> urls = new ArrayList<>(List.of(
                base + "/api/layers/area-stats?level=" + level + "&metric=open&bbox=" + bbox,
                base + "/api/layers/points?zoom=" + zoom + "&bbox=" + bbox,
                base + "/api/layers/problems?zoom=" + zoom + "&bbox=" + bbox));
        if (zoom >= 15) {
            urls.add(base + "/api/layers/grids?zoom=" + zoom + "&bbox=" + bbox);
        }
        return urls;
    }

    /** A 1280×800 view centred on a random place where there is data (districts cover a quarter of the city's box). */
    private static double[] viewport(List<double[]> places, int zoom, Random random) {
        double degreesPerPixel = 360.0 / (256 * Math.pow(2, zoom));
        double width = VIEWPORT_WIDTH_PX * degreesPerPixel;
        double height = VIEWPORT_HEIGHT_PX * degreesPerPixel * 0.86;
        double[] at = places.get(random.nextInt(places.size()));
        return new double[] {at[0] - width / 2, at[1] - height / 2, at[0] + width / 2, at[1] + height / 2};
    }

    /** The tile holding a random place where there is data: empty tiles would measure nothing but HTTP. */
    private static int[] randomTile(List<double[]> places, int zoom, Random random) {
        double[] at = places.get(random.nextInt(places.size()));
        double n = Math.pow(2, zoom);
        double latRad = Math.toRadians(at[1]);
        return new int[] {(int) Math.floor((at[0] + 180) / 360 * n),
                (int) Math.floor((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2 * n)};
    }

    private interface TileCall {
        void call(int[] tile) throws Exception;
    }

    /**
     * The endpoint's and the SQL's calls per second over the same tiles, at saturation: {@link #tileClients} threads
     * on each side (so each is measured at what the two cores can do, not at what one caller's round trips allow).
     * The sides take turns in halves of the window, endpoint-SQL-SQL-endpoint, so a slow stretch of the machine
     * (a checkpoint, autovacuum, a collection) falls on both alike. Each side walks the list with a cursor its threads
     * share, every call asking for the next tile: warm rows go round the list again and again; cold rows ({@code once})
     * stop at its end, so no tile is asked for twice and the endpoint answers none from memory.
     */
    private double[] sideBySide(List<int[]> tiles, TileCall endpoint, TileCall sql, boolean once) throws InterruptedException {
        AtomicInteger endpointCursor = new AtomicInteger();
        AtomicInteger sqlCursor = new AtomicInteger();
        Duration half = throughputWindow.dividedBy(2);
        long[] e1 = calls(tiles, endpoint, endpointCursor, half, once);
        long[] s1 = calls(tiles, sql, sqlCursor, half, once);
        long[] s2 = calls(tiles, sql, sqlCursor, half, once);
        long[] e2 = calls(tiles, endpoint, endpointCursor, half, once);
        return new double[] {(e1[0] + e2[0]) * 1e9 / Math.max(1, e1[1] + e2[1]), (s1[0] + s2[0]) * 1e9 / Math.max(1, s1[1] + s2[1])};
    }

    /** Calls made and nanoseconds taken: until the window ends or, with {@code once}, the list does. */
    private long[] calls(List<int[]> tiles, TileCall call, AtomicInteger cursor, Duration window, boolean once) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long end = start + window.toNanos();
        ExecutorService workers = Executors.newFixedThreadPool(tileClients);
        for (int w = 0; w < tileClients; w++) {
            workers.submit(() -> {
                while (System.nanoTime() < end) {
                    int next = cursor.getAndIncrement();
                    if (once && next >= tiles.size()) {
                        return;
                    }
                    try {
                        call.call(tiles.get(next % tiles.size()));
                        done.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        }
        workers.shutdown();
        workers.awaitTermination(window.toSeconds() + 60, java.util.concurrent.TimeUnit.SECONDS);
        return new long[] {done.get(), System.nanoTime() - start};
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build();
    }

    private static HttpResponse<byte[]> check(HttpResponse<byte[]> response, String url) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + new String(response.body()));
        }
        return response;
    }

    private static String row(String name, Stats stats, Double rate, Double sqlRate) {
        return String.format(Locale.ROOT, "%-34s %8.1f %8.1f %10s %10s %8s", name, stats.percentile(50), stats.percentile(95),
                rate == null ? "" : String.format(Locale.ROOT, "%.1f", rate), sqlRate == null ? "" : String.format(Locale.ROOT, "%.1f", sqlRate),
                rate == null ? "" : String.format(Locale.ROOT, "%.2f", rate / sqlRate));
    }

    private static long residentSetKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException ignored) {
            // not on Linux: no RSS figure
        }
        return 0;
    }
}
