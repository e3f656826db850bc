package org.civicgrid.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
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
import org.springframework.test.web.servlet.MockMvc;
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
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    /** What a request is about: an area, a point, a user, a token or an audit entry, inside or outside the caller's area. */
    private record Target(String gridCode, String communityCode, String gridBox, long pointId, String pointBox, long userId,
                          String auditObjectId, String scopeCode) {
    }

    private final Map<String, String> callers = new LinkedHashMap<>();
    private Target inside;
    private Target outside;
    private Target insideForGridManager;
    private final String nonce = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void createCallersAndTargets() {
        inside = target(STREET_INSIDE, "in");
        outside = target(STREET_OUTSIDE, "out");
        String gridManager = jdbc.sql("""
                SELECT u.username FROM grid_owner o JOIN grid g ON g.id = o.grid_id JOIN app_user u ON u.id = o.user_id
                WHERE g.code = ? ORDER BY u.username LIMIT 1""").param(inside.gridCode()).query(String.class).single();
        insideForGridManager = inside;
        callers.put("ADMIN", account("m_admin", "ADMIN", STREET_INSIDE, null));
        callers.put("LEADER", account("m_leader", "LEADER", STREET_INSIDE, null));
        callers.put("PLANNER", account("m_planner", "PLANNER", STREET_INSIDE, null));
        callers.put("GRID_MANAGER", gridManager);
        callers.put("INSPECTOR", account("m_inspector", "INSPECTOR", STREET_INSIDE, null));
        callers.put("HANDLER", account("m_handler", "HANDLER", STREET_INSIDE, "URBAN_MGMT_SQUAD"));
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
        MockHttpServletRequestBuilder request = request(endpoint, caller, target);
        if (caller != null) {
            request = request.with(TestSignIn.as(jdbc, caller));
        }
        MockHttpServletResponse response = mvc.perform(request.with(csrf())).andReturn().getResponse();
        String body = response.getContentAsString(StandardCharsets.UTF_8);
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

    private MockHttpServletRequestBuilder request(String endpoint, String caller, Target target) {
        return switch (endpoint) {
            case "GET /api/map/config" -> get("/api/map/config");
            case "GET /api/point-types" -> get("/api/point-types");
            case "GET /api/departments" -> get("/api/departments");
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
            default -> throw new IllegalStateException("access-matrix.csv names " + endpoint + " but the test cannot call it yet");
        };
    }

    private boolean contains(String endpoint, String caller, String body, Target target) throws IOException {
        JsonNode answer = json.readTree(body);
        return switch (endpoint) {
            case "GET /api/map/config", "GET /api/me" -> caller.equals(answer.path("user").path("username").asString(answer.path("username").asString()));
            case "GET /api/point-types", "GET /api/departments" -> answer.isArray() && !answer.isEmpty();
            case "GET /api/me/tokens" -> answer.isArray();
            case "GET /api/areas" -> anyMatch(answer, a -> a.path("code").asString().equals(target.gridCode()));
            case "GET /api/layers/areas" -> anyMatch(answer.path("features"), f -> f.path("properties").path("code").asString().equals(target.communityCode()));
            case "GET /api/layers/grids" -> anyMatch(answer.path("features"), f -> f.path("properties").path("code").asString().equals(target.gridCode()));
            case "GET /api/layers/points" -> anyMatch(answer.path("features"), f -> f.path("id").asLong() == target.pointId());
            case "GET /api/admin/users" -> anyMatch(answer, u -> u.path("id").asLong() == target.userId());
            case "GET /api/admin/users/{id}", "PUT /api/admin/users/{id}" -> answer.path("id").asLong() == target.userId();
            case "GET /api/audit" -> anyMatch(answer, e -> e.path("objectId").asString().equals(target.auditObjectId()));
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
        return new Target(grid.gridCode(), grid.communityCode(), grid.gridBox(), grid.pointId(), grid.pointBox(), userId, auditObjectId,
                scopeCode);
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
