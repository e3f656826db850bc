package org.civicgrid.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.ApiTokens;
import org.civicgrid.security.TestAccounts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The bad-input corpus (src/test/resources/bad-input/cases.csv, files in bad-input/files, made by
 * make_corpus.py): each hostile request goes over real HTTP to the endpoint it targets, signed in (API
 * token) as an account holding every role the endpoint needs, so the input reaches validation. Every one
 * must get a 4xx with an RFC 9457 problem body (naming the parameter where the manifest says so) — or, for
 * free-text parameters, a harmless 200 — and nothing may be written.
 */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest {

    private static final String CORPUS = "/bad-input/";
    /** The tables a refused request must leave alone (row counts), plus draft versions. */
    private static final List<String> WATCHED = List.of("problem", "problem_event", "problem_event_photo", "measurement_point", "photo",
            "draft", "draft_grid", "grid", "grid_publication", "external_evaluation", "evaluation_batch", "inspection", "inspection_result",
            "audit_log", "app_user", "campaign", "special_action", "checklist_item");

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    ApiTokens tokens;
    @Autowired
    ObjectMapper json;
    @Value("${civicgrid.photos.directory}")
    String photoDirectory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String token;
    private final Map<String, String> placeholders = new LinkedHashMap<>();

    record Case(String id, String family, String method, String path, String kind, String body, String filename, String headers,
                String expect, String parameter, String note) {
        @Override
        public String toString() {
            return id;
        }
    }

    @BeforeAll
    void signInAndPrepare() throws Exception {
        String street = jdbc.sql("SELECT code FROM street ORDER BY code LIMIT 1").query(String.class).single();
        String username = TestAccounts.create(jdbc, passwords, "ADMIN", street.substring(0, 6));
        for (String role : List.of("LEADER", "PLANNER", "INSPECTOR")) {
            jdbc.sql("INSERT INTO user_role (user_id, role) SELECT id, ? FROM app_user WHERE username = ?").param(role).param(username).update();
        }
        long userId = jdbc.sql("SELECT id FROM app_user WHERE username = ?").param(username).query(Long.class).single();
        token = tokens.issue(userId, "bad-input corpus", Instant.now().plus(Duration.ofDays(1))).token();

        HttpResponse<byte[]> created = send("POST", "/api/planning/drafts", "application/json",
                ("{\"areaCode\":\"" + street + "\",\"name\":\"bad-input corpus\"}").getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(created.statusCode()).as(new String(created.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        long draft = json.readTree(created.body()).path("draft").path("id").asLong();
        placeholders.put("{draft}", String.valueOf(draft));
        placeholders.put("{draftVersion}", jdbc.sql("SELECT version FROM draft WHERE id = ?").param(draft).query(String.class).single());
        placeholders.put("{gridKey}", jdbc.sql("SELECT coalesce(min(id), 1) FROM draft_grid WHERE draft_id = ?").param(draft).query(String.class).single());
        jdbc.sql("SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(boundary) p FROM grid"
                        + " WHERE code LIKE ? AND valid_to IS NULL ORDER BY code LIMIT 1) g")
                .param(street + "%").query((rs, n) -> {
                    placeholders.put("{lon}", String.valueOf(rs.getDouble("lon")));
                    placeholders.put("{lat}", String.valueOf(rs.getDouble("lat")));
                    return 0;
                }).single();
        placeholders.put("{category}", jdbc.sql("SELECT code FROM problem_category ORDER BY code LIMIT 1").query(String.class).single());
        placeholders.put("{point}", jdbc.sql("SELECT coalesce(external_id, id::text) FROM measurement_point ORDER BY id LIMIT 1").query(String.class).single());
        placeholders.put("{street}", street);
        placeholders.put("{long100k}", "A".repeat(100_000));
        placeholders.put("{long7k}", "A".repeat(7_000));
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = BadInputCorpusTest.class.getResourceAsStream(CORPUS + "cases.csv")) {
            List<List<String>> rows = parseCsv(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            for (List<String> r : rows.subList(1, rows.size())) {
                cases.add(new Case(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6), r.get(7), r.get(8), r.get(9), r.get(10)));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithAProblemAndWritesNothing(Case c) throws Exception {
        Map<String, Long> before = snapshot();

        byte[] body = body(c);
        Map<String, String> headers = new LinkedHashMap<>();
        if (!c.headers().isBlank()) {
            for (String h : c.headers().split(";")) {
                headers.put(h.substring(0, h.indexOf('=')), fill(h.substring(h.indexOf('=') + 1)));
            }
        }
        String contentType = null;
        switch (c.kind()) {
            case "json" -> contentType = "application/json";
            case "text" -> contentType = "text/plain";
            case "multipart", "multipart-media" -> {
                String boundary = "----corpus" + Long.toHexString(System.nanoTime());
                contentType = "multipart/form-data; boundary=" + boundary;
                body = multipart(boundary, c.kind().equals("multipart-media") ? "media" : "file", c.filename(), body, c.body().isEmpty());
            }
            default -> { }
        }
        HttpResponse<byte[]> response = send(c.method(), fill(c.path()), contentType, body, headers);
        String text = new String(response.body(), StandardCharsets.UTF_8);
        String answer = c.id() + " → " + response.statusCode() + " " + text.substring(0, Math.min(400, text.length()));
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("");

        if (c.expect().equals("2xx-safe")) {
            assertThat(status).as(answer).isBetween(200, 299);
            assertThat(type).as(answer).doesNotContain("text/html");
        } else {
            assertThat(status).as(answer).isBetween(400, 499);
            if (c.expect().matches("\\d{3}")) {
                assertThat(status).as(answer).isEqualTo(Integer.parseInt(c.expect()));
            }
            if (c.path().startsWith("/open311/") && !type.startsWith("application/problem+json")) {
                // Open311 GeoReport v2 prescribes its own error list: [{"code":…,"description":…}]
                assertThat(text).as(answer).contains("description");
            } else {
                assertThat(type).as(answer).startsWith("application/problem+json");
                JsonNode problem = json.readTree(response.body());
                assertThat(problem.path("title").asString()).as(answer).isNotBlank();
                assertThat(problem.path("detail").asString()).as(answer).isNotBlank();
                assertThat(problem.path("status").asInt()).as(answer).isEqualTo(status);
                if (!c.parameter().isBlank()) {
                    assertThat(problem.path("parameter").asString() + problem.path("errors").toString()).as(answer).contains(c.parameter());
                }
                assertThat(text).as(answer).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("SQLState");
            }
        }
        assertThat(snapshot()).as(c.id() + " must write nothing").isEqualTo(before);
    }

    private Map<String, Long> snapshot() throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : WATCHED) {
            counts.put(table, jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single());
        }
        counts.put("draft.version", jdbc.sql("SELECT coalesce(sum(version), 0) FROM draft").query(Long.class).single());
        Path photos = Path.of(photoDirectory);
        if (Files.isDirectory(photos)) {
            try (Stream<Path> files = Files.walk(photos)) {
                counts.put("photo files", files.filter(Files::isRegularFile).count());
            }
        }
        return counts;
    }

    private HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json, application/problem+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String fill(String text) {
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            text = text.replace(p.getKey(), p.getValue());
        }
        return text;
    }

    private byte[] body(Case c) throws IOException {
        String spec = c.body();
        if (spec.isEmpty()) {
            return c.kind().equals("none") ? null : new byte[0];
        }
        if (spec.startsWith("@")) {
            try (InputStream in = getClass().getResourceAsStream(CORPUS + spec.substring(1))) {
                byte[] bytes = in.readAllBytes();
                return fill(new String(bytes, StandardCharsets.UTF_8)).equals(new String(bytes, StandardCharsets.UTF_8))
                        ? bytes : fill(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
        }
        if (spec.startsWith("gen:")) {
            return generated(spec.substring(4));
        }
        return fill(spec).getBytes(StandardCharsets.UTF_8);
    }

    /** Inputs too big to keep in the repository, made at test time. */
    private byte[] generated(String name) throws IOException {
        String header = "evaluation,evaluated_on,point_code,criterion,score,max_score\n";
        String row = "第三方测评,2026-05-04," + placeholders.get("{point}") + ",环境卫生,8,10\n";
        return switch (name) {
            case "deep-json-10000" -> ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
            case "deep-object-10000" -> ("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
            case "invalid-utf8-json" -> concat("{\"lon\":1,\"description\":\"".getBytes(StandardCharsets.UTF_8),
                    new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3}, "\"}".getBytes(StandardCharsets.UTF_8));
            case "deep-geometry-10000" -> gridBody("{\"type\":\"Polygon\",\"coordinates\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}");
            case "polygon-1000000" -> gridBody(polygon(1_000_000));
            case "deep-geojson-file-10000" -> ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
                    + "{\"type\":\"Polygon\",\"coordinates\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}}]}").getBytes(StandardCharsets.UTF_8);
            case "geojson-polygon-1000000" -> ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
                    + polygon(1_000_000) + "}]}").getBytes(StandardCharsets.UTF_8);
            case "geojson-14mb" -> ("{\"type\":\"FeatureCollection\",\"features\":[]" + " ".repeat(14 << 20) + "}").getBytes(StandardCharsets.UTF_8);
            case "csv-long-cell" -> (header + "x".repeat(1 << 20) + ",2026-05-04," + placeholders.get("{point}") + ",c,8,10\n").getBytes(StandardCharsets.UTF_8);
            case "csv-50001-rows" -> (header + row.repeat(50_001)).getBytes(StandardCharsets.UTF_8);
            case "csv-6mb" -> (header + row.repeat((6 << 20) / row.getBytes(StandardCharsets.UTF_8).length + 1)).getBytes(StandardCharsets.UTF_8);
            case "zip-bomb-xlsx" -> zipBomb();
            case "empty-zip" -> zip(Map.of("hello.txt", "hello".getBytes(StandardCharsets.UTF_8)));
            case "bytes-13mb" -> junk(13 << 20);
            case "bytes-14mb" -> junk(14 << 20);
            case "bytes-60mb" -> junk(60 << 20);
            case "jpeg-11mb" -> concat(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0}, new byte[11 << 20]);
            case "json-20mb" -> ("{\"description\":\"" + "a".repeat(20 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
            default -> throw new IllegalArgumentException("unknown generator " + name);
        };
    }

    private byte[] gridBody(String geometry) {
        return ("{\"name\":\"bad\",\"geometry\":" + geometry + ",\"version\":" + placeholders.get("{draftVersion}") + "}").getBytes(StandardCharsets.UTF_8);
    }

    private String polygon(int vertices) {
        double lon = Double.parseDouble(placeholders.get("{lon}"));
        double lat = Double.parseDouble(placeholders.get("{lat}"));
        StringBuilder s = new StringBuilder(vertices * 40).append("{\"type\":\"Polygon\",\"coordinates\":[[");
        for (int i = 0; i < vertices; i++) {
            double a = 2 * Math.PI * i / vertices;
            s.append('[').append(lon + 0.001 * Math.cos(a)).append(',').append(lat + 0.001 * Math.sin(a)).append("],");
        }
        return s.append('[').append(lon + 0.001).append(',').append(lat).append("]]]}").toString();
    }

    private static byte[] zipBomb() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 300; i++) {
                zip.write(zeros); // 300 MB of zeros, ~300 KB compressed
            }
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] junk(int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(9).nextBytes(bytes);
        return bytes;
    }

    private static byte[] multipart(String boundary, String field, String filename, byte[] content, boolean noFilePart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] start = ("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8);
        if (noFilePart) {
            out.writeBytes(start);
            out.writeBytes("Content-Disposition: form-data; name=\"note\"\r\n\r\nno file here\r\n".getBytes(StandardCharsets.UTF_8));
        } else {
            out.writeBytes(start);
            out.writeBytes(("Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename.replace("\"", "%22") + "\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (ch != '\r') {
                field.append(ch);
            }
        }
        if (!row.isEmpty() || field.length() > 0) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
