package org.civicgrid.open311;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.ApiTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Open311 GeoReport v2 as a hotline system would use it: discovery, services, a POST that becomes a
 * reported problem in the right grid at the nearest point, queries with the spec's filters, the
 * open/closed mapping, and errors as the spec's code/description list in JSON and XML.
 */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Open311Test {

    private static final String STREET = "320508001";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    ApiTokens tokens;

    private String inspectorKey;
    private String plannerKey;

    @BeforeAll
    void issueKeys() {
        inspectorKey = tokenOf("street_inspector");
        plannerKey = tokenOf("planner");
    }

    private String tokenOf(String username) {
        long id = jdbc.sql("SELECT id FROM app_user WHERE username = ?").param(username).query(Long.class).single();
        return tokens.issue(id, "open311 test", null).token();
    }

    private MockHttpServletResponse perform(org.springframework.test.web.servlet.RequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }

    private JsonNode okJson(org.springframework.test.web.servlet.RequestBuilder request) throws Exception {
        MockHttpServletResponse response = perform(request);
        assertThat(response.getStatus()).as(response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.getContentType()).startsWith("application/json");
        return json.readTree(response.getContentAsString(StandardCharsets.UTF_8));
    }

    private static Document xml(MockHttpServletResponse response) throws Exception {
        assertThat(response.getContentType()).startsWith("text/xml");
        String body = response.getContentAsString(StandardCharsets.UTF_8);
        assertThat(body).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> values(JsonNode array, String field) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(n -> values.add(n.path(field).asString()));
        return values;
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent();
    }

    @Test
    void discoveryNamesTheEndpointAndItsFormats() throws Exception {
        JsonNode discovery = okJson(get("/open311/v2/discovery.json").param("api_key", inspectorKey));
        JsonNode endpoint = discovery.path("endpoints").get(0);
        assertThat(endpoint.path("specification").asString()).isEqualTo("http://wiki.open311.org/GeoReport_v2");
        assertThat(endpoint.path("url").asString()).isEqualTo("http://localhost/open311/v2");
        assertThat(endpoint.path("formats").toString()).contains("text/xml").contains("application/json");

        Document xml = xml(perform(get("/open311/v2/discovery.xml").param("api_key", inspectorKey)));
        assertThat(xml.getDocumentElement().getTagName()).isEqualTo("discovery");
        assertThat(xml.getElementsByTagName("endpoint").getLength()).isEqualTo(1);
        assertThat(xml.getElementsByTagName("format").getLength()).isEqualTo(2);
    }

    @Test
    void everyProblemCategoryIsAServiceInJsonAndXml() throws Exception {
        List<String> categories = jdbc.sql("SELECT code FROM problem_category ORDER BY code").query(String.class).list();
        JsonNode services = okJson(get("/open311/v2/services.json").header("X-API-Token", inspectorKey));
        assertThat(services.size()).isEqualTo(categories.size());
        List<String> codes = new java.util.ArrayList<>();
        services.forEach(s -> {
            codes.add(s.path("service_code").asString());
            assertThat(s.path("metadata").asBoolean()).isTrue();
            assertThat(s.path("type").asString()).isEqualTo("realtime");
            assertThat(s.path("service_name").asString()).isNotBlank();
        });
        assertThat(codes).containsExactlyInAnyOrderElementsOf(categories);

        Document xml = xml(perform(get("/open311/v2/services.xml").param("api_key", inspectorKey)));
        assertThat(xml.getDocumentElement().getTagName()).isEqualTo("services");
        assertThat(xml.getElementsByTagName("service").getLength()).isEqualTo(categories.size());
        String name = jdbc.sql("SELECT name_zh FROM problem_category WHERE code = 'EXPOSED_GARBAGE'").query(String.class).single();
        boolean found = false;
        for (int i = 0; i < xml.getElementsByTagName("service").getLength(); i++) {
            Element s = (Element) xml.getElementsByTagName("service").item(i);
            if (text(s, "service_code").equals("EXPOSED_GARBAGE")) {
                found = text(s, "service_name").equals(name);
            }
        }
        assertThat(found).as("EXPOSED_GARBAGE named %s in XML", name).isTrue();

        JsonNode definition = okJson(get("/open311/v2/services/EXPOSED_GARBAGE.json").param("api_key", inspectorKey));
        assertThat(definition.path("service_code").asString()).isEqualTo("EXPOSED_GARBAGE");
        assertThat(values(definition.path("attributes"), "code")).contains("point_name");
        Document definitionXml = xml(perform(get("/open311/v2/services/EXPOSED_GARBAGE.xml").param("api_key", inspectorKey)));
        assertThat(definitionXml.getDocumentElement().getTagName()).isEqualTo("service_definition");
        assertThat(definitionXml.getElementsByTagName("attribute").getLength()).isEqualTo(definition.path("attributes").size());
    }

    @Test
    void aPostedRequestBecomesAReportedProblemInTheRightGridAtTheNearestPoint() throws Exception {
        // 15 m east of a point of the street: the grid is the one containing that place; the point the nearest.
        record Place(double lon, double lat) {
        }
        Place place = jdbc.sql("""
                SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
                    SELECT ST_Translate(mp.geom, 0.00015, 0) AS p FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id
                    WHERE g.code LIKE ? AND ST_Dimension(mp.geom) = 0 ORDER BY mp.id LIMIT 1) x""").param(STREET + "%")
                .query((rs, n) -> new Place(rs.getDouble(1), rs.getDouble(2))).single();
        String expectedGrid = jdbc.sql("SELECT code FROM grid WHERE valid_to IS NULL AND ST_Covers(boundary, ST_SetSRID(ST_MakePoint(?, ?), 4326))")
                .param(place.lon()).param(place.lat()).query(String.class).single();
        long expectedPoint = jdbc.sql("""
                SELECT mp.id FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id WHERE g.code LIKE ?
                ORDER BY mp.geom <-> ST_SetSRID(ST_MakePoint(?, ?), 4326) LIMIT 1""").param(STREET + "%").param(place.lon()).param(place.lat())
                .query(Long.class).single();

        MockHttpServletResponse response = perform(post("/open311/v2/requests.json").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("api_key", inspectorKey).param("service_code", "EXPOSED_GARBAGE").param("lat", String.valueOf(place.lat()))
                .param("long", String.valueOf(place.lon())).param("description", "垃圾桶旁有暴露垃圾")
                .param("media_url", "https://hotline.example.org/photos/123.jpg").param("attribute[point_name]", "桥边公厕"));
        assertThat(response.getStatus()).as(response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(201);
        JsonNode receipt = json.readTree(response.getContentAsString(StandardCharsets.UTF_8));
        long id = Long.parseLong(receipt.get(0).path("service_request_id").asString());

        record Stored(String status, String grid, Long point, String mediaUrl, String description, String reporter) {
        }
        Stored stored = jdbc.sql("""
                SELECT p.status, g.code, p.point_id, p.media_url, p.description, u.username
                FROM problem p JOIN grid g ON g.id = p.grid_id JOIN app_user u ON u.id = p.reporter_id WHERE p.id = ?""").param(id)
                .query((rs, n) -> new Stored(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6))).single();
        assertThat(stored.status()).isEqualTo("REPORTED");
        assertThat(stored.grid()).isEqualTo(expectedGrid);
        assertThat(stored.point()).isEqualTo(expectedPoint);
        assertThat(stored.mediaUrl()).isEqualTo("https://hotline.example.org/photos/123.jpg");
        assertThat(stored.description()).contains("垃圾桶旁有暴露垃圾").contains("桥边公厕");
        assertThat(stored.reporter()).isEqualTo("street_inspector");
        assertThat(jdbc.sql("SELECT count(*) FROM problem_event WHERE problem_id = ? AND action = 'REPORT'").param(id).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT array_agg(action ORDER BY action)::text FROM audit_log WHERE object_type = 'problem' AND object_id = ?")
                .param(String.valueOf(id)).query(String.class).single()).contains("OPEN311_REQUEST").contains("PROBLEM_REPORTED");

        // The new request reads back in both formats, open, with its media URL and point.
        JsonNode read = okJson(get("/open311/v2/requests/{id}.json", id).param("api_key", inspectorKey));
        assertThat(read.get(0).path("status").asString()).isEqualTo("open");
        assertThat(read.get(0).path("service_code").asString()).isEqualTo("EXPOSED_GARBAGE");
        assertThat(read.get(0).path("media_url").asString()).isEqualTo("https://hotline.example.org/photos/123.jpg");
        assertThat(read.get(0).path("address_id").asString()).isEqualTo(String.valueOf(expectedPoint));
        assertThat(read.get(0).path("lat").asDouble()).isCloseTo(place.lat(), org.assertj.core.data.Offset.offset(1e-9));
        Document xml = xml(perform(get("/open311/v2/requests/{id}.xml", id).param("api_key", inspectorKey)));
        assertThat(xml.getDocumentElement().getTagName()).isEqualTo("service_requests");
        assertThat(text((Element) xml.getElementsByTagName("request").item(0), "service_request_id")).isEqualTo(String.valueOf(id));

        // An XML POST answers in XML.
        Document created = xml(perform(post("/open311/v2/requests.xml").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("api_key", inspectorKey).param("service_code", "ILLEGAL_PARKING").param("lat", String.valueOf(place.lat()))
                .param("long", String.valueOf(place.lon())).param("description", "人行道上停车 <b>&</b>")));
        String createdId = created.getElementsByTagName("service_request_id").item(0).getTextContent();
        assertThat(jdbc.sql("SELECT description FROM problem WHERE id = ?").param(Long.parseLong(createdId)).query(String.class).single())
                .isEqualTo("人行道上停车 <b>&</b>");
    }

    @Test
    void anUploadedPhotoBecomesTheProblemsBeforePhoto() throws Exception {
        double[] place = jdbc.sql("""
                SELECT ST_X(c), ST_Y(c) FROM grid g CROSS JOIN LATERAL ST_PointOnSurface(g.boundary) c
                WHERE g.valid_to IS NULL AND g.code LIKE ? ORDER BY g.code LIMIT 1""").param(STREET + "%")
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", png);
        MockHttpServletResponse response = perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart("/open311/v2/requests.json")
                .file(new org.springframework.mock.web.MockMultipartFile("media", "photo.png", "image/png", png.toByteArray()))
                .param("api_key", inspectorKey).param("service_code", "EXPOSED_GARBAGE").param("lat", String.valueOf(place[1]))
                .param("long", String.valueOf(place[0])).param("description", "带照片的上报"));
        assertThat(response.getStatus()).as(response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(201);
        long id = Long.parseLong(json.readTree(response.getContentAsString(StandardCharsets.UTF_8)).get(0).path("service_request_id").asString());
        assertThat(jdbc.sql("""
                SELECT count(*) FROM problem_event e JOIN problem_event_photo ep ON ep.event_id = e.id
                WHERE e.problem_id = ? AND e.action = 'REPORT' AND ep.purpose = 'BEFORE'""").param(id).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void requestsAreFilteredByCodeDateAndStatusInsideTheScope() throws Exception {
        String start = jdbc.sql("SELECT to_char((now() - interval '40 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')").query(String.class).single();
        String end = jdbc.sql("SELECT to_char((now() - interval '20 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')").query(String.class).single();
        String code = jdbc.sql("""
                SELECT p.category_code FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code LIKE ?
                GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""").param(STREET + "%").query(String.class).single();
        String condition = " FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code LIKE '" + STREET + "%' AND p.category_code = '" + code
                + "' AND p.reported_at BETWEEN TIMESTAMP WITH TIME ZONE '" + start + "' AND TIMESTAMP WITH TIME ZONE '" + end + "'";
        long all = jdbc.sql("SELECT count(*)" + condition).query(Long.class).single();
        long open = jdbc.sql("SELECT count(*)" + condition + " AND p.status NOT IN ('CLOSED', 'REJECTED')").query(Long.class).single();
        assertThat(all).isPositive().isGreaterThan(open);

        JsonNode everything = okJson(get("/open311/v2/requests.json").param("api_key", inspectorKey).param("service_code", code)
                .param("start_date", start).param("end_date", end));
        assertThat(everything.size()).isEqualTo((int) all);
        JsonNode onlyOpen = okJson(get("/open311/v2/requests.json").param("api_key", inspectorKey).param("service_code", code)
                .param("start_date", start).param("end_date", end).param("status", "open"));
        assertThat(onlyOpen.size()).isEqualTo((int) open);
        onlyOpen.forEach(r -> assertThat(r.path("status").asString()).isEqualTo("open"));
        JsonNode onlyClosed = okJson(get("/open311/v2/requests.json").param("api_key", inspectorKey).param("service_code", code)
                .param("start_date", start).param("end_date", end).param("status", "closed"));
        assertThat(onlyClosed.size()).isEqualTo((int) (all - open));

        Document xml = xml(perform(get("/open311/v2/requests.xml").param("api_key", inspectorKey).param("service_code", code)
                .param("start_date", start).param("end_date", end)));
        assertThat(xml.getElementsByTagName("request").getLength()).isEqualTo((int) all);

        // By id: inside the scope it is there, outside it is not (and a single outside request is 404).
        long inside = jdbc.sql("SELECT min(p.id) FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code LIKE ?").param(STREET + "%")
                .query(Long.class).single();
        long outside = jdbc.sql("SELECT min(p.id) FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code NOT LIKE ?").param(STREET + "%")
                .query(Long.class).single();
        JsonNode byId = okJson(get("/open311/v2/requests.json").param("api_key", inspectorKey).param("service_request_id", inside + "," + outside));
        assertThat(values(byId, "service_request_id")).containsExactly(String.valueOf(inside));
        assertThat(perform(get("/open311/v2/requests/{id}.json", outside).param("api_key", inspectorKey)).getStatus()).isEqualTo(404);
    }

    @Test
    void closedAndRejectedProblemsAreClosedWithTheLatestNote() throws Exception {
        long id = jdbc.sql("""
                SELECT min(p.id) FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code LIKE ? AND p.status = 'DISPATCHED'""")
                .param(STREET + "%").query(Long.class).single();
        assertThat(okJson(get("/open311/v2/requests/{id}.json", id).param("api_key", inspectorKey)).get(0).path("status").asString()).isEqualTo("open");
        jdbc.sql("UPDATE problem SET status = 'CLOSED', closed_at = now() WHERE id = ?").param(id).update();
        jdbc.sql("INSERT INTO problem_event (problem_id, action, from_status, to_status, note) VALUES (?, 'CLOSE', 'SUBMITTED', 'CLOSED', '核查通过，已结案')")
                .param(id).update();
        JsonNode closed = okJson(get("/open311/v2/requests/{id}.json", id).param("api_key", inspectorKey)).get(0);
        assertThat(closed.path("status").asString()).isEqualTo("closed");
        assertThat(closed.path("status_notes").asString()).isEqualTo("核查通过，已结案");

        long rejected = jdbc.sql("SELECT min(p.id) FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code LIKE ? AND p.status = 'REJECTED'")
                .param(STREET + "%").query(Long.class).single();
        assertThat(okJson(get("/open311/v2/requests/{id}.json", rejected).param("api_key", inspectorKey)).get(0).path("status").asString())
                .isEqualTo("closed");
        assertThat(Open311Controller.status("SUSPENDED")).isEqualTo("open");
        assertThat(Open311Controller.status("SUBMITTED")).isEqualTo("open");
    }

    @Test
    void errorsComeAsTheSpecsListInJsonAndXml() throws Exception {
        // 400: a place outside every grid of the caller's area, a missing service code, a bad date.
        double[] outside = jdbc.sql("""
                SELECT ST_X(c), ST_Y(c) FROM grid g CROSS JOIN LATERAL ST_PointOnSurface(g.boundary) c
                WHERE g.valid_to IS NULL AND g.code NOT LIKE ? ORDER BY g.code LIMIT 1""").param(STREET + "%")
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();
        long before = jdbc.sql("SELECT count(*) FROM problem").query(Long.class).single();
        MockHttpServletResponse far = perform(post("/open311/v2/requests.json").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("api_key", inspectorKey).param("service_code", "EXPOSED_GARBAGE").param("lat", String.valueOf(outside[1]))
                .param("long", String.valueOf(outside[0])).param("description", "不在我的辖区"));
        assertThat(far.getStatus()).isEqualTo(400);
        JsonNode errors = json.readTree(far.getContentAsString(StandardCharsets.UTF_8));
        assertThat(errors.isArray()).isTrue();
        assertThat(errors.get(0).path("code").asInt()).isEqualTo(400);
        assertThat(errors.get(0).path("description").asString()).contains("lon/lat");
        assertThat(jdbc.sql("SELECT count(*) FROM problem").query(Long.class).single()).isEqualTo(before);

        MockHttpServletResponse noCode = perform(post("/open311/v2/requests.xml").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("api_key", inspectorKey).param("lat", "31.3").param("long", "120.6"));
        assertThat(noCode.getStatus()).isEqualTo(400);
        Document xml = xml(noCode);
        assertThat(xml.getDocumentElement().getTagName()).isEqualTo("errors");
        Element error = (Element) xml.getElementsByTagName("error").item(0);
        assertThat(text(error, "code")).isEqualTo("400");
        assertThat(text(error, "description")).contains("service_code");
        assertThat(perform(get("/open311/v2/requests.json").param("api_key", inspectorKey).param("start_date", "last week")).getStatus()).isEqualTo(400);
        assertThat(perform(get("/open311/v2/requests.json").param("api_key", inspectorKey).param("status", "pending")).getStatus()).isEqualTo(400);

        // 403: a planner's key may read but not report.
        MockHttpServletResponse planner = perform(post("/open311/v2/requests.json").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("api_key", plannerKey).param("service_code", "EXPOSED_GARBAGE").param("lat", "31.3").param("long", "120.6")
                .param("description", "规划员上报"));
        assertThat(planner.getStatus()).isEqualTo(403);
        assertThat(json.readTree(planner.getContentAsString(StandardCharsets.UTF_8)).get(0).path("code").asInt()).isEqualTo(403);
        MockHttpServletResponse plannerXml = perform(post("/open311/v2/requests.xml").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("api_key", plannerKey).param("service_code", "EXPOSED_GARBAGE").param("lat", "31.3").param("long", "120.6"));
        assertThat(plannerXml.getStatus()).isEqualTo(403);
        assertThat(text((Element) xml(plannerXml).getElementsByTagName("error").item(0), "code")).isEqualTo("403");
        assertThat(perform(get("/open311/v2/services.json").param("api_key", plannerKey)).getStatus()).isEqualTo(200);

        // 404: no such service or request, in both formats.
        MockHttpServletResponse noService = perform(get("/open311/v2/services/NO_SUCH_SERVICE.json").param("api_key", inspectorKey));
        assertThat(noService.getStatus()).isEqualTo(404);
        assertThat(json.readTree(noService.getContentAsString(StandardCharsets.UTF_8)).get(0).path("code").asInt()).isEqualTo(404);
        MockHttpServletResponse noRequest = perform(get("/open311/v2/requests/999999999.xml").param("api_key", inspectorKey));
        assertThat(noRequest.getStatus()).isEqualTo(404);
        assertThat(text((Element) xml(noRequest).getElementsByTagName("error").item(0), "code")).isEqualTo("404");

        // No key at all, or an unknown one: 401 before reaching Open311.
        assertThat(perform(get("/open311/v2/services.json")).getStatus()).isEqualTo(401);
        assertThat(perform(get("/open311/v2/services.json").param("api_key", "cg_not_a_key")).getStatus()).isEqualTo(401);
    }
}
