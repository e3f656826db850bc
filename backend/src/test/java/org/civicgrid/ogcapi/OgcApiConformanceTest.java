package org.civicgrid.ogcapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.ApiTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Conformance-style tests after the OGC abstract test suites of OGC API – Features Parts 1 and 2 (and the
 * basic filtering of Part 3), run as the demo street leader (scope: street 320508001) with an API token
 * in the URL, the way QGIS and GDAL connect.
 */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OgcApiConformanceTest {

    private static final String STREET = "320508001";
    private static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    private static final String EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326";
    private static final String EPSG_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    ApiTokens tokens;

    private String token;

    @BeforeAll
    void issueToken() {
        long leader = jdbc.sql("SELECT id FROM app_user WHERE username = 'street_leader'").query(Long.class).single();
        token = tokens.issue(leader, "ogc conformance test", null).token();
    }

    private String url(String path, String query) {
        return "http://localhost" + path + "?" + (query == null || query.isEmpty() ? "" : query + "&") + "access_token=" + token;
    }

    private MockHttpServletResponse call(String absoluteUrl) throws Exception {
        return mvc.perform(get(URI.create(absoluteUrl))).andReturn().getResponse();
    }

    private JsonNode ok(String absoluteUrl) throws Exception {
        MockHttpServletResponse response = call(absoluteUrl);
        assertThat(response.getStatus()).as("%s: %s", absoluteUrl, response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(200);
        return json.readTree(response.getContentAsString(StandardCharsets.UTF_8));
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode link(JsonNode links, String rel, String typePrefix) {
        for (JsonNode l : links) {
            if (l.path("rel").asString().equals(rel) && l.path("type").asString().startsWith(typePrefix)) {
                return l;
            }
        }
        return null;
    }

    private long scopedProblems(String extraCondition) {
        return jdbc.sql("SELECT count(*) FROM problem t JOIN grid g ON g.id = t.grid_id WHERE g.code LIKE '" + STREET + "%' AND " + extraCondition)
                .query(Long.class).single();
    }

    // ---- Part 1: landing page, API definition, conformance ----

    @Test
    void landingPageLinksToItsSelfTheApiDefinitionConformanceAndData() throws Exception {
        JsonNode landing = ok(url("/ogc", null));
        JsonNode links = landing.path("links");
        assertThat(link(links, "self", "application/json")).isNotNull();
        assertThat(link(links, "service-desc", "application/vnd.oai.openapi+json")).isNotNull();
        assertThat(link(links, "conformance", "application/json")).isNotNull();
        assertThat(link(links, "data", "application/json")).isNotNull();
        for (JsonNode l : links) {
            String href = l.path("href").asString();
            assertThat(href).as("every link is absolute and carries the token").startsWith("http://localhost/ogc").contains("access_token=" + token);
        }
        JsonNode conformance = ok(link(links, "conformance", "application/json").path("href").asString());
        List<String> classes = new ArrayList<>();
        conformance.path("conformsTo").forEach(c -> classes.add(c.asString()));
        assertThat(classes).contains(
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
                "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
                "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text");

        MockHttpServletResponse api = call(link(links, "service-desc", "application/vnd.oai.openapi+json").path("href").asString());
        assertThat(api.getStatus()).isEqualTo(200);
        assertThat(api.getContentType()).startsWith("application/vnd.oai.openapi+json");
        JsonNode openapi = json.readTree(api.getContentAsString(StandardCharsets.UTF_8));
        assertThat(openapi.path("openapi").asString()).startsWith("3.0");
        assertThat(openapi.path("servers").get(0).path("url").asString()).isEqualTo("http://localhost/ogc");
        List<String> paths = new ArrayList<>();
        openapi.path("paths").propertyNames().forEach(paths::add);
        assertThat(paths).containsExactlyInAnyOrder("/", "/conformance", "/api", "/collections", "/collections/{collectionId}",
                "/collections/{collectionId}/queryables", "/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}");
        // every $ref points at a defined parameter
        for (JsonNode path : openapi.path("paths")) {
            for (JsonNode p : path.path("get").path("parameters")) {
                String ref = p.path("$ref").asString().replace("#/components/parameters/", "");
                assertThat(openapi.path("components").path("parameters").has(ref)).as(ref).isTrue();
            }
        }
        assertThat(openapi.at("/components/parameters/limit/schema/maximum").asInt()).isEqualTo(10_000);
    }

    @Test
    void withoutATokenTheApiAnswers401AndAnUnknownTokenToo() throws Exception {
        assertThat(mvc.perform(get("/ogc")).andReturn().getResponse().getStatus()).isEqualTo(401);
        assertThat(mvc.perform(get("/ogc/collections/problems/items")).andReturn().getResponse().getStatus()).isEqualTo(401);
        assertThat(mvc.perform(get("/ogc/collections").param("access_token", "cg_unknown")).andReturn().getResponse().getStatus()).isEqualTo(401);
        assertThat(mvc.perform(get("/ogc/collections").header("Authorization", "Bearer " + token)).andReturn().getResponse().getStatus())
                .isEqualTo(200);
    }

    @Test
    void optionsAnswersWithTheAllowedMethods() throws Exception {
        for (String path : List.of("/ogc", "/ogc/collections", "/ogc/collections/problems/items", "/ogc/collections/problems/items/1")) {
            MockHttpServletResponse response = mvc.perform(options(path).header("X-API-Token", token)).andReturn().getResponse();
            assertThat(response.getStatus()).as(path).isIn(200, 204);
            assertThat(response.getHeader("Allow")).as(path).contains("GET").contains("HEAD").contains("OPTIONS").doesNotContain("POST");
        }
        MockHttpServletResponse head = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head("/ogc/collections/problems/items")
                .header("X-API-Token", token)).andReturn().getResponse();
        assertThat(head.getStatus()).isEqualTo(200);
        assertThat(head.getContentType()).startsWith("application/geo+json");
    }

    @Test
    void linksFollowTheHostTheRequestCameTo() throws Exception {
        MockHttpServletResponse response = mvc.perform(get("/ogc").param("access_token", token).with(r -> {
            r.setServerName("gis.example.org");
            r.setScheme("https");
            r.setServerPort(443);
            return r;
        })).andReturn().getResponse();
        JsonNode landing = json.readTree(response.getContentAsString(StandardCharsets.UTF_8));
        assertThat(link(landing.path("links"), "data", "application/json").path("href").asString())
                .startsWith("https://gis.example.org/ogc/collections").contains("access_token=");
    }

    // ---- Part 1: collections ----

    @Test
    void everyCollectionDescribesItsExtentCrsAndItems() throws Exception {
        JsonNode collections = ok(url("/ogc/collections", null));
        Set<String> ids = new HashSet<>();
        for (JsonNode c : collections.path("collections")) {
            ids.add(c.path("id").asString());
            assertThat(c.path("itemType").asString()).isEqualTo("feature");
            long matched = ok(url("/ogc/collections/" + c.path("id").asString() + "/items", "limit=1")).path("numberMatched").asLong();
            if (matched > 0) {
                assertThat(c.path("extent").path("spatial").path("bbox").get(0).size()).as(c.path("id").asString()).isEqualTo(4);
                assertThat(c.path("extent").path("spatial").path("crs").asString()).isEqualTo(CRS84);
            }
            List<String> crs = new ArrayList<>();
            c.path("crs").forEach(x -> crs.add(x.asString()));
            assertThat(crs).contains(CRS84, EPSG_4326, "http://www.opengis.net/def/crs/EPSG/0/4490", EPSG_3857);
            assertThat(c.path("storageCrs").asString()).isEqualTo(CRS84);
            JsonNode items = link(c.path("links"), "items", "application/geo+json");
            assertThat(items).isNotNull();
            assertThat(items.path("href").asString()).contains("/ogc/collections/" + c.path("id").asString() + "/items").contains("access_token=");
            JsonNode single = ok(link(c.path("links"), "self", "application/json").path("href").asString());
            assertThat(single.path("id").asString()).isEqualTo(c.path("id").asString());
            assertThat(single.path("extent")).as("the listing's extent of " + c.path("id").asString()).isEqualTo(c.path("extent"));
        }
        List<String> pointTypes = jdbc.sql("SELECT code FROM point_type").query(String.class).list();
        assertThat(ids).contains("districts", "streets", "communities", "grids", "points", "problems");
        for (String type : pointTypes) {
            assertThat(ids).contains("points-" + type.toLowerCase().replace('_', '-'));
        }
        assertThat(ids).hasSize(6 + pointTypes.size());

        JsonNode problems = ok(url("/ogc/collections/problems", null));
        assertThat(problems.path("extent").path("temporal").path("interval").get(0).get(0).asString()).isNotBlank();
        // Taken from the grids (not every location), the extent still covers every problem of the street and its times are exact.
        Map<String, Object> exact = jdbc.sql("""
                SELECT ST_XMin(e.box) AS x0, ST_YMin(e.box) AS y0, ST_XMax(e.box) AS x1, ST_YMax(e.box) AS y1, e.t0, e.t1 FROM (
                  SELECT ST_Extent(p.location) AS box, min(p.reported_at) AS t0, max(p.reported_at) AS t1
                  FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code LIKE '320508001%') e""").query().singleRow();
        JsonNode box = problems.path("extent").path("spatial").path("bbox").get(0);
        assertThat(box.get(0).asDouble()).isLessThanOrEqualTo(((Number) exact.get("x0")).doubleValue());
        assertThat(box.get(1).asDouble()).isLessThanOrEqualTo(((Number) exact.get("y0")).doubleValue());
        assertThat(box.get(2).asDouble()).isGreaterThanOrEqualTo(((Number) exact.get("x1")).doubleValue());
        assertThat(box.get(3).asDouble()).isGreaterThanOrEqualTo(((Number) exact.get("y1")).doubleValue());
        assertThat(box.get(2).asDouble() - box.get(0).asDouble()).as("no wider than the street").isLessThan(0.2);
        JsonNode interval = problems.path("extent").path("temporal").path("interval").get(0);
        assertThat(java.time.Instant.parse(interval.get(0).asString())).isEqualTo(((java.sql.Timestamp) exact.get("t0")).toInstant());
        assertThat(java.time.Instant.parse(interval.get(1).asString())).isEqualTo(((java.sql.Timestamp) exact.get("t1")).toInstant());
        assertThat(call(url("/ogc/collections/no-such-thing", null)).getStatus()).isEqualTo(404);
    }

    // ---- Part 1: items, paging, bbox, limit ----

    @Test
    void followingNextLinksVisitsEveryFeatureInScopeExactlyOnce() throws Exception {
        long expected = scopedProblems("true");
        assertThat(expected).isGreaterThan(500);
        Set<Long> seen = new HashSet<>();
        int pages = 0;
        String next = url("/ogc/collections/problems/items", "limit=97");
        while (next != null) {
            JsonNode page = ok(next);
            pages++;
            assertThat(page.path("numberMatched").asLong()).isEqualTo(expected);
            assertThat(page.path("numberReturned").asInt()).isEqualTo(page.path("features").size());
            assertThat(page.path("timeStamp").asString()).isNotBlank();
            for (JsonNode f : page.path("features")) {
                assertThat(seen.add(f.path("id").asLong())).as("feature %s twice", f.path("id")).isTrue();
                assertThat(f.path("properties").has("description")).as("no personal data").isFalse();
            }
            JsonNode nextLink = link(page.path("links"), "next", "application/geo+json");
            if (nextLink != null) {
                assertThat(nextLink.path("href").asString()).contains("access_token=").contains("limit=97");
            }
            if (pages > 1) {
                assertThat(link(page.path("links"), "prev", "application/geo+json")).isNotNull();
            }
            next = nextLink == null ? null : nextLink.path("href").asString();
            assertThat(pages).isLessThan(100);
        }
        assertThat(seen).hasSize((int) expected);
        List<Long> raw = jdbc.sql("SELECT t.id FROM problem t JOIN grid g ON g.id = t.grid_id WHERE g.code LIKE ?").param(STREET + "%")
                .query(Long.class).list();
        assertThat(seen).containsExactlyInAnyOrderElementsOf(raw);
    }

    @Test
    void nextLinksKeepTheFilterAndBbox() throws Exception {
        String filter = "status = 'CLOSED'";
        long expected = scopedProblems("t.status = 'CLOSED' AND ST_Intersects(t.location, ST_MakeEnvelope(120.5, 31.2, 120.8, 31.4, 4326))");
        Set<Long> seen = new HashSet<>();
        String next = url("/ogc/collections/problems/items", "limit=50&bbox=120.5,31.2,120.8,31.4&filter=" + enc(filter));
        while (next != null) {
            JsonNode page = ok(next);
            page.path("features").forEach(f -> {
                assertThat(f.path("properties").path("status").asString()).isEqualTo("CLOSED");
                seen.add(f.path("id").asLong());
            });
            JsonNode nextLink = link(page.path("links"), "next", "application/geo+json");
            next = nextLink == null ? null : nextLink.path("href").asString();
        }
        assertThat(seen).hasSize((int) expected);
        assertThat(expected).isPositive();
    }

    @Test
    void bboxSelectsWhatIntersectsIt() throws Exception {
        String box = "120.60,31.30,120.63,31.33";
        JsonNode points = ok(url("/ogc/collections/points/items", "limit=10000&bbox=" + box));
        long raw = jdbc.sql("""
                SELECT count(*) FROM measurement_point t JOIN grid g ON g.id = t.grid_id
                WHERE g.code LIKE ? AND ST_Intersects(t.geom, ST_MakeEnvelope(120.60, 31.30, 120.63, 31.33, 4326))""")
                .param(STREET + "%").query(Long.class).single();
        assertThat(points.path("numberMatched").asLong()).isEqualTo(raw);
        assertThat(points.path("features").size()).isEqualTo((int) raw);

        JsonNode grids = ok(url("/ogc/collections/grids/items", "limit=10000&bbox=" + box));
        long rawGrids = jdbc.sql("""
                SELECT count(*) FROM grid t WHERE t.valid_to IS NULL AND t.code LIKE ?
                AND ST_Intersects(t.boundary, ST_MakeEnvelope(120.60, 31.30, 120.63, 31.33, 4326))""").param(STREET + "%").query(Long.class).single();
        assertThat(grids.path("numberMatched").asLong()).isEqualTo(rawGrids);

        // The same box in EPSG:4326 axis order (lat, lon) selects the same features.
        JsonNode latLon = ok(url("/ogc/collections/points/items", "limit=10000&bbox=31.30,120.60,31.33,120.63&bbox-crs=" + enc(EPSG_4326)));
        assertThat(latLon.path("numberMatched").asLong()).isEqualTo(raw);
        // And in Web Mercator.
        double[] m = jdbc.sql("""
                SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
                FROM ST_Transform(ST_MakeEnvelope(120.60, 31.30, 120.63, 31.33, 4326), 3857) b""")
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)}).single();
        JsonNode mercator = ok(url("/ogc/collections/points/items", "limit=10000&bbox=" + m[0] + "," + m[1] + "," + m[2] + "," + m[3]
                + "&bbox-crs=" + enc(EPSG_3857)));
        assertThat(mercator.path("numberMatched").asLong()).isEqualTo(raw);
    }

    @Test
    void limitOutsideItsBoundsAndUnknownParametersAre400() throws Exception {
        for (String bad : List.of("limit=0", "limit=10001", "limit=-5", "limit=many", "offset=-1", "bbox=1,2,3", "bbox=120,31,a,32",
                "crs=" + enc("http://www.opengis.net/def/crs/EPSG/0/2000"), "bbox-crs=EPSG:9999", "datetime=yesterday", "f=xml", "colour=red",
                "filter-lang=cql2-json&filter=" + enc("status = 'CLOSED'"))) {
            MockHttpServletResponse response = call(url("/ogc/collections/problems/items", bad));
            assertThat(response.getStatus()).as(bad).isEqualTo(400);
        }
        assertThat(ok(url("/ogc/collections/problems/items", "limit=10000")).path("numberReturned").asInt()).isEqualTo((int) scopedProblems("true"));
        assertThat(ok(url("/ogc/collections/problems/items", null)).path("numberReturned").asInt()).isEqualTo(100);
    }

    @Test
    void aFeatureOutsideTheScopeIs404AndInsideItIsTheFeature() throws Exception {
        long inside = jdbc.sql("SELECT min(t.id) FROM problem t JOIN grid g ON g.id = t.grid_id WHERE g.code LIKE ?").param(STREET + "%")
                .query(Long.class).single();
        long outside = jdbc.sql("SELECT min(t.id) FROM problem t JOIN grid g ON g.id = t.grid_id WHERE g.code NOT LIKE ?").param(STREET + "%")
                .query(Long.class).single();
        JsonNode feature = ok(url("/ogc/collections/problems/items/" + inside, null));
        assertThat(feature.path("type").asString()).isEqualTo("Feature");
        assertThat(feature.path("id").asLong()).isEqualTo(inside);
        assertThat(link(feature.path("links"), "self", "application/geo+json")).isNotNull();
        assertThat(link(feature.path("links"), "collection", "application/json")).isNotNull();
        assertThat(call(url("/ogc/collections/problems/items/" + outside, null)).getStatus()).isEqualTo(404);
        assertThat(call(url("/ogc/collections/problems/items/not-a-number", null)).getStatus()).isEqualTo(404);
        // Outside the scope also means absent from lists.
        JsonNode filtered = ok(url("/ogc/collections/problems/items", "filter=" + enc("id = " + outside)));
        assertThat(filtered.path("numberMatched").asLong()).isZero();
        // A point of one type is not in another type's collection.
        record Point(long id, String type) {
        }
        Point point = jdbc.sql("SELECT t.id, t.type_code FROM measurement_point t JOIN grid g ON g.id = t.grid_id WHERE g.code LIKE ? ORDER BY t.id LIMIT 1")
                .param(STREET + "%").query((rs, n) -> new Point(rs.getLong(1), rs.getString(2))).single();
        String own = "points-" + point.type().toLowerCase().replace('_', '-');
        assertThat(ok(url("/ogc/collections/" + own + "/items/" + point.id(), null)).path("id").asLong()).isEqualTo(point.id());
        String other = jdbc.sql("SELECT code FROM point_type WHERE code <> ? ORDER BY code LIMIT 1").param(point.type()).query(String.class).single();
        assertThat(call(url("/ogc/collections/points-" + other.toLowerCase().replace('_', '-') + "/items/" + point.id(), null)).getStatus()).isEqualTo(404);
        // The per-type collection holds exactly the scoped points of its type.
        long rawOfType = jdbc.sql("SELECT count(*) FROM measurement_point t JOIN grid g ON g.id = t.grid_id WHERE g.code LIKE ? AND t.type_code = ?")
                .param(STREET + "%").param(point.type()).query(Long.class).single();
        assertThat(ok(url("/ogc/collections/" + own + "/items", "limit=1")).path("numberMatched").asLong()).isEqualTo(rawOfType);
    }

    // ---- Part 2: CRS ----

    @Test
    void answersInOtherCrsTransformBackToTheStoredCoordinates() throws Exception {
        long id = jdbc.sql("SELECT min(t.id) FROM problem t JOIN grid g ON g.id = t.grid_id WHERE g.code LIKE ?").param(STREET + "%")
                .query(Long.class).single();
        double[] stored = jdbc.sql("SELECT ST_X(location), ST_Y(location) FROM problem WHERE id = ?").param(id)
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();

        MockHttpServletResponse crs84 = call(url("/ogc/collections/problems/items/" + id, null));
        assertThat(crs84.getHeader("Content-Crs")).isEqualTo("<" + CRS84 + ">");

        MockHttpServletResponse latLon = call(url("/ogc/collections/problems/items/" + id, "crs=" + enc(EPSG_4326)));
        assertThat(latLon.getHeader("Content-Crs")).isEqualTo("<" + EPSG_4326 + ">");
        JsonNode c4326 = json.readTree(latLon.getContentAsString(StandardCharsets.UTF_8)).path("geometry").path("coordinates");
        assertThat(c4326.get(0).asDouble()).as("latitude first").isCloseTo(stored[1], org.assertj.core.data.Offset.offset(1e-6));
        assertThat(c4326.get(1).asDouble()).isCloseTo(stored[0], org.assertj.core.data.Offset.offset(1e-6));

        MockHttpServletResponse mercator = call(url("/ogc/collections/problems/items/" + id, "crs=" + enc(EPSG_3857)));
        assertThat(mercator.getHeader("Content-Crs")).isEqualTo("<" + EPSG_3857 + ">");
        JsonNode c3857 = json.readTree(mercator.getContentAsString(StandardCharsets.UTF_8)).path("geometry").path("coordinates");
        assertThat(Math.abs(c3857.get(0).asDouble())).as("metres, not degrees").isGreaterThan(1_000_000);
        double[] back = jdbc.sql("SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 3857), 4326) p")
                .param(c3857.get(0).asDouble()).param(c3857.get(1).asDouble())
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();
        assertThat(back[0]).isCloseTo(stored[0], org.assertj.core.data.Offset.offset(1e-6));
        assertThat(back[1]).isCloseTo(stored[1], org.assertj.core.data.Offset.offset(1e-6));

        // Items pages carry the header too, and polygons are flipped vertex by vertex.
        MockHttpServletResponse grids = call(url("/ogc/collections/grids/items", "limit=1&crs=" + enc(EPSG_4326)));
        assertThat(grids.getHeader("Content-Crs")).isEqualTo("<" + EPSG_4326 + ">");
        JsonNode grid = json.readTree(grids.getContentAsString(StandardCharsets.UTF_8)).path("features").get(0);
        double[] firstVertex = jdbc.sql("SELECT ST_X(ST_PointN(ST_ExteriorRing(boundary), 1)), ST_Y(ST_PointN(ST_ExteriorRing(boundary), 1)) FROM grid WHERE id = ?")
                .param(grid.path("id").asLong()).query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();
        JsonNode vertex = grid.path("geometry").path("coordinates").get(0).get(0);
        assertThat(vertex.get(0).asDouble()).isCloseTo(firstVertex[1], org.assertj.core.data.Offset.offset(1e-6));
        assertThat(vertex.get(1).asDouble()).isCloseTo(firstVertex[0], org.assertj.core.data.Offset.offset(1e-6));
    }

    // ---- datetime ----

    @Test
    void datetimeSelectsProblemsByReportTime() throws Exception {
        // A window inside the demo city's recent problems of the street (other tests add fixtures years back).
        String window = "FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code LIKE '" + STREET + "%'";
        String from = jdbc.sql("SELECT to_char(max(p.reported_at) - interval '40 days', 'YYYY-MM-DD') " + window).query(String.class).single();
        String to = jdbc.sql("SELECT to_char(max(p.reported_at) - interval '20 days', 'YYYY-MM-DD') " + window).query(String.class).single();
        long expected = scopedProblems("t.reported_at >= CAST('" + from + "' AS timestamp) AT TIME ZONE 'Asia/Shanghai' AND t.reported_at < CAST('"
                + to + "' AS timestamp) AT TIME ZONE 'Asia/Shanghai' + interval '1 day'");
        JsonNode page = ok(url("/ogc/collections/problems/items", "limit=1&datetime=" + from + "/" + to));
        assertThat(page.path("numberMatched").asLong()).isEqualTo(expected).isPositive();
        long after = scopedProblems("t.reported_at >= CAST('" + from + "' AS timestamp) AT TIME ZONE 'Asia/Shanghai'");
        assertThat(ok(url("/ogc/collections/problems/items", "limit=1&datetime=" + from + "/..")).path("numberMatched").asLong()).isEqualTo(after);
        // Current grids are valid today.
        long grids = jdbc.sql("SELECT count(*) FROM grid WHERE valid_to IS NULL AND code LIKE ?").param(STREET + "%").query(Long.class).single();
        assertThat(ok(url("/ogc/collections/grids/items", "limit=1&datetime=" + java.time.LocalDate.now())).path("numberMatched").asLong())
                .isEqualTo(grids);
    }

    // ---- Part 3: queryables and CQL2 ----

    @Test
    void queryablesListThePropertiesAsJsonSchema() throws Exception {
        MockHttpServletResponse response = call(url("/ogc/collections/problems/queryables", null));
        assertThat(response.getContentType()).startsWith("application/schema+json");
        JsonNode schema = json.readTree(response.getContentAsString(StandardCharsets.UTF_8));
        assertThat(schema.path("type").asString()).isEqualTo("object");
        assertThat(schema.path("$schema").asString()).contains("json-schema.org");
        assertThat(schema.path("properties").path("status").path("type").asString()).isEqualTo("string");
        assertThat(schema.path("properties").path("status").path("enum").size()).isEqualTo(9);
        assertThat(schema.path("properties").path("reported_at").path("format").asString()).isEqualTo("date-time");
        assertThat(schema.path("properties").path("point_id").path("type").asString()).isEqualTo("integer");
        assertThat(schema.path("properties").has("description")).isFalse();
    }

    @Test
    void cql2FiltersSelectWhatTheSameSqlSelects() throws Exception {
        String cutoff = jdbc.sql("SELECT to_char(min(reported_at) + interval '30 days', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM problem")
                .query(String.class).single();
        record Case(String filter, String sql) {
        }
        List<Case> cases = List.of(
                new Case("status = 'CLOSED'", "t.status = 'CLOSED'"),
                new Case("status <> 'CLOSED' AND light = 'RED'", "t.status <> 'CLOSED' AND problem_light(t.status, t.warning_at, t.deadline_at, now()) = 'RED'"),
                new Case("status IN ('REPORTED', 'ACCEPTED') OR category LIKE 'ILLEGAL%'",
                        "(t.status IN ('REPORTED', 'ACCEPTED') OR t.category_code LIKE 'ILLEGAL%')"),
                new Case("NOT (closed_at IS NULL) AND reported_at >= TIMESTAMP('" + cutoff + "')",
                        "t.closed_at IS NOT NULL AND t.reported_at >= TIMESTAMP WITH TIME ZONE '" + cutoff + "'"),
                new Case("deadline_at < DATE('2026-11-15') AND point_id IS NOT NULL",
                        "t.deadline_at < CAST('2026-11-15' AS timestamp) AT TIME ZONE 'Asia/Shanghai' AND t.point_id IS NOT NULL"),
                new Case("id >= 100 AND id < 2000 AND \"grid_code\" LIKE '3205080010%'",
                        "t.id >= 100 AND t.id < 2000 AND g.code LIKE '3205080010%'"),
                new Case("status = 'x'' OR 1=1 --'", "false"));
        for (Case c : cases) {
            long expected = scopedProblems(c.sql());
            JsonNode page = ok(url("/ogc/collections/problems/items", "limit=1&filter-lang=cql2-text&filter=" + enc(c.filter())));
            assertThat(page.path("numberMatched").asLong()).as(c.filter()).isEqualTo(expected);
        }
        assertThat(scopedProblems("t.status = 'CLOSED'")).isPositive();
        // A point-type filter on the all-points collection.
        long banks = jdbc.sql("SELECT count(*) FROM measurement_point t JOIN grid g ON g.id = t.grid_id WHERE g.code LIKE ? AND t.type_code = 'BANK'")
                .param(STREET + "%").query(Long.class).single();
        assertThat(ok(url("/ogc/collections/points/items", "limit=1&filter=" + enc("type_code = 'BANK'"))).path("numberMatched").asLong()).isEqualTo(banks);
    }

    @Test
    void aFilterThatCannotBeReadIs400NamingThePosition() throws Exception {
        for (String bad : List.of("status = ", "status == 'CLOSED'", "colour = 'red'", "status = 3", "reported_at > '2026-01-01'",
                "(status = 'CLOSED'", "status LIKE 5", "status = 'CLOSED' AND", "id IN (1, 2")) {
            MockHttpServletResponse response = call(url("/ogc/collections/problems/items", "filter=" + enc(bad)));
            assertThat(response.getStatus()).as(bad).isEqualTo(400);
            JsonNode problem = json.readTree(response.getContentAsString(StandardCharsets.UTF_8));
            assertThat(problem.path("parameter").asString()).isEqualTo("filter");
            assertThat(problem.path("detail").asString()).as(bad).contains("position");
        }
    }

    // ---- HTML ----

    @Test
    void htmlPagesAreEscapedAndScriptFree() throws Exception {
        for (String path : List.of("/ogc", "/ogc/collections", "/ogc/collections/problems", "/ogc/collections/points/items")) {
            MockHttpServletResponse response = call(url(path, "f=html"));
            assertThat(response.getStatus()).as(path).isEqualTo(200);
            assertThat(response.getContentType()).startsWith("text/html");
            String page = response.getContentAsString(StandardCharsets.UTF_8);
            assertThat(page).startsWith("<!DOCTYPE html>").doesNotContain("<script").doesNotContain("style=");
        }
        MockHttpServletResponse browser = mvc.perform(get(URI.create(url("/ogc/collections", null)))
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).andReturn().getResponse();
        assertThat(browser.getContentType()).startsWith("text/html");
        // A point whose name carries markup is shown as text.
        long pointId = jdbc.sql("SELECT t.id FROM measurement_point t JOIN grid g ON g.id = t.grid_id WHERE g.code LIKE ? ORDER BY t.id LIMIT 1")
                .param(STREET + "%").query(Long.class).single();
        String name = jdbc.sql("SELECT name FROM measurement_point WHERE id = ?").param(pointId).query(String.class).single();
        try {
            jdbc.sql("UPDATE measurement_point SET name = '<img src=x onerror=alert(1)>' WHERE id = ?").param(pointId).update();
            String page = call(url("/ogc/collections/points/items/" + pointId, "f=html")).getContentAsString(StandardCharsets.UTF_8);
            assertThat(page).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img");
        } finally {
            jdbc.sql("UPDATE measurement_point SET name = ? WHERE id = ?").param(name).param(pointId).update();
        }
    }
}
