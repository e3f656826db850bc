package org.civicgrid.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The access-control matrix of {@code access-matrix.csv}: every endpoint × every role × (a target inside
 * the caller's area, a target outside it). Objects outside the caller's area are filtered in SQL
 * (absent from lists) or answer 404; roles that may not use an endpoint get 403.
 */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest {

    private static final String STREET_INSIDE = "320508001";
    private static final String STREET_OUTSIDE = "320508002";
    private static final List<String> COLUMNS = List.of("ANONYMOUS", "ADMIN", "LEADER", "PLANNER", "GRID_MANAGER", "INSPECTOR", "HANDLER");

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    org.civicgrid.photos.PhotoStore photos;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    /** What a request is about: an area, a point, a user, a token or an audit entry, inside or outside the caller's area. */
    private record Target(String gridCode, String communityCode, String gridBox, long pointId, String pointBox, long userId,
                          String auditObjectId, String scopeCode, double lon, double lat, long problemId, UUID photoId, long inspectionId) {
    }

    private final Map<String, String> callers = new LinkedHashMap<>();
    private Target inside;
    private Target outside;
    private Target insideForGridManager;
    private final String nonce = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void createCallersAndTargets() {
        callers.put("ADMIN", account("m_admin", "ADMIN", STREET_INSIDE, null));
        callers.put("LEADER", account("m_leader", "LEADER", STREET_INSIDE, null));
        callers.put("PLANNER", account("m_planner", "PLANNER", STREET_INSIDE, null));
        callers.put("INSPECTOR", account("m_inspector", "INSPECTOR", STREET_INSIDE, null));
        callers.put("HANDLER", account("m_handler", "HANDLER", STREET_INSIDE, "URBAN_MGMT_SQUAD"));
        inside = target(STREET_INSIDE, "in");
        outside = target(STREET_OUTSIDE, "out");
        String gridManager = jdbc.sql("""
                SELECT u.username FROM grid_owner o JOIN grid g ON g.id = o.grid_id JOIN app_user u ON u.id = o.user_id
                WHERE g.code = ? ORDER BY u.username LIMIT 1""").param(inside.gridCode()).query(String.class).single();
        callers.put("GRID_MANAGER", gridManager);
        insideForGridManager = inside;
    }

    @Test
    void everyEndpointHasARowAndEveryRowAnEndpoint() {
        Set<String> endpoints = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                if (pattern.equals("/error")) {
                    continue; // Spring Boot's error page, not our API
                }
                info.getMethodsCondition().getMethods().forEach(method -> endpoints.add(method.name() + " " + pattern));
            }
        }
        assertThat(new TreeSet<>(matrix().keySet())).as("endpoints in access-matrix.csv").isEqualTo(endpoints);
    }

    @TestFactory
    Stream<DynamicTest> everyRoleGetsItsExpectedOutcomeInsideAndOutsideItsArea() {
        List<DynamicTest> tests = new ArrayList<>();
        matrix().forEach((endpoint, expectations) -> expectations.forEach((column, cell) -> {
            String[] sides = cell.split("\\|");
            tests.add(DynamicTest.dynamicTest(endpoint + " as " + column + " inside → " + sides[0],
                    () -> check(endpoint, column, true, sides[0])));
            tests.add(DynamicTest.dynamicTest(endpoint + " as " + column + " outside → " + sides[1],
                    () -> check(endpoint, column, false, sides[1])));
        }));
        return tests.stream();
    }

    private void check(String endpoint, String column, boolean insideArea, String expected) throws Exception {
        String caller = callers.get(column);
        Target target = insideArea ? (column.equals("GRID_MANAGER") ? insideForGridManager : inside) : outside;
        AbstractMockHttpServletRequestBuilder<?> request = request(endpoint, caller, target);
        if (caller != null) {
            request = request.with(TestSignIn.as(jdbc, caller));
        }
        MockHttpServletResponse response = mvc.perform(request.with(csrf())).andReturn().getResponse();
        if (endpoint.startsWith("GET /tiles/") && response.getStatus() == 200) {
            boolean present = org.civicgrid.tiles.MvtDecoder.decode(response.getContentAsByteArray()).getOrDefault("grids", List.of()).stream()
                    .anyMatch(f -> target.gridCode().equals(f.properties().get("code")));
            assertThat(present).as("grid %s in the tile", target.gridCode()).isEqualTo(expected.equals("ok"));
            return;
        }
        boolean binary = endpoint.startsWith("GET /api/photos/{id}") && !endpoint.endsWith("/info");
        String body = binary ? "" : response.getContentAsString(StandardCharsets.UTF_8);
        if (binary && expected.equals("ok")) {
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentType()).startsWith("image/");
            return;
        }
        switch (expected) {
            case "ok" -> {
                assertThat(response.getStatus()).as(body).isEqualTo(200);
                assertThat(contains(endpoint, caller, body, target)).as("target in the answer: %s", body).isTrue();
            }
            case "empty" -> {
                assertThat(response.getStatus()).as(body).isEqualTo(200);
                assertThat(contains(endpoint, caller, body, target)).as("target must not be in the answer: %s", body).isFalse();
            }
            default -> assertThat(response.getStatus()).as(body).isEqualTo(Integer.parseInt(expected));
        }
    }

    private AbstractMockHttpServletRequestBuilder<?> request(String endpoint, String caller, Target target) {
        return switch (endpoint) {
            case "GET /api/map/config" -> get("/api/map/config");
            case "GET /api/point-types" -> get("/api/point-types");
            case "GET /api/departments" -> get("/api/departments");
            case "GET /api/problem-categories" -> get("/api/problem-categories");
            case "GET /api/areas" -> get("/api/areas");
            case "GET /api/layers/areas" -> get("/api/layers/areas").param("level", "community").param("bbox", target.gridBox());
            case "GET /api/layers/grids" -> get("/api/layers/grids").param("bbox", target.gridBox()).param("zoom", "16");
            case "GET /api/layers/points" -> get("/api/layers/points").param("bbox", target.pointBox()).param("zoom", "17");
            case "GET /api/me" -> get("/api/me");
            case "POST /api/me/password" -> jsonBody(post("/api/me/password"), "{\"currentPassword\":\"not-my-password-1\",\"newPassword\":\"Another-pass-2027\"}");
            case "GET /api/me/tokens" -> get("/api/me/tokens");
            case "POST /api/me/tokens" -> jsonBody(post("/api/me/tokens"), "{\"name\":\"matrix\",\"expiresInDays\":1}");
            case "DELETE /api/me/tokens/{id}" -> delete("/api/me/tokens/{id}", tokenOf(target == outside || caller == null ? "m_target_out_" + nonce : caller));
            case "GET /api/admin/users" -> get("/api/admin/users").param("q", "m_target_").param("limit", "500");
            case "GET /api/admin/users/{id}" -> get("/api/admin/users/{id}", target.userId());
            case "POST /api/admin/users" -> jsonBody(post("/api/admin/users"), """
                    {"username":"m_new_%s","displayName":"新建用户","password":"Matrix-pass-2026","roles":["INSPECTOR"],"scopeCodes":["%s"]}"""
                    .formatted(UUID.randomUUID().toString().substring(0, 12), target.scopeCode()));
            case "PUT /api/admin/users/{id}" -> jsonBody(put("/api/admin/users/{id}", target.userId()), """
                    {"displayName":"目标用户","phone":"","enabled":true,"roles":["INSPECTOR"],"scopeCodes":["%s"]}""".formatted(target.scopeCode()));
            case "POST /api/admin/users/{id}/password" -> jsonBody(post("/api/admin/users/{id}/password", target.userId()),
                    "{\"newPassword\":\"Reset-pass-2026\"}");
            case "GET /api/audit" -> get("/api/audit").param("objectId", target.auditObjectId());
            case "POST /api/photos" -> multipart("/api/photos").file(new MockMultipartFile("file", "photo.png", "image/png", TINY_PNG));
            case "GET /api/photos/{id}" -> get("/api/photos/{id}", target.photoId());
            case "GET /api/photos/{id}/thumbnail" -> get("/api/photos/{id}/thumbnail", target.photoId());
            case "GET /api/photos/{id}/info" -> get("/api/photos/{id}/info", target.photoId());
            case "GET /api/problems/{id}" -> get("/api/problems/{id}", target.problemId());
            case "POST /api/problems" -> jsonBody(post("/api/problems"), """
                    {"lon":%s,"lat":%s,"categoryCode":"EXPOSED_GARBAGE","description":"矩阵测试上报"}""".formatted(target.lon(), target.lat()));
            case "POST /api/problems/{id}/actions/{action}" -> jsonBody(post("/api/problems/{id}/actions/urge", target.problemId()),
                    "{\"version\":" + problemVersion(target.problemId()) + ",\"note\":\"请尽快整改\"}");
            case "POST /api/problems/bulk/{action}" -> jsonBody(post("/api/problems/bulk/urge"), "{\"ids\":[" + target.problemId() + "]}");
            case "GET /api/worklists" -> get("/api/worklists");
            case "GET /api/worklists/{name}" -> get("/api/worklists/red-and-urged").param("limit", "500");
            case "POST /api/inspections" -> jsonBody(post("/api/inspections"), "{\"pointId\":" + target.pointId() + "}");
            case "GET /api/inspections/{id}" -> get("/api/inspections/{id}", target.inspectionId());
            case "PUT /api/inspections/{id}/results" -> jsonBody(put("/api/inspections/{id}/results", target.inspectionId()),
                    "{\"version\":" + inspectionVersion(target.inspectionId()) + ",\"results\":[{\"itemCode\":\"" + firstItem(target.pointId())
                            + "\",\"outcome\":\"PASS\"}]}");
            case "POST /api/inspections/{id}/submit" -> jsonBody(post("/api/inspections/{id}/submit", target.inspectionId()),
                    "{\"version\":" + inspectionVersion(target.inspectionId()) + "}");
            case "GET /api/inspections/coverage" -> get("/api/inspections/coverage").param("days", "1").param("limit", "1000");
            case "GET /api/checklists/{pointTypeCode}" -> get("/api/checklists/{code}", "BANK");
            case "GET /api/admin/checklist-items" -> get("/api/admin/checklist-items").param("pointType", "BANK");
            case "PUT /api/admin/checklist-items/{code}" -> jsonBody(put("/api/admin/checklist-items/{code}", target == outside ? "NO-SUCH-ITEM" : "BANK-01"),
                    unchangedChecklistItem("BANK-01"));
            case "POST /api/admin/checklist-items" -> jsonBody(post("/api/admin/checklist-items"), """
                    {"code":"MATRIX-%s","pointTypeCode":"%s","sortOrder":990,"textZh":"矩阵测试","textEn":"matrix test","categoryCode":"EXPOSED_GARBAGE"}"""
                    .formatted(UUID.randomUUID().toString().substring(0, 8).toUpperCase(), target == outside ? "NO_SUCH_TYPE" : "BANK"));
            case "GET /api/points" -> get("/api/points").param("q", target.gridCode()).param("limit", "200");
            case "GET /api/points/{id}" -> get("/api/points/{id}", target.pointId());
            case "GET /api/layers/area-stats" -> get("/api/layers/area-stats").param("level", "grid").param("bbox", target.gridBox())
                    .param("metric", "closure");
            case "GET /api/areas/{code}/summary" -> get("/api/areas/{code}/summary", target.gridCode());
            case "GET /api/layers/problems" -> get("/api/layers/problems").param("bbox", target.pointBox()).param("zoom", "17");
            case "GET /api/search" -> get("/api/search").param("q", target.gridCode());
            case "GET /tiles/{layer}/{z}/{x}/{y}.mvt" -> {
                int[] tile = org.civicgrid.tiles.TileMath.tileOf(target.lon(), target.lat(), 16);
                yield get("/tiles/grids/16/{x}/{y}.mvt", tile[0], tile[1]);
            }
            case "GET /api/rankings" -> get("/api/rankings").param("level", "grid").param("week", "2025-03-03").param("within", target.communityCode());
            case "GET /api/rankings/weights" -> get("/api/rankings/weights");
            case "PUT /api/rankings/weights" -> jsonBody(put("/api/rankings/weights"),
                    jdbc.sql("SELECT json_object_agg(component, weight::float8)::text FROM ranking_weight").query(String.class).single());
            case "POST /api/evaluations/import" -> multipart("/api/evaluations/import").file(new MockMultipartFile("file", "eval.csv", "text/csv",
                    ("evaluation,evaluated_on,point_code,criterion,score,max_score\n市测,2020-03-01," + pointCode(target.pointId()) + ",矩阵测试,1,2\n")
                            .getBytes(StandardCharsets.UTF_8)));
            case "GET /api/evaluations" -> {
                evaluationOf(target.pointId());
                yield get("/api/evaluations").param("within", target.communityCode()).param("limit", "1000");
            }
            case "GET /api/campaign" -> get("/api/campaign");
            case "PUT /api/campaign" -> jsonBody(put("/api/campaign"), jdbc.sql("""
                    SELECT json_build_object('name', c.name, 'evaluationDate', c.evaluation_date, 'phases',
                           (SELECT json_agg(json_build_object('code', p.code, 'nameZh', p.name_zh, 'nameEn', p.name_en, 'startsOn', p.starts_on,
                                   'endsOn', p.ends_on) ORDER BY p.sort_order) FROM campaign_phase p WHERE p.campaign_id = c.id))::text
                    FROM campaign c WHERE c.id = 1""").query(String.class).single());
            case "GET /api/campaign/clearance" -> get("/api/campaign/clearance").param("level", "grid").param("within", target.communityCode());
            case "GET /api/indicators" -> get("/api/indicators").param("area", target.gridCode()).param("from", lastWeek()).param("to", today());
            case "GET /api/indicators/trend" -> get("/api/indicators/trend").param("area", target.gridCode()).param("weeks", "2");
            case "GET /api/indicators/breakdown" -> get("/api/indicators/breakdown").param("area", target.gridCode()).param("from", lastWeek())
                    .param("to", today()).param("by", "category");
            case "GET /api/heatmap" -> get("/api/heatmap").param("bbox", target.pointBox()).param("zoom", "17").param("from", lastWeek())
                    .param("to", today());
            case "GET /api/heatmap/hotspots" -> get("/api/heatmap/hotspots").param("bbox", target.pointBox()).param("zoom", "17")
                    .param("from", lastWeek()).param("to", today());
            case "GET /ogc" -> get("/ogc");
            case "GET /ogc/" -> get("/ogc/");
            case "GET /ogc/conformance" -> get("/ogc/conformance");
            case "GET /ogc/api" -> get("/ogc/api");
            case "GET /ogc/collections" -> get("/ogc/collections");
            case "GET /ogc/collections/{collectionId}" -> get("/ogc/collections/{id}", "problems");
            case "GET /ogc/collections/{collectionId}/queryables" -> get("/ogc/collections/{id}/queryables", "problems");
            case "GET /ogc/collections/{collectionId}/items" -> get("/ogc/collections/{id}/items", "problems").param("bbox", target.pointBox())
                    .param("limit", "10000");
            case "GET /ogc/collections/{collectionId}/items/{featureId}" -> get("/ogc/collections/{id}/items/{featureId}", "problems", target.problemId());
            case "GET /open311/v2/discovery.{format}" -> get("/open311/v2/discovery.json");
            case "GET /open311/v2/services.{format}" -> get("/open311/v2/services.json");
            case "GET /open311/v2/services/{code}.{format}" -> get("/open311/v2/services/{code}.json", "EXPOSED_GARBAGE");
            case "POST /open311/v2/requests.{format}" -> post("/open311/v2/requests.json").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .param("service_code", "EXPOSED_GARBAGE").param("lat", String.valueOf(target.lat())).param("long", String.valueOf(target.lon()))
                    .param("description", "矩阵测试 Open311 上报");
            case "GET /open311/v2/requests.{format}" -> get("/open311/v2/requests.json").param("service_request_id", String.valueOf(target.problemId()));
            case "GET /open311/v2/requests/{id}.{format}" -> get("/open311/v2/requests/{id}.json", target.problemId());
            case "POST /api/planning/drafts" -> jsonBody(post("/api/planning/drafts"), "{\"areaCode\":\"" + target.communityCode() + "\",\"name\":\"矩阵\"}");
            case "GET /api/planning/drafts" -> {
                planningDraft(target);
                yield get("/api/planning/drafts").param("areaCode", target.communityCode());
            }
            case "GET /api/planning/drafts/{id}" -> get("/api/planning/drafts/{id}", planningDraft(target));
            case "DELETE /api/planning/drafts/{id}" -> delete("/api/planning/drafts/{id}", freshPlanningDraft(target));
            case "POST /api/planning/drafts/{id}/grids" -> jsonBody(post("/api/planning/drafts/{id}/grids", freshPlanningDraft(target)),
                    "{\"name\":\"矩阵网格\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%s,%s],[%s,%s],[%s,%s],[%s,%s]]]}}".formatted(
                            target.lon(), target.lat(), target.lon() + 1e-4, target.lat(), target.lon(), target.lat() + 1e-4, target.lon(), target.lat()));
            case "PUT /api/planning/drafts/{id}/grids/{gridKey}" -> {
                long draft = freshPlanningDraft(target);
                yield jsonBody(put("/api/planning/drafts/{id}/grids/{key}", draft, firstDraftGrid(draft)).header("If-Match", "\"0\""),
                        "{\"name\":\"矩阵改名\"}");
            }
            case "DELETE /api/planning/drafts/{id}/grids/{gridKey}" -> {
                long draft = freshPlanningDraft(target);
                yield delete("/api/planning/drafts/{id}/grids/{key}", draft, firstDraftGrid(draft));
            }
            case "POST /api/planning/drafts/{id}/split" -> {
                long draft = freshPlanningDraft(target);
                yield jsonBody(post("/api/planning/drafts/{id}/split", draft), "{\"gridKey\":" + firstDraftGrid(draft)
                        + ",\"line\":{\"type\":\"LineString\",\"coordinates\":[[0,0],[0.001,0.001]]}}");
            }
            case "POST /api/planning/drafts/{id}/merge" -> {
                long draft = freshPlanningDraft(target);
                yield jsonBody(post("/api/planning/drafts/{id}/merge", draft), "{\"gridKeys\":[" + firstDraftGrid(draft) + "]}");
            }
            case "POST /api/planning/drafts/{id}/import" -> multipart("/api/planning/drafts/{id}/import", freshPlanningDraft(target));
            case "GET /api/planning/drafts/{id}/export" -> get("/api/planning/drafts/{id}/export", planningDraft(target)).param("format", "geojson");
            case "GET /api/planning/live/export" -> get("/api/planning/live/export").param("areaCode", target.communityCode()).param("format", "geojson");
            case "POST /api/planning/drafts/{id}/propose-code" -> jsonBody(post("/api/planning/drafts/{id}/propose-code", planningDraft(target)), "{}");
            case "GET /api/planning/drafts/{id}/validation" -> get("/api/planning/drafts/{id}/validation", planningDraft(target));
            case "POST /api/planning/drafts/{id}/validation" -> post("/api/planning/drafts/{id}/validation", planningDraft(target));
            case "POST /api/planning/drafts/{id}/fix" -> jsonBody(post("/api/planning/drafts/{id}/fix", planningDraft(target)), "{\"type\":\"GAP\"}");
            case "GET /api/planning/drafts/{id}/impact" -> get("/api/planning/drafts/{id}/impact", planningDraft(target));
            case "POST /api/planning/drafts/{id}/publish" -> jsonBody(post("/api/planning/drafts/{id}/publish", planningDraft(target)),
                    "{\"effectiveFrom\":\"2020-01-01\"}");
            case "GET /api/planning/history" -> get("/api/planning/history").param("areaCode", target.communityCode());
            case "GET /api/planning/grids" -> get("/api/planning/grids").param("areaCode", target.communityCode());
            default -> throw new IllegalStateException("access-matrix.csv names " + endpoint + " but the test cannot call it yet");
        };
    }

    private boolean contains(String endpoint, String caller, String body, Target target) throws IOException {
        JsonNode answer = json.readTree(body);
        return switch (endpoint) {
            case "GET /api/map/config", "GET /api/me" -> caller.equals(answer.path("user").path("username").asString(answer.path("username").asString()));
            case "GET /api/point-types", "GET /api/departments", "GET /api/problem-categories" -> answer.isArray() && !answer.isEmpty();
            case "GET /api/me/tokens" -> answer.isArray();
            case "GET /api/areas" -> anyMatch(answer, a -> a.path("code").asString().equals(target.gridCode()));
            case "GET /api/layers/areas" -> anyMatch(answer.path("features"), f -> f.path("properties").path("code").asString().equals(target.communityCode()));
            case "GET /api/layers/grids" -> anyMatch(answer.path("features"), f -> f.path("properties").path("code").asString().equals(target.gridCode()));
            case "GET /api/layers/points" -> anyMatch(answer.path("features"), f -> f.path("id").asLong() == target.pointId());
            case "GET /api/admin/users" -> anyMatch(answer, u -> u.path("id").asLong() == target.userId());
            case "GET /api/admin/users/{id}", "PUT /api/admin/users/{id}" -> answer.path("id").asLong() == target.userId();
            case "GET /api/audit" -> anyMatch(answer, e -> e.path("objectId").asString().equals(target.auditObjectId()));
            case "GET /api/photos/{id}/info" -> answer.path("id").asString().equals(target.photoId().toString());
            case "GET /api/problems/{id}", "POST /api/problems/{id}/actions/{action}" -> answer.path("id").asLong() == target.problemId();
            case "POST /api/problems/bulk/{action}" -> anyMatch(answer.path("succeeded"), id -> id.asLong() == target.problemId());
            case "GET /api/worklists", "GET /api/checklists/{pointTypeCode}", "GET /api/admin/checklist-items" -> answer.isArray() && !answer.isEmpty();
            case "GET /api/worklists/{name}" -> anyMatch(answer, p -> p.path("id").asLong() == target.problemId());
            case "GET /api/inspections/{id}", "PUT /api/inspections/{id}/results" -> answer.path("id").asLong() == target.inspectionId();
            case "GET /api/inspections/coverage", "GET /api/points" -> anyMatch(answer, p -> p.path("pointId").asLong(p.path("id").asLong()) == target.pointId());
            case "PUT /api/admin/checklist-items/{code}" -> answer.path("code").asString().equals("BANK-01");
            case "GET /api/points/{id}" -> answer.path("id").asLong() == target.pointId();
            case "GET /api/layers/area-stats" -> anyMatch(answer.path("features"), f -> f.path("properties").path("code").asString().equals(target.gridCode()));
            case "GET /api/areas/{code}/summary" -> answer.path("code").asString().equals(target.gridCode());
            case "GET /api/layers/problems" -> anyMatch(answer.path("features"), f -> f.path("properties").path("id").asLong() == target.problemId());
            case "GET /api/search" -> anyMatch(answer, h -> target.gridCode().equals(h.path("code").asString()) && h.path("kind").asString().equals("GRID"));
            case "GET /api/rankings" -> anyMatch(answer.path("rows"), r -> r.path("code").asString().equals(target.gridCode()));
            case "GET /api/rankings/weights", "PUT /api/rankings/weights" -> answer.path("closureRate").isNumber();
            case "GET /api/evaluations" -> anyMatch(answer, e -> e.path("pointCode").asString().equals(pointCode(target.pointId())));
            case "GET /api/campaign", "PUT /api/campaign" -> answer.path("phases").isArray() && !answer.path("phases").isEmpty();
            case "GET /api/campaign/clearance" -> anyMatch(answer.path("rows"), r -> r.path("code").asString().equals(target.gridCode()));
            case "GET /api/indicators", "GET /api/indicators/trend" -> answer.path("area").path("code").asString().equals(target.gridCode());
            case "GET /api/indicators/breakdown" -> anyMatch(answer.path("rows"),
                    r -> r.path("code").asString().equals("EXPOSED_GARBAGE") && r.path("reported").asLong() > 0);
            case "GET /api/heatmap" -> anyMatch(answer.path("features"), f -> f.path("properties").path("count").asLong() > 0);
            case "GET /api/heatmap/hotspots" -> anyMatch(answer.path("hotspots"), h -> h.path("count").asLong() > 0);
            case "GET /ogc", "GET /ogc/" -> anyMatch(answer.path("links"), l -> l.path("rel").asString().equals("data"));
            case "GET /ogc/conformance" -> anyMatch(answer.path("conformsTo"), c -> c.asString().endsWith("/ogcapi-features-1/1.0/conf/core"));
            case "GET /ogc/api" -> answer.path("paths").has("/collections/{collectionId}/items");
            case "GET /ogc/collections" -> anyMatch(answer.path("collections"), c -> c.path("id").asString().equals("problems"));
            case "GET /ogc/collections/{collectionId}" -> answer.path("id").asString().equals("problems");
            case "GET /ogc/collections/{collectionId}/queryables" -> answer.path("properties").has("status");
            case "GET /ogc/collections/{collectionId}/items" -> anyMatch(answer.path("features"), f -> f.path("id").asLong() == target.problemId());
            case "GET /ogc/collections/{collectionId}/items/{featureId}" -> answer.path("id").asLong() == target.problemId();
            case "GET /open311/v2/discovery.{format}" -> answer.path("endpoints").path(0).path("url").asString().endsWith("/open311/v2");
            case "GET /open311/v2/services.{format}" -> anyMatch(answer, s -> s.path("service_code").asString().equals("EXPOSED_GARBAGE"));
            case "GET /open311/v2/services/{code}.{format}" -> answer.path("service_code").asString().equals("EXPOSED_GARBAGE");
            case "GET /open311/v2/requests.{format}", "GET /open311/v2/requests/{id}.{format}" ->
                    anyMatch(answer, r -> r.path("service_request_id").asString().equals(String.valueOf(target.problemId())));
            case "GET /api/planning/drafts" -> anyMatch(answer.path("drafts"), d -> d.path("id").asLong() == planningDraft(target));
            case "GET /api/planning/drafts/{id}" -> answer.path("draft").path("id").asLong() == planningDraft(target);
            case "PUT /api/planning/drafts/{id}/grids/{gridKey}" -> answer.path("changedKeys").size() == 1
                    && anyMatch(answer.path("features"), f -> f.path("properties").path("name").asString().equals("矩阵改名"));
            case "DELETE /api/planning/drafts/{id}/grids/{gridKey}" -> answer.path("features").isArray() && answer.path("changedKeys").isEmpty();
            case "GET /api/planning/drafts/{id}/export", "GET /api/planning/live/export" ->
                    anyMatch(answer.path("features"), f -> f.path("properties").path("code").asString().equals(target.gridCode()));
            case "POST /api/planning/drafts/{id}/propose-code" -> answer.path("code").asString().startsWith(target.communityCode())
                    && answer.path("code").asString().length() == 15;
            case "GET /api/planning/drafts/{id}/validation", "POST /api/planning/drafts/{id}/validation" -> answer.path("valid").asBoolean();
            case "GET /api/planning/drafts/{id}/impact" -> anyMatch(answer.path("workload"), w -> w.path("code").asString().equals(target.gridCode()));
            case "GET /api/planning/history" -> answer.path("areaCode").asString().equals(target.communityCode())
                    && anyMatch(answer.path("versions"), v -> v.path("code").asString().equals(target.gridCode()));
            case "GET /api/planning/grids" -> anyMatch(answer.path("features"), f -> f.path("properties").path("code").asString().equals(target.gridCode()));
            default -> throw new IllegalStateException("No content check for " + endpoint);
        };
    }

    private static boolean anyMatch(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode node : array) {
            if (test.test(node)) {
                return true;
            }
        }
        return false;
    }

    private static MockHttpServletRequestBuilder jsonBody(MockHttpServletRequestBuilder request, String body) {
        return request.contentType(MediaType.APPLICATION_JSON).content(body);
    }

    /** A grid of the street with a point in it, a user scoped to its community, a token and an audit entry about it. */
    private Target target(String street, String side) {
        record GridWithPoint(String gridCode, String communityCode, String gridBox, long pointId, String pointBox) {
        }
        GridWithPoint grid = jdbc.sql("""
                SELECT g.code, g.community_code,
                       concat_ws(',', ST_X(c) - 1e-6, ST_Y(c) - 1e-6, ST_X(c) + 1e-6, ST_Y(c) + 1e-6) AS grid_box,
                       p.id, concat_ws(',', ST_X(p.geom) - 1e-6, ST_Y(p.geom) - 1e-6, ST_X(p.geom) + 1e-6, ST_Y(p.geom) + 1e-6) AS point_box
                FROM grid g CROSS JOIN LATERAL ST_PointOnSurface(g.boundary) c
                JOIN measurement_point p ON p.grid_id = g.id AND ST_Dimension(p.geom) = 0
                WHERE g.valid_to IS NULL AND g.code LIKE ? || '%'
                ORDER BY g.code, p.id LIMIT 1""").param(street)
                .query((rs, n) -> new GridWithPoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)))
                .single();
        String scopeCode = side.equals("in") ? grid.communityCode() : street;
        String username = account("m_target_" + side + "_" + nonce, "INSPECTOR", scopeCode, null);
        long userId = jdbc.sql("SELECT id FROM app_user WHERE username = ?").param(username).query(Long.class).single();
        String auditObjectId = "matrix-" + side + "-" + nonce;
        jdbc.sql("INSERT INTO audit_log (actor, action, object_type, object_id, area_code) VALUES ('test', 'MATRIX', 'matrix', ?, ?)")
                .param(auditObjectId).param(grid.gridCode()).update();
        double[] lonLat = jdbc.sql("SELECT ST_X(geom), ST_Y(geom) FROM measurement_point WHERE id = ?").param(grid.pointId())
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();
        long problemId = jdbc.sql("""
                INSERT INTO problem (point_id, category_code, status, location, description, reported_at, accepted_at, dispatched_at,
                                     warning_at, deadline_at, handler_department_code, urge_count)
                SELECT id, 'EXPOSED_GARBAGE', 'DISPATCHED', geom, '矩阵测试问题', now() - interval '2 days', now() - interval '2 days',
                       now() - interval '2 days', now() - interval '1 day', now() + interval '1 day', 'URBAN_MGMT_SQUAD', 1
                FROM measurement_point WHERE id = ? RETURNING id""").param(grid.pointId()).query(Long.class).single();
        UUID photoId = photos.store(TINY_PNG, new CurrentUser(userId, username, "矩阵测试", Set.of(Role.INSPECTOR),
                new CallerScope(List.of(scopeCode), java.util.Optional.empty()), "127.0.0.1", false)).id();
        long eventId = jdbc.sql("INSERT INTO problem_event (problem_id, action, to_status) VALUES (?, 'REPORT', 'REPORTED') RETURNING id")
                .param(problemId).query(Long.class).single();
        jdbc.sql("INSERT INTO problem_event_photo (event_id, photo_id, purpose) VALUES (?, ?, 'BEFORE')").param(eventId).param(photoId).update();
        long inspectionId = jdbc.sql("""
                INSERT INTO inspection (point_id, grid_id, inspector_id) SELECT mp.id, mp.grid_id, u.id
                FROM measurement_point mp, app_user u WHERE mp.id = ? AND u.username = 'm_inspector' RETURNING id""")
                .param(grid.pointId()).query(Long.class).single();
        return new Target(grid.gridCode(), grid.communityCode(), grid.gridBox(), grid.pointId(), grid.pointBox(), userId, auditObjectId,
                scopeCode, lonLat[0], lonLat[1], problemId, photoId, inspectionId);
    }

    private String account(String username, String role, String scopeCode, String department) {
        jdbc.sql("INSERT INTO app_user (username, display_name, department_code) VALUES (?, ?, ?) ON CONFLICT (username) DO NOTHING")
                .param(username).param("矩阵测试 " + role).param(department).update();
        jdbc.sql("INSERT INTO user_role (user_id, role) SELECT id, ? FROM app_user WHERE username = ? ON CONFLICT DO NOTHING")
                .param(role).param(username).update();
        jdbc.sql("""
                INSERT INTO user_area_scope (user_id, area_level, area_code) SELECT id, ?, ? FROM app_user WHERE username = ?
                ON CONFLICT DO NOTHING""").param(org.civicgrid.areas.AreaCodes.levelOf(scopeCode)).param(scopeCode).param(username).update();
        return username;
    }

    /** A fresh live token of the given user (inserted directly: the test needs an id, not the secret). */
    private long tokenOf(String username) {
        return jdbc.sql("""
                INSERT INTO api_token (user_id, name, token_hash, token_prefix)
                SELECT id, 'matrix', encode(sha256(gen_random_uuid()::text::bytea), 'hex'), 'cg_test' FROM app_user WHERE username = ?
                RETURNING id""").param(username).query(Long.class).single();
    }

    /** A valid 2×2 PNG, made with ImageIO. */
    private static final byte[] TINY_PNG = tinyPng();

    private static byte[] tinyPng() {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String today() {
        return java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
    }

    private static String lastWeek() {
        return java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(6).toString();
    }

    private long problemVersion(long id) {
        return jdbc.sql("SELECT version FROM problem WHERE id = ?").param(id).query(Long.class).single();
    }

    private long inspectionVersion(long id) {
        return jdbc.sql("SELECT version FROM inspection WHERE id = ?").param(id).query(Long.class).single();
    }

    private String firstItem(long pointId) {
        return jdbc.sql("""
                SELECT ci.code FROM checklist_item ci JOIN measurement_point mp ON mp.type_code = ci.point_type_code
                WHERE mp.id = ? ORDER BY ci.sort_order LIMIT 1""").param(pointId).query(String.class).single();
    }

    private String unchangedChecklistItem(String code) {
        return jdbc.sql("""
                SELECT json_build_object('sortOrder', sort_order, 'textZh', text_zh, 'textEn', text_en, 'categoryCode', category_code,
                                         'active', active)::text FROM checklist_item WHERE code = ?""").param(code).query(String.class).single();
    }

    private String pointCode(long pointId) {
        return jdbc.sql("SELECT external_id FROM measurement_point WHERE id = ?").param(pointId).query(String.class).single();
    }

    /** An imported external evaluation of the point, so that the listing has something to show. */
    private void evaluationOf(long pointId) {
        jdbc.sql("""
                WITH b AS (INSERT INTO evaluation_batch (file_name, row_count, imported_by) SELECT 'matrix', 1, min(id) FROM app_user RETURNING id)
                INSERT INTO external_evaluation (batch_id, evaluation, evaluated_on, point_id, criterion, score, max_score)
                SELECT b.id, 'CITY', DATE '2020-03-01', ?, '矩阵测试', 1, 2 FROM b""").param(pointId).update();
    }

    private final Map<String, Long> planningDrafts = new java.util.HashMap<>();

    /** One draft of the target's community, copied from its live grids (shared by the read-only requests). */
    private long planningDraft(Target target) {
        return planningDrafts.computeIfAbsent(target.communityCode(), c -> freshPlanningDraft(target));
    }

    /** A new draft of the target's community, for requests that change or close it. */
    private long freshPlanningDraft(Target target) {
        long id = jdbc.sql("""
                INSERT INTO draft (area_code, name, created_by, based_on)
                SELECT :c, '矩阵草稿', u.id, (SELECT coalesce(jsonb_object_agg(code, id), '{}') FROM grid WHERE valid_to IS NULL AND code LIKE :c || '%')
                FROM app_user u WHERE u.username = 'm_admin' RETURNING id""").param("c", target.communityCode()).query(Long.class).single();
        jdbc.sql("""
                INSERT INTO draft_grid (draft_id, code, name, geom, owner_ids, households, source_grid_id)
                SELECT :d, code, name, boundary, '{}', households, id FROM grid WHERE valid_to IS NULL AND code LIKE :c || '%' ORDER BY code""")
                .param("d", id).param("c", target.communityCode()).update();
        return id;
    }

    private long firstDraftGrid(long draft) {
        return jdbc.sql("SELECT min(id) FROM draft_grid WHERE draft_id = ?").param(draft).query(Long.class).single();
    }

    private static Map<String, Map<String, String>> matrix() {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        try (InputStream in = AccessMatrixTest.class.getResourceAsStream("/access-matrix.csv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            assertThat(lines.get(0)).isEqualTo("endpoint," + String.join(",", COLUMNS));
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                assertThat(cells).as("cells of %s", cells[0]).hasSize(COLUMNS.size() + 1);
                Map<String, String> byColumn = new LinkedHashMap<>();
                for (int i = 0; i < COLUMNS.size(); i++) {
                    byColumn.put(COLUMNS.get(i), cells[i + 1]);
                }
                rows.put(cells[0], byColumn);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
