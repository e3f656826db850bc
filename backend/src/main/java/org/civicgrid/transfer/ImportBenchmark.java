package org.civicgrid.transfer;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.civicgrid.security.ApiTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The benchmark's import row (issue 8: a million points from GeoJSON at least as fast as ogr2ogr into the same
 * PostGIS, side by side in one run). It writes a GeoJSON file of points spread over the current grids, loads it
 * with {@code ogr2ogr -f PostgreSQL} into a new table with a GiST index (GDAL uses COPY for a new table), then
 * imports the same file the way a planner does — over HTTP: POST /api/imports (the file gzip-compressed, as the
 * 50 MB upload limit needs), POST /api/imports/{id}/commit, polling GET /api/imports/{id} until COMMITTED — and
 * prints both throughputs and their ratio. Afterwards the imported points and the ogr2ogr table are removed, so
 * the benchmark city stays as it was.
 *
 * <p>Both sides vary by ±15 % from run to run on a small machine, so the row repeats the pair
 * ({@code civicgrid.bench.import-rounds}, default 3; each round starts from the same table) and reports the median
 * round, every round's ratio on the line below it.
 */
@Component
public class ImportBenchmark {

    private static final Logger log = LoggerFactory.getLogger(ImportBenchmark.class);
    private static final String OGR_TABLE = "ogr_bench_points";
    private static final String ROW_FORMAT = "%-34s %8s %8s %10s %10s %8s";

    /** One side-by-side run. ogr2ogr is null when it is not installed. */
    public record Comparison(int points, long fileBytes, long uploadBytes, Duration preview, Duration commit, long created, Duration ogr2ogr) {

        public Duration ours() {
            return preview.plus(commit);
        }

        public double ourRate() {
            return points / seconds(ours());
        }

        public Double ogrRate() {
            return ogr2ogr == null ? null : points / seconds(ogr2ogr);
        }

        /** Our throughput over ogr2ogr's (≥ 1: at least as fast). */
        public Double ratio() {
            return ogr2ogr == null ? null : ourRate() / ogrRate();
        }

        private static double seconds(Duration d) {
            return Math.max(1, d.toMillis()) / 1000.0;
        }
    }

    private final ImportService imports;
    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final ApiTokens tokens;
    private final ApplicationContext context;
    private final ObjectMapper json;
    private final TransactionTemplate transaction;
    private final int defaultPoints;
    private final int rounds;

    ImportBenchmark(ImportService imports, JdbcClient jdbc, DataSource dataSource, ApiTokens tokens, ApplicationContext context, ObjectMapper json,
                    PlatformTransactionManager transactions, @Value("${civicgrid.bench.import-points:1000000}") int defaultPoints,
                    @Value("${civicgrid.bench.import-rounds:3}") int rounds) {
        this.imports = imports;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.tokens = tokens;
        this.context = context;
        this.json = json;
        this.transaction = new TransactionTemplate(transactions);
        this.defaultPoints = defaultPoints;
        this.rounds = Math.max(1, rounds);
    }

    /** The benchmark table's rows for civicgrid.bench.import-points points (default a million). */
    public List<String> rows() {
        try {
            return rows(compare(defaultPoints, rounds));
        } catch (Exception e) {
            log.warn("The import benchmark failed", e);
            return List.of(String.format(Locale.ROOT, ROW_FORMAT, "import GeoJSON " + defaultPoints + " points", "", "", "failed", "", ""),
                    "  import: " + e.getMessage());
        }
    }

    static List<String> rows(Comparison c) {
        return rows(List.of(c));
    }

    /** The median round in the table (the lower middle one for an even count), each round's ratio below it. */
    static List<String> rows(List<Comparison> rounds) {
        List<Comparison> byRatio = new ArrayList<>(rounds);
        byRatio.sort(java.util.Comparator.comparingDouble(r -> r.ratio() == null ? r.ourRate() : r.ratio()));
        Comparison c = byRatio.get((byRatio.size() - 1) / 2);
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, ROW_FORMAT, "import GeoJSON " + c.points() + " points", "", "", String.format(Locale.ROOT, "%.0f",
                c.ourRate()), c.ogr2ogr() == null ? "" : String.format(Locale.ROOT, "%.0f", c.ogrRate()),
                c.ogr2ogr() == null ? "" : String.format(Locale.ROOT, "%.2f", c.ratio())));
        rows.add(String.format(Locale.ROOT, "  import rows/s: CivicGrid %.1f s (upload + preview %.1f s, commit %.1f s; %d MB file sent gzipped as %d MB)"
                        + " vs %s", c.ours().toMillis() / 1000.0, c.preview().toMillis() / 1000.0, c.commit().toMillis() / 1000.0,
                c.fileBytes() >> 20, c.uploadBytes() >> 20,
                c.ogr2ogr() == null ? "ogr2ogr not installed" : String.format(Locale.ROOT, "ogr2ogr %.1f s (new table + GiST index, COPY)",
                        c.ogr2ogr().toMillis() / 1000.0)));
        if (rounds.size() > 1) {
            rows.add("  import rounds (ours s / ogr2ogr s = ratio, in run order): " + rounds.stream().map(r -> r.ogr2ogr() == null
                    ? String.format(Locale.ROOT, "%.1f s", r.ours().toMillis() / 1000.0)
                    : String.format(Locale.ROOT, "%.1f/%.1f = %.2f", r.ours().toMillis() / 1000.0, r.ogr2ogr().toMillis() / 1000.0, r.ratio()))
                    .collect(java.util.stream.Collectors.joining(", ")) + "; the table shows the median round");
        }
        return rows;
    }

    /** Writes the file, runs ogr2ogr and our import side by side, cleans up; throws when either fails. */
    public Comparison compare(int points) throws Exception {
        return compare(points, 1).get(0);
    }

    /** {@code rounds} side-by-side pairs on one file, in run order; each round's points are removed before the next. */
    public List<Comparison> compare(int points, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("civicgrid-import-bench");
        String prefix = "bench-import-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = dir.resolve("points.geojson");
        Path gz = dir.resolve("points.geojson.gz");
        try {
            log.info("Import benchmark: writing {} points", points);
            writePointFile(file, points, prefix);
            gzip(file, gz);
            List<Comparison> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                Comparison result;
                try {
                    result = compareOnce(file, gz, points, round);
                } catch (Exception e) {
                    try {
                        cleanUp(prefix);
                    } catch (RuntimeException cleanUpFailure) {
                        e.addSuppressed(cleanUpFailure);
                    }
                    throw e;
                }
                cleanUp(prefix); // the next round starts from the same table
                results.add(result);
            }
            return results;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(gz);
            Files.deleteIfExists(dir);
        }
    }

    private Comparison compareOnce(Path file, Path gz, int points, int round) throws Exception {
        Duration ogr = null;
        String ogr2ogr = onPath("ogr2ogr");
        if (ogr2ogr != null) {
            checkpoint();
            log.info("Import benchmark, round {}: ogr2ogr", round);
            ogr = ogr2ogr(ogr2ogr, file);
            long loaded = jdbc.sql("SELECT count(*) FROM " + OGR_TABLE).query(Long.class).single();
            if (loaded != points) {
                throw new IllegalStateException("ogr2ogr loaded " + loaded + " of " + points + " points");
            }
        }
        checkpoint();
        log.info("Import benchmark, round {}: POST /api/imports", round);
        Comparison ours = importOverHttp(gz, points, Files.size(file));
        return new Comparison(points, Files.size(file), Files.size(gz), ours.preview(), ours.commit(), ours.created(), ogr);
    }

    /**
     * Writes a GeoJSON file of {@code count} points spread over the current grids (random places inside them, grid
     * after grid), with external ids {@code prefix-1…} and a point type that takes points.
     */
    public Path writePointFile(Path file, int count, String prefix) throws IOException {
        long grids = jdbc.sql("SELECT count(*) FROM grid WHERE valid_to IS NULL").query(Long.class).single();
        int perGrid = (int) Math.max(1, (count + grids - 1) / Math.max(1, grids));
        String type = jdbc.sql("SELECT code FROM point_type WHERE geometry_kind = 'POINT' ORDER BY sort_order, code LIMIT 1")
                .query(String.class).single();
        int[] written = {0};
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("{\"type\":\"FeatureCollection\",\"features\":[\n");
            transaction.executeWithoutResult(status -> jdbc.sql("""
                    SELECT ST_X(p.geom), ST_Y(p.geom) FROM grid g CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(g.boundary, :per, 42)) p
                    WHERE g.valid_to IS NULL LIMIT :n""").param("per", perGrid).param("n", count).withFetchSize(10_000).query(rs -> {
                int i = ++written[0];
                try {
                    out.write((i > 1 ? ",\n" : "") + "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[" + rs.getDouble(1) + ","
                            + rs.getDouble(2) + "]},\"properties\":{\"external_id\":\"" + prefix + "-" + i + "\",\"type_code\":\"" + type
                            + "\",\"name\":\"基准点位 " + i + "\",\"address\":\"测试路 " + i + " 号\",\"responsible_unit\":\"基准单位\"}}");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
            out.write("\n]}\n");
        }
        if (written[0] != count) {
            throw new IllegalStateException("wrote " + written[0] + " of " + count + " points");
        }
        return file;
    }

    private static void gzip(Path file, Path gz) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
            Files.copy(file, out);
        }
    }

    /** Both runs start without a checkpoint pending from the other's writes (needs superuser or pg_checkpoint; else skipped). */
    private void checkpoint() {
        try {
            jdbc.sql("CHECKPOINT").update();
        } catch (RuntimeException e) {
            log.debug("No CHECKPOINT before the import benchmark: {}", e.getMessage());
        }
    }

    private static String onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private Duration ogr2ogr(String program, Path file) throws Exception {
        HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
        URI url = URI.create(hikari.getJdbcUrl().substring("jdbc:".length()));
        String database = url.getPath().substring(1);
        String connection = "PG:host=" + url.getHost() + " port=" + (url.getPort() < 0 ? 5432 : url.getPort()) + " dbname=" + database + " user="
                + hikari.getUsername();
        ProcessBuilder builder = new ProcessBuilder(List.of(program, "-f", "PostgreSQL", connection, file.toString(), "-nln", OGR_TABLE,
                "-overwrite", "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST")).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", hikari.getPassword()); // not on the command line
        long start = System.nanoTime();
        Process ogr = builder.start();
        String output = new String(ogr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = ogr.waitFor();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (exit != 0) {
            throw new IllegalStateException("ogr2ogr failed (" + exit + "): " + output.strip());
        }
        return elapsed;
    }

    /** Upload + preview, then commit until COMMITTED, as a whole-city planner with an API token. */
    private Comparison importOverHttp(Path gz, int points, long fileBytes) throws Exception {
        String token = plannerToken();
        log.info("Import benchmark: uploading");
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        String boundary = "----civicgrid-bench-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npoints\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"crs\"\r\n\r\nWGS84\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"points.geojson.gz\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest upload = HttpRequest.newBuilder(URI.create(base + "/api/imports")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipartBody(head, gz, tail))).build();
        long start = System.nanoTime();
        HttpResponse<String> previewed = http.send(upload, HttpResponse.BodyHandlers.ofString());
        long previewedAt = System.nanoTime();
        if (previewed.statusCode() != 201) {
            throw new IllegalStateException("POST /api/imports answered " + previewed.statusCode() + ": " + previewed.body());
        }
        JsonNode job = json.readTree(previewed.body());
        if (job.path("errorCount").asInt() != 0 || job.path("valid").asInt() != points) {
            throw new IllegalStateException("the preview found " + job.path("errorCount").asInt() + " errors, " + job.path("valid").asInt() + " of "
                    + points + " rows valid, e.g. " + job.path("errors").path(0));
        }
        long id = job.path("id").asLong();
        HttpResponse<String> committing = http.send(HttpRequest.newBuilder(URI.create(base + "/api/imports/" + id + "/commit"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (committing.statusCode() != 200 && committing.statusCode() != 202) {
            throw new IllegalStateException("POST /api/imports/" + id + "/commit answered " + committing.statusCode() + ": " + committing.body());
        }
        job = json.readTree(committing.body());
        HttpRequest poll = HttpRequest.newBuilder(URI.create(base + "/api/imports/" + id)).header("Authorization", "Bearer " + token).GET().build();
        while ("RUNNING".equals(job.path("status").asString())) {
            Thread.sleep(50);
            job = json.readTree(http.send(poll, HttpResponse.BodyHandlers.ofString()).body());
        }
        long committedAt = System.nanoTime();
        if (!"COMMITTED".equals(job.path("status").asString())) {
            throw new IllegalStateException("the import ended " + job.path("status").asString() + ": " + job.path("failure").asString());
        }
        return new Comparison(points, fileBytes, Files.size(gz), Duration.ofNanos(previewedAt - start), Duration.ofNanos(committedAt - previewedAt),
                job.path("creates").asLong(), null);
    }

    private static byte[] multipartBody(String head, Path file, String tail) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream((int) Files.size(file) + 1024);
        body.write(head.getBytes(StandardCharsets.UTF_8));
        Files.copy(file, body);
        body.write(tail.getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /** An API token of a planner whose scope is every district (created once, reused by later runs). */
    private String plannerToken() {
        return transaction.execute(status -> {
            jdbc.sql("INSERT INTO app_user (username, display_name) VALUES ('bench-import', '导入基准') ON CONFLICT (username) DO NOTHING").update();
            long user = jdbc.sql("SELECT id FROM app_user WHERE username = 'bench-import'").query(Long.class).single();
            jdbc.sql("INSERT INTO user_role (user_id, role) VALUES (?, 'PLANNER') ON CONFLICT DO NOTHING").param(user).update();
            jdbc.sql("INSERT INTO user_area_scope (user_id, area_level, area_code) SELECT ?, 'DISTRICT', code FROM district ON CONFLICT DO NOTHING")
                    .param(user).update();
            return tokens.issue(user, "import benchmark", java.time.Instant.now().plus(Duration.ofHours(2))).token();
        });
    }

    /**
     * Removes the imported points (their statistics first) and the ogr2ogr table. Nothing refers to points made a
     * minute ago, which the database is asked before it deletes them without a foreign-key check per row.
     */
    private void cleanUp(String prefix) {
        try {
            jdbc.sql("DROP TABLE IF EXISTS " + OGR_TABLE).update();
            String pattern = prefix + "-%";
            boolean mayBypass = mayBypassTriggers();
            long removed = transaction.execute(status -> {
                jdbc.sql("SELECT 1 FROM map_stats_clock FOR SHARE").query((rs, n) -> 1).list();
                imports.releaseWaitingAhead();
                jdbc.sql(ImportSql.LOCK_POINTS).update();
                jdbc.sql(ImportSql.BULK_FLAG).query((rs, n) -> 1).list();
                jdbc.sql("""
                        UPDATE grid_map_stats s SET points = s.points - o.n, points_lon_sum = s.points_lon_sum - o.lon,
                                                    points_lat_sum = s.points_lat_sum - o.lat
                        FROM (SELECT grid_id, count(*) AS n, sum(ST_X(ST_PointOnSurface(geom))) AS lon, sum(ST_Y(ST_PointOnSurface(geom))) AS lat
                              FROM measurement_point WHERE external_id LIKE :p AND grid_id IS NOT NULL GROUP BY grid_id) o
                        WHERE s.grid_id = o.grid_id""").param("p", pattern).update();
                boolean replica = mayBypass && unreferenced(pattern);
                if (replica) {
                    jdbc.sql(ImportSql.REPLICA_ROLE).update();
                }
                long n = jdbc.sql("DELETE FROM measurement_point WHERE external_id LIKE :p").param("p", pattern).update();
                if (replica) {
                    jdbc.sql(ImportSql.ORIGIN_ROLE).update();
                }
                jdbc.sql(ImportSql.BUMP_REVISION).param("layer", "points").update();
                return n;
            });
            jdbc.sql("VACUUM (ANALYZE) measurement_point").update();
            log.info("Import benchmark: removed {} imported points and {}", removed, OGR_TABLE);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cleaning up failed (points " + prefix + "-…, table " + OGR_TABLE + "): " + e.getMessage(), e);
        }
    }

    /** Whether no row of any table with a foreign key to measurement_point refers to the points. */
    private boolean unreferenced(String pattern) {
        List<Map<String, Object>> keys = jdbc.sql("""
                SELECT c.conrelid::regclass::text AS tab, quote_ident(a.attname) AS col FROM pg_constraint c
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                WHERE c.contype = 'f' AND c.confrelid = 'measurement_point'::regclass AND array_length(c.conkey, 1) = 1""").query().listOfRows();
        for (Map<String, Object> key : keys) { // identifiers from the catalog, quoted by it
            boolean referenced = jdbc.sql("SELECT EXISTS (SELECT 1 FROM " + key.get("tab") + " t JOIN measurement_point mp ON mp.id = t." + key.get("col")
                    + " WHERE mp.external_id LIKE :p)").param("p", pattern).query(Boolean.class).single();
            if (referenced) {
                return false;
            }
        }
        return true;
    }

    private boolean mayBypassTriggers() {
        try {
            return jdbc.sql(ImportSql.MAY_SET_REPLICATION_ROLE).query(Boolean.class).single();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
