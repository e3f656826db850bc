package org.civicgrid.loadtest;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./civicgrid loadtest [--users 200] [--minutes 5]}: the real mix of users against the nginx cluster
 * ({@code ./civicgrid cluster}), loopback only and bounded in time, with faults injected during the load — the
 * primary restarted (pg_ctl restart -m fast), an app instance killed (kill -9) with users on it, another killed during a
 * bulk import and a grid publish — then every acknowledged write looked up in the database, and a summary.
 * Exit code 0 when every check held.
 */
public final class LoadTest {

    private final Settings settings;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final List<String> checks = new ArrayList<>();
    private final List<Double> loadSamples = new ArrayList<>();
    private boolean failed;

    record Settings(int users, double minutes, int warmUpSeconds, int thinkMin, int thinkMax, boolean faults, int importRows, String clusterScript,
                    long seed) {

        static Settings parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("Unexpected argument " + arg);
                }
                if (List.of("--no-faults", "--keep-cluster").contains(arg)) {
                    a.put(arg.substring(2), "true");
                } else if (i + 1 < args.length) {
                    a.put(arg.substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
            }
            for (String key : a.keySet()) {
                if (!List.of("users", "minutes", "warm-up-s", "think-min-ms", "think-max-ms", "no-faults", "keep-cluster", "import-rows", "cluster-script",
                        "seed").contains(key)) {
                    throw new IllegalArgumentException("Unknown option --" + key
                            + " (options: --users N --minutes M --warm-up-s S --think-min-ms --think-max-ms --import-rows N --no-faults --keep-cluster --seed)");
                }
            }
            return new Settings(Integer.parseInt(a.getOrDefault("users", "200")), Double.parseDouble(a.getOrDefault("minutes", "5")),
                    Integer.parseInt(a.getOrDefault("warm-up-s", "60")), Integer.parseInt(a.getOrDefault("think-min-ms", "2000")), Integer.parseInt(a.getOrDefault("think-max-ms", "8000")),
                    !a.containsKey("no-faults"), Integer.parseInt(a.getOrDefault("import-rows", "25000")),
                    a.getOrDefault("cluster-script", "ops/cluster.sh"), Long.parseLong(a.getOrDefault("seed", "20261129")));
        }
    }

    /** Where the cluster is (from {@code ops/cluster.sh env}). */
    record ClusterEnv(String http, String app1, String app2, String dbUrl, String dbUser, String dbPassword) {
    }

    private LoadTest(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new LoadTest(settings).run() ? 0 : 1);
    }

    static void log(String message) {
        System.err.printf("[loadtest %s] %s%n", java.time.LocalTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")), message);
    }

    /**
     * The same users for a while before the measured load, their latencies kept apart (their writes are checked with the
     * others): instances that have just started spend as much CPU compiling code as serving in their first minutes, and
     * the 9:00 rush meets instances that have been running.
     */
    private void warmUp(List<SimulatedUsers.User> users) throws InterruptedException {
        if (settings.warmUpSeconds() <= 0) {
            return;
        }
        log("Warming up for " + settings.warmUpSeconds() + " s (not timed)");
        long deadline = System.currentTimeMillis() + settings.warmUpSeconds() * 1000L;
        ExecutorService pool = Executors.newFixedThreadPool(users.size(), daemon("warm-up"));
        for (int i = 0; i < users.size(); i++) {
            SimulatedUsers.User u = users.get(i);
            Random random = new Random(settings.seed() - 1 - i);
            pool.submit(() -> SimulatedUsers.run(u, random, deadline, settings.thinkMin(), settings.thinkMax(), () -> false));
        }
        pool.shutdown();
        pool.awaitTermination(settings.warmUpSeconds() + 180L, TimeUnit.SECONDS);
    }

    private void check(boolean ok, String what) {
        checks.add((ok ? "PASS  " : "FAIL  ") + what);
        failed |= !ok;
    }

    String cluster(String... command) {
        List<String> line = new ArrayList<>();
        line.add(settings.clusterScript());
        line.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ClusterEnv clusterEnv() {
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(cluster("env")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new ClusterEnv(p.getProperty("http"), p.getProperty("app1"), p.getProperty("app2"), p.getProperty("db.url"),
                p.getProperty("db.user"), p.getProperty("db.password"));
    }

    private boolean run() throws Exception {
        ClusterEnv env = clusterEnv();
        for (String url : List.of(env.http(), env.app1(), env.app2())) {
            if (!url.startsWith("http://127.0.0.1:")) {
                throw new IllegalStateException("The load test talks to loopback addresses only, not " + url);
            }
        }
        Database db = new Database(env.dbUrl(), env.dbUser(), env.dbPassword());
        City city = City.load(db.get());
        long startMillis = System.currentTimeMillis();
        Metrics metrics = new Metrics(startMillis);
        Metrics warmUpMetrics = new Metrics(startMillis);
        Metrics setupMetrics = new Metrics(startMillis);
        ExecutorService httpThreads = Executors.newFixedThreadPool(4, daemon("http-client"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).executor(httpThreads).build();
        SimulatedUsers.Acks acks = new SimulatedUsers.Acks();
        SimulatedUsers mix = new SimulatedUsers(env.http(), city, acks);

        int leaders = Math.max(1, settings.users() / 4);
        int inspectors = Math.max(1, settings.users() / 5);
        int managers = Math.max(1, settings.users() - leaders - inspectors);
        log(String.format("%d users (%d leaders, %d grid managers, %d inspectors) for %.1f min against %s; think time %d–%d ms; faults %s",
                settings.users(), leaders, managers, inspectors, settings.minutes(), env.http(), settings.thinkMin(), settings.thinkMax(),
                settings.faults() ? "on" : "off"));

        // Sign in everyone (the real form login, spread over ~20 s so that bcrypt does not stall the instances).
        List<SimulatedUsers.User> users = new ArrayList<>();
        Random setupRandom = new Random(settings.seed());
        for (int i = 0; i < settings.users(); i++) {
            if (i < leaders) {
                boolean street = i % 5 == 4;
                users.add(mix.new Leader(new WebSession(client, warmUpMetrics, json, street ? "street_leader" : "leader"), street ? "320508001" : City.DISTRICT));
            } else if (i < leaders + managers) {
                City.Manager m = city.managers.get((i - leaders) % city.managers.size());
                users.add(mix.new GridManager(new WebSession(client, warmUpMetrics, json, m.username()), m.inGrid()));
            } else {
                users.add(mix.new Inspector(new WebSession(client, warmUpMetrics, json, "inspector"), i - leaders - managers, inspectors));
            }
        }
        ExecutorService signIns = Executors.newFixedThreadPool(16, daemon("sign-in"));
        List<java.util.concurrent.Future<Boolean>> signedIn = new ArrayList<>();
        long spread = Math.min(20_000, settings.users() * 100L);
        for (int i = 0; i < users.size(); i++) {
            SimulatedUsers.User u = users.get(i);
            long at = startMillis + spread * i / users.size();
            signedIn.add(signIns.submit(() -> {
                sleepUntil(at);
                return u.session().signIn(env.http(), City.PASSWORD);
            }));
        }
        int ok = 0;
        for (var f : signedIn) {
            ok += f.get() ? 1 : 0;
        }
        signIns.shutdown();
        check(ok == users.size(), "all " + users.size() + " simulated users signed in (" + ok + " did)");
        if (ok < users.size()) {
            log("Not every user could sign in; stopping");
            printSummary(warmUpMetrics, null, null, acks, null, env);
            return false;
        }

        warmUp(users);
        for (SimulatedUsers.User u : users) {
            u.session().recordInto(metrics);
        }

        Faults faults = new Faults(this, env, db, client, json, city, setupMetrics, settings);
        if (settings.faults()) {
            faults.prepare();
        }

        long loadStart = System.currentTimeMillis();
        long deadline = loadStart + (long) (settings.minutes() * 60_000);
        metrics.origin(loadStart);
        Thread loadAverage = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    double one = Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
                    synchronized (loadSamples) {
                        loadSamples.add(one);
                    }
                    Thread.sleep(5_000);
                } catch (IOException | RuntimeException e) {
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "load-average");
        loadAverage.setDaemon(true);
        loadAverage.start();
        AtomicBoolean stop = new AtomicBoolean();
        faults.startProbe(loadStart);
        ExecutorService pool = Executors.newFixedThreadPool(users.size(), daemon("user"));
        for (int i = 0; i < users.size(); i++) {
            SimulatedUsers.User u = users.get(i);
            Random random = new Random(settings.seed() + i);
            pool.submit(() -> SimulatedUsers.run(u, random, deadline, settings.thinkMin(), settings.thinkMax(), stop::get));
        }
        Thread orchestrator = new Thread(() -> faults.orchestrate(loadStart, deadline, users), "faults");
        if (settings.faults()) {
            orchestrator.start();
        }
        log("Load running until " + Instant.ofEpochMilli(deadline));
        pool.shutdown();
        pool.awaitTermination((long) (settings.minutes() * 60) + 180, TimeUnit.SECONDS);
        stop.set(true);
        long loadEnd = System.currentTimeMillis();
        loadAverage.interrupt();
        log("Load finished; " + metrics.total() + " requests");
        if (settings.faults()) {
            orchestrator.join(TimeUnit.MINUTES.toMillis(20));
        }
        faults.stopProbe();

        Verification verification = verify(db, acks, client, env);
        check(warmUpMetrics.count(Metrics.Kind.SERVER_ERROR) == 0 && warmUpMetrics.count(Metrics.Kind.STACK_TRACE) == 0
                        && warmUpMetrics.count(Metrics.Kind.SIGNED_OUT) == 0 && warmUpMetrics.count(Metrics.Kind.BAD_503) == 0,
                "sign-in and warm-up (" + warmUpMetrics.total() + " requests, not timed): no 500, stack trace, sign-out or bare 503");
        printSummary(metrics, faults, verification, acks, new long[] {loadStart, loadEnd}, env);
        httpThreads.shutdownNow();
        db.close();
        return !failed;
    }

    /** The acknowledged writes, looked up in the primary (and photos fetched through nginx by their uploaders). */
    record Verification(long problemsAcked, long problemsFound, long eventsAcked, long eventsFound, long photosAcked, long photosFound,
                        long photoFilesChecked, long photoFilesOk) {
    }

    private Verification verify(Database database, SimulatedUsers.Acks acks, HttpClient client, ClusterEnv env) throws SQLException {
        Connection db = database.get();
        List<Long> problems = new ArrayList<>(acks.problems);
        List<Long> events = new ArrayList<>(acks.events);
        List<java.util.UUID> photos = new ArrayList<>();
        acks.photos.values().forEach(photos::addAll);
        long problemsFound = countIn(db, "SELECT count(*) FROM problem WHERE id = ANY (?)", "bigint", problems.toArray());
        long eventsFound = countIn(db, "SELECT count(*) FROM problem_event WHERE id = ANY (?)", "bigint", events.toArray());
        long photosFound = countIn(db, "SELECT count(*) FROM photo WHERE id = ANY (?)", "uuid", photos.toArray());
        long checked = 0;
        long filesOk = 0;
        Metrics fileMetrics = new Metrics(System.currentTimeMillis());
        for (Map.Entry<WebSession, List<java.util.UUID>> e : acks.photos.entrySet()) {
            List<java.util.UUID> own;
            synchronized (e.getValue()) {
                own = new ArrayList<>(e.getValue());
            }
            for (java.util.UUID id : own) {
                if (checked >= 3000) {
                    break;
                }
                checked++;
                WebSession.Response r = e.getKey().get(env.http(), "photo file", "/api/photos/" + id);
                filesOk += r.status() == 200 && r.body().length > 1000 ? 1 : 0;
            }
        }
        check(problemsFound == problems.size(), "every acknowledged problem report is in the database (" + problemsFound + "/" + problems.size() + ")");
        check(eventsFound == events.size(), "every acknowledged move is in the problem's timeline (" + eventsFound + "/" + events.size() + ")");
        check(photosFound == photos.size(), "every acknowledged photo is in the database (" + photosFound + "/" + photos.size() + ")");
        check(filesOk == checked, "every acknowledged photo's file is served (" + filesOk + "/" + checked + " fetched)");
        return new Verification(problems.size(), problemsFound, events.size(), eventsFound, photos.size(), photosFound, checked, filesOk);
    }

    private static long countIn(Connection db, String sql, String type, Object[] values) throws SQLException {
        if (values.length == 0) {
            return 0;
        }
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setArray(1, db.createArrayOf(type, values));
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** p95 targets from the issues (#4 map, #6 dashboard), for the operations that have one. */
    private static final Map<String, Double> TARGETS = Map.of("tile", 50.0, "viewport area-stats", 300.0, "viewport problems", 300.0,
            "viewport points", 300.0, "indicators", 200.0, "heatmap", 300.0);

    private void printSummary(Metrics m, Faults faults, Verification v, SimulatedUsers.Acks acks, long[] window, ClusterEnv env) {
        StringBuilder out = new StringBuilder();
        double seconds = window == null ? 0 : (window[1] - window[0]) / 1000.0;
        out.append("\n==== CivicGrid load and fault run ====\n");
        out.append(String.format(Locale.ROOT, "users %d, %.1f min, think %d–%d ms, against %s (nginx → 2 instances → primary + replica)%n",
                settings.users(), settings.minutes(), settings.thinkMin(), settings.thinkMax(), env.http()));
        out.append(String.format(Locale.ROOT, "after sign-in and %d s of the same load not timed (instances warmed up)%n", settings.warmUpSeconds()));
        out.append(String.format(Locale.ROOT, "requests %d (%.1f req/s)%n", m.total(), seconds > 0 ? m.total() / seconds : 0));
        synchronized (loadSamples) {
            if (!loadSamples.isEmpty()) {
                out.append(String.format(Locale.ROOT, "machine: %d cores, 1-min load average during the load %.1f on average, %.1f at most "
                                + "(everything above runs on this machine: nginx, both instances, both databases, this client)%n",
                        Runtime.getRuntime().availableProcessors(), loadSamples.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                        loadSamples.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
            }
        }
        out.append("\noutcomes:\n");
        for (Metrics.Kind kind : Metrics.Kind.values()) {
            long n = m.count(kind);
            if (n > 0 || kind == Metrics.Kind.SERVER_ERROR || kind == Metrics.Kind.SIGNED_OUT || kind == Metrics.Kind.STACK_TRACE) {
                long[] w = m.window(kind);
                out.append(String.format(Locale.ROOT, "  %-58s %7d%s%n", kind.label, n,
                        w == null ? "" : String.format(Locale.ROOT, "   (at %d–%d s)", w[0] / 1000, w[1] / 1000)));
            }
        }
        boolean anyRetried = false;
        for (Metrics.Kind kind : Metrics.Kind.values()) {
            long n = m.retried(kind);
            if (n > 0) {
                if (!anyRetried) {
                    out.append("attempts sent again by the client (GET, Idempotency-Key or photo; the outcome above is the last attempt's):\n");
                    anyRetried = true;
                }
                out.append(String.format(Locale.ROOT, "  %-58s %7d%n", kind.label, n));
            }
        }
        out.append("\noperation                    requests    p50 ms    p95 ms    p99 ms   target p95   errors\n");
        for (Map.Entry<String, Metrics.Op> e : m.ops().entrySet()) {
            long[] sorted = e.getValue().sorted();
            long errors = e.getValue().outcomes.entrySet().stream()
                    .filter(k -> k.getKey() != Metrics.Kind.OK && k.getKey() != Metrics.Kind.CONFLICT).mapToLong(k -> k.getValue().get()).sum();
            Double target = TARGETS.get(e.getKey());
            double p95 = Metrics.percentile(sorted, 95);
            out.append(String.format(Locale.ROOT, "%-26s %10d %9.1f %9.1f %9.1f   %10s %8d%n", e.getKey(), e.getValue().requests.get(),
                    Metrics.percentile(sorted, 50), p95, Metrics.percentile(sorted, 99),
                    target == null ? "—" : String.format(Locale.ROOT, "%.0f %s", target, p95 <= target ? "met" : "MISSED"), errors));
        }
        if (v != null) {
            out.append(String.format(Locale.ROOT, "%nwrites acknowledged vs found in the database:%n"
                            + "  problem reports  %6d acknowledged, %6d found%n  loop moves       %6d acknowledged, %6d found (problem_event)%n"
                            + "  photos           %6d acknowledged, %6d found, %d files fetched back, %d ok%n",
                    v.problemsAcked(), v.problemsFound(), v.eventsAcked(), v.eventsFound(), v.photosAcked(), v.photosFound(),
                    v.photoFilesChecked(), v.photoFilesOk()));
        }
        if (faults != null) {
            out.append(faults.report());
        }
        List<Metrics.Sample> samples = m.samples();
        if (!samples.isEmpty()) {
            out.append("\nfirst failures of each kind:\n");
            Map<Metrics.Kind, Integer> shown = new LinkedHashMap<>();
            for (Metrics.Sample s : samples) {
                if (shown.merge(s.kind(), 1, Integer::sum) <= 2) {
                    out.append(String.format(Locale.ROOT, "  %5.1f s  %-22s %3d  %s%n", s.atMillis() / 1000.0, s.op(), s.status(),
                            s.detail() == null ? "" : s.detail()));
                }
            }
        }
        check(m.count(Metrics.Kind.SERVER_ERROR) == 0 && m.count(Metrics.Kind.STACK_TRACE) == 0, "no 500s and no stack traces in any answer");
        check(m.count(Metrics.Kind.SIGNED_OUT) == 0, "no user was signed out (sessions survived every fault)");
        check(m.count(Metrics.Kind.BAD_503) == 0, "every 503 was the database-unavailable problem with Retry-After");
        out.append("\nchecks:\n");
        checks.forEach(c -> out.append("  ").append(c).append('\n'));
        out.append(failed ? "\nRESULT: FAILED\n" : "\nRESULT: PASSED\n");
        System.out.print(out);
        System.out.flush();
    }

    static void sleepUntil(long millis) {
        long wait = millis - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    void recordCheck(boolean ok, String what) {
        check(ok, what);
    }
}
