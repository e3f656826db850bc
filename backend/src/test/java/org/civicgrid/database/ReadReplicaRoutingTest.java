package org.civicgrid.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

import javax.sql.DataSource;

import jakarta.servlet.http.Cookie;

import org.civicgrid.CivicGridApplication;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The app with a read replica configured, on the test cluster reached through two loopback relays that the test can
 * cut: one stands for the primary, the other for the replica. Read-only work (dashboards, layers, tiles, exports) is
 * served by the replica's pool, writes and worklists by the primary's; with the replica gone reads fall back to the
 * primary and return to the replica when it answers again; with the primary gone every request is a clear 503 with
 * Retry-After (also the session look-up in the servlet filters), and the app recovers on its own.
 */
@SpringBootTest(classes = CivicGridApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@AutoConfigureMockMvc
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadReplicaRoutingTest {

    private static EmbeddedPostgres server;
    private static TcpForwarder primary;
    private static TcpForwarder replica;

    @DynamicPropertySource
    static void databaseThroughRelays(DynamicPropertyRegistry registry) throws Exception {
        server = EmbeddedPostgresRegistry.acquire(new EmbeddedPostgresProperties(System.getProperty("civicgrid.embedded.data-dir", "var/pgdata"),
                0, null, "civicgrid", Boolean.getBoolean("civicgrid.embedded.fast-unsafe"), System.getProperty("civicgrid.embedded.shared-buffers")));
        primary = new TcpForwarder(server.port());
        replica = new TcpForwarder(server.port());
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + primary.port() + "/civicgrid");
        registry.add("spring.datasource.username", server::username);
        registry.add("spring.datasource.password", server::password);
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("civicgrid.datasource.replica.url", () -> "jdbc:postgresql://127.0.0.1:" + replica.port() + "/civicgrid");
        registry.add("civicgrid.datasource.replica.connection-timeout", () -> "500ms");
        registry.add("civicgrid.datasource.replica.check-interval", () -> "200ms");
    }

    @AfterAll
    static void releaseServer() throws Exception {
        primary.close();
        replica.close();
        EmbeddedPostgresRegistry.release(server);
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    ObjectMapper json;

    private ReplicaDataSource replicaDataSource() {
        assertThat(dataSource).isInstanceOf(ReplicaRoutingDataSource.class);
        return ((ReplicaRoutingDataSource) dataSource).replica();
    }

    private record Target(String gridCode, String communityCode, String box, int tileX, int tileY) {
    }

    private Target target() {
        return jdbc.sql("""
                SELECT g.code, g.community_code, ST_XMin(g.boundary) x0, ST_YMin(g.boundary) y0, ST_XMax(g.boundary) x1, ST_YMax(g.boundary) y1,
                       ST_X(ST_PointOnSurface(g.boundary)) lon, ST_Y(ST_PointOnSurface(g.boundary)) lat
                FROM grid g WHERE g.valid_to IS NULL AND g.code LIKE '320508%' AND EXISTS (SELECT 1 FROM measurement_point m WHERE m.grid_id = g.id)
                ORDER BY g.code LIMIT 1""").query((rs, n) -> {
            double lon = rs.getDouble("lon");
            double lat = rs.getDouble("lat");
            int z = 16;
            int x = (int) Math.floor((lon + 180) / 360 * (1 << z));
            double r = Math.toRadians(lat);
            int y = (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * (1 << z));
            return new Target(rs.getString(1), rs.getString(2), rs.getDouble("x0") + "," + rs.getDouble("y0") + "," + rs.getDouble("x1") + ","
                    + rs.getDouble("y1"), x, y);
        }).single();
    }

    private static String lastWeek() {
        return LocalDate.now(ZoneId.of("Asia/Shanghai")).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(1).toString();
    }

    /** Every endpoint marked read-only work, with parameters the demo city answers (as the district leader or the admin). */
    private List<MockHttpServletRequestBuilder> readOnlyWork(Target t) {
        String monday = lastWeek();
        String sunday = LocalDate.parse(monday).plusDays(6).toString();
        return List.of(
                get("/api/layers/area-stats").param("level", "grid").param("bbox", t.box()).param("metric", "open"),
                get("/api/areas/{code}/summary", t.gridCode()),
                get("/api/layers/areas").param("level", "community").param("bbox", t.box()),
                get("/api/layers/grids").param("bbox", t.box()).param("zoom", "16"),
                get("/api/layers/points").param("bbox", t.box()).param("zoom", "17"),
                get("/api/layers/problems").param("bbox", t.box()).param("zoom", "17"),
                get("/tiles/grids/16/{x}/{y}.mvt", t.tileX(), t.tileY()),
                get("/tiles/problems/16/{x}/{y}.mvt", t.tileX(), t.tileY()),
                get("/api/search").param("q", t.gridCode()),
                get("/api/indicators").param("area", "320508").param("from", monday).param("to", sunday),
                get("/api/indicators/trend").param("area", "320508").param("weeks", "4"),
                get("/api/indicators/breakdown").param("area", "320508").param("from", monday).param("to", sunday).param("by", "category"),
                get("/api/heatmap").param("bbox", "120.5,31.2,120.8,31.4").param("zoom", "12").param("from", monday).param("to", sunday),
                get("/api/heatmap/hotspots").param("bbox", "120.5,31.2,120.8,31.4").param("zoom", "12").param("from", monday).param("to", sunday),
                get("/api/rankings").param("level", "grid").param("week", monday).param("within", t.communityCode()),
                get("/api/rankings/weights"),
                get("/api/campaign"),
                get("/api/campaign/clearance").param("level", "grid").param("within", t.communityCode()),
                get("/api/bulletins/{week}", monday).param("area", t.communityCode()).param("format", "html"),
                get("/api/exports/grids").param("format", "geojson"),
                get("/api/exports/points").param("format", "csv"),
                get("/ogc/collections/{id}/items", "problems").param("bbox", t.box()));
    }

    private MockHttpServletResponse perform(MockHttpServletRequestBuilder request, RequestPostProcessor user) throws Exception {
        return mvc.perform(request.with(user)).andReturn().getResponse();
    }

    @Test
    @Order(1)
    void readOnlyWorkRunsOnTheReplicaAndEverythingElseOnThePrimary() throws Exception {
        Target t = target();
        RequestPostProcessor admin = TestSignIn.as(jdbc, "admin");
        ReplicaDataSource reads = replicaDataSource();
        assertThat(reads.available()).isTrue();
        for (MockHttpServletRequestBuilder request : readOnlyWork(t)) {
            long before = reads.replicaConnections();
            long fallbacksBefore = reads.fallbackConnections();
            MockHttpServletResponse response = perform(request, admin);
            String uri = request.buildRequest(new org.springframework.mock.web.MockServletContext()).getRequestURI();
            // 200 in a read-only transaction: none of these writes anything (the replica would refuse it)
            assertThat(response.getStatus()).as(uri + " " + response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(reads.replicaConnections()).as("replica connections for " + uri).isGreaterThan(before);
            assertThat(reads.fallbackConnections()).as(uri).isEqualTo(fallbacksBefore);
            if (uri.startsWith("/tiles/") || (uri.startsWith("/api/layers/") && !uri.equals("/api/layers/areas"))) {
                // cacheable by nginx only with revalidation every time (the ETag carries the caller's scope)
                assertThat(response.getHeader("ETag")).as(uri).isNotBlank();
                assertThat(response.getHeader("Cache-Control")).as(uri).contains("no-cache").contains("private");
                assertThat(response.getHeader("X-Accel-Expires")).as(uri).isEqualTo("@1");
            }
        }

        // a worklist (the caller's own work, must show their write at once) and a write stay on the primary
        long before = reads.replicaConnections() + reads.fallbackConnections();
        RequestPostProcessor inspector = TestSignIn.as(jdbc, "inspector");
        assertThat(perform(get("/api/worklists/to-accept"), inspector).getStatus()).isEqualTo(200);
        RequestPostProcessor admin2 = TestSignIn.as(jdbc, "admin");
        String weights = perform(get("/api/rankings/weights"), admin2).getContentAsString(StandardCharsets.UTF_8);
        before = reads.replicaConnections() + reads.fallbackConnections();
        long audited = jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'RANKING_WEIGHTS_CHANGED'").query(Long.class).single();
        MockHttpServletResponse write = perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put("/api/rankings/weights")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).content(weights)
                .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf()), admin2);
        assertThat(write.getStatus()).as(write.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'RANKING_WEIGHTS_CHANGED'").query(Long.class).single())
                .isEqualTo(audited + 1);
        assertThat(reads.replicaConnections() + reads.fallbackConnections()).isEqualTo(before);

        // the replica's pool really reads through its own relay
        long relayed = replica.accepted();
        assertThat(relayed).isPositive();
    }

    @Test
    @Order(2)
    void withTheReplicaDownReadsFallBackToThePrimaryAndReturnWhenItAnswers() throws Exception {
        Target t = target();
        RequestPostProcessor leader = TestSignIn.as(jdbc, "leader");
        ReplicaDataSource reads = replicaDataSource();
        MockHttpServletRequestBuilder indicators = get("/api/indicators").param("area", "320508").param("from", lastWeek())
                .param("to", LocalDate.parse(lastWeek()).plusDays(6).toString());
        assertThat(perform(indicators, leader).getStatus()).isEqualTo(200);

        // cut the replica right after a read: its pooled connections are dead, the next read still answers (fallback or retry)
        replica.stop();
        long started = System.nanoTime();
        MockHttpServletResponse during = perform(indicators, leader);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(during.getStatus()).as(during.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(millis).as("the first read after the replica went away").isLessThan(3_000);
        assertThat(reads.available()).isFalse();

        // while it is down every read-only endpoint answers from the primary at once
        for (MockHttpServletRequestBuilder request : readOnlyWork(t).subList(0, 8)) {
            long fallbacks = reads.fallbackConnections();
            started = System.nanoTime();
            MockHttpServletResponse response = perform(request, leader);
            assertThat(response.getStatus()).as(response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000);
            assertThat(reads.fallbackConnections()).isGreaterThan(fallbacks);
        }

        // the replica comes back: a probe (every 200 ms here) finds it and reads go there again
        replica.start();
        long deadline = System.currentTimeMillis() + 5_000;
        while (!reads.available() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(reads.available()).isTrue();
        long onReplica = reads.replicaConnections();
        assertThat(perform(indicators, leader).getStatus()).isEqualTo(200);
        assertThat(reads.replicaConnections()).isGreaterThan(onReplica);
    }

    @Test
    @Order(3)
    void withThePrimaryDownRequestsAreClear503sWithRetryAfterAndTheAppRecoversByItself() throws Exception {
        RequestPostProcessor manager = TestSignIn.as(jdbc, "gm000001");
        RequestPostProcessor leader = TestSignIn.as(jdbc, "leader");
        assertThat(perform(get("/api/worklists/my-grids"), manager).getStatus()).isEqualTo(200);

        primary.stop();
        replica.stop();   // the whole server is away, as during a restart
        try {
            // an API call whose caller is looked up in the database
            MockHttpServletResponse worklist = perform(get("/api/worklists/my-grids"), manager);
            assertUnavailable(worklist);
            // a browser session cookie: the session store is read in a servlet filter, before any controller
            MockHttpServletResponse withSession = mvc.perform(get("/api/me").cookie(new Cookie("CIVICGRID_SESSION",
                    "ZjE4ZDBkNGQtNjQ4Yy00YzY4LWE1ZjMtMGQ2ZDc1ZDQ5ZWQ2"))).andReturn().getResponse();
            assertUnavailable(withSession);
            // read-only work: neither the replica nor the primary answers
            MockHttpServletResponse indicators = perform(get("/api/indicators").param("area", "320508"), leader);
            assertUnavailable(indicators);
        } catch (AssertionError | RuntimeException e) {
            primary.start();
            replica.start();
            throw e;
        }

        primary.start();
        replica.start();
        long restored = System.currentTimeMillis();
        int status = 0;
        while (System.currentTimeMillis() - restored < 10_000) {
            status = perform(get("/api/worklists/my-grids"), manager).getStatus();
            if (status == 200) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(status).as("a worklist within 10 s of the database coming back").isEqualTo(200);
        assertThat(System.currentTimeMillis() - restored).isLessThan(10_000);
    }

    private void assertUnavailable(MockHttpServletResponse response) throws Exception {
        String body = response.getContentAsString(StandardCharsets.UTF_8);
        assertThat(response.getStatus()).as(body).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        JsonNode problem = json.readTree(body);
        assertThat(problem.path("type").asString()).isEqualTo("urn:civicgrid:problem:database-unavailable");
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("detail").asString()).contains("Try again");
        assertThat(body).doesNotContain("Exception").doesNotContain("at org.").doesNotContain("PSQL").doesNotContain("jdbc:");
    }
}
