package org.civicgrid.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.photos.PhotoStore;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.ObjectMapper;

/**
 * Every move × every state × every role, against the rules of domain.md §5 written out below by hand
 * (not read from the code): allowed moves answer 200 and reach the expected state, every other move
 * answers 409 naming the allowed ones, and a problem a handler's department does not hold is 404.
 */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoopMovesTest {

    /** action | from states | resulting state (= unchanged) | who (ASSIGNEE: the grid owner, or the handler department it went to). */
    private static final String RULES = """
            accept            | REPORTED                                     | ACCEPTED    | ADMIN LEADER INSPECTOR
            reject            | REPORTED                                     | REJECTED    | ADMIN LEADER INSPECTOR
            dispatch          | ACCEPTED                                     | DISPATCHED  | ADMIN LEADER INSPECTOR
            start             | DISPATCHED RETURNED                          | IN_PROGRESS | ASSIGNEE
            submit            | IN_PROGRESS RETURNED                         | SUBMITTED   | ASSIGNEE
            close             | SUBMITTED                                    | CLOSED      | INSPECTOR
            return            | SUBMITTED                                    | RETURNED    | INSPECTOR
            request-extension | DISPATCHED IN_PROGRESS RETURNED              | =           | ASSIGNEE
            approve-extension | DISPATCHED IN_PROGRESS RETURNED              | =           | LEADER
            deny-extension    | DISPATCHED IN_PROGRESS RETURNED              | =           | LEADER
            suspend           | ACCEPTED DISPATCHED IN_PROGRESS RETURNED     | SUSPENDED   | LEADER
            resume            | SUSPENDED                                    | IN_PROGRESS | LEADER
            reopen            | CLOSED REJECTED                              | *           | ADMIN LEADER INSPECTOR
            urge              | ACCEPTED DISPATCHED IN_PROGRESS SUBMITTED RETURNED | =     | LEADER
            supervise         | ACCEPTED DISPATCHED IN_PROGRESS SUBMITTED RETURNED | =     | LEADER
            """;
    private static final Map<String, String> USERS = new LinkedHashMap<>();

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PhotoStore photos;

    @Autowired
    ObjectMapper json;

    private LoopFixtures fixtures;
    private LoopFixtures.Stage stage;

    @BeforeAll
    void stage() {
        fixtures = new LoopFixtures(jdbc);
        stage = fixtures.stage();
        USERS.put("ADMIN", "admin");
        USERS.put("LEADER", "leader");
        USERS.put("PLANNER", "planner");
        USERS.put("GRID_MANAGER", stage.gridManager());
        USERS.put("INSPECTOR", "inspector");
        USERS.put("HANDLER", "handler");
    }

    private record Rule(String action, Set<ProblemStatus> from, String to, Set<String> who) {
    }

    private static List<Rule> rules() {
        return RULES.lines().filter(l -> !l.isBlank()).map(l -> l.split("\\|")).map(c -> new Rule(c[0].trim(),
                        EnumSet.copyOf(Arrays.stream(c[1].trim().split("\\s+")).map(ProblemStatus::valueOf).toList()), c[2].trim(),
                        Set.of(c[3].trim().split("\\s+"))))
                .toList();
    }

    @TestFactory
    Stream<DynamicTest> everyMoveInEveryStateForEveryRoleWithTheGridOwnerAssigned() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Rule rule : rules()) {
            for (ProblemStatus status : ProblemStatus.values()) {
                for (String role : USERS.keySet()) {
                    tests.add(DynamicTest.dynamicTest(rule.action() + " on " + status + " as " + role,
                            () -> check(rule, status, role, null)));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> aDepartmentsProblemIsWorkedByItsHandlerNotTheGridManager() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Rule rule : rules()) {
            if (!rule.who().contains("ASSIGNEE")) {
                continue;
            }
            for (ProblemStatus status : rule.from()) {
                for (String role : List.of("GRID_MANAGER", "HANDLER")) {
                    tests.add(DynamicTest.dynamicTest(rule.action() + " on " + status + " dispatched to a department, as " + role,
                            () -> check(rule, status, role, "URBAN_MGMT_SQUAD")));
                }
            }
        }
        return tests.stream();
    }

    private void check(Rule rule, ProblemStatus status, String role, String department) throws Exception {
        boolean extensionPending = rule.action().endsWith("-extension") && !rule.action().startsWith("request");
        long id = fixtures.problem(stage, status, department, extensionPending);
        String username = USERS.get(role);
        MockHttpServletResponse response = mvc.perform(post("/api/problems/{id}/actions/{action}", id, rule.action())
                        .with(TestSignIn.as(jdbc, username)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content(body(rule.action(), fixtures.version(id), username)))
                .andReturn().getResponse();

        boolean handlerCannotSee = role.equals("HANDLER") && !"URBAN_MGMT_SQUAD".equals(department);
        boolean visibleOnlyWhenDispatched = department != null && role.equals("HANDLER") && !rule.from().contains(status);
        String assigneeRole = department == null ? "GRID_MANAGER" : "HANDLER";
        boolean allowed = rule.from().contains(status) && (rule.who().contains(role) || rule.who().contains("ASSIGNEE") && role.equals(assigneeRole));
        String answer = response.getContentAsString();
        if (handlerCannotSee && !visibleOnlyWhenDispatched) {
            assertThat(response.getStatus()).as(answer).isEqualTo(404);
        } else if (allowed) {
            assertThat(response.getStatus()).as(answer).isEqualTo(200);
            assertThat(fixtures.status(id)).isEqualTo(expectedStatus(rule, status));
        } else {
            assertThat(response.getStatus()).as(answer).isEqualTo(409);
            assertThat(json.readTree(answer).path("currentStatus").asString()).isEqualTo(status.name());
            assertThat(json.readTree(answer).path("allowedActions").isArray()).isTrue();
            assertThat(fixtures.status(id)).as("nothing changed").isEqualTo(status.name());
        }
    }

    private static String expectedStatus(Rule rule, ProblemStatus from) {
        return switch (rule.to()) {
            case "=" -> from.name();
            case "*" -> from == ProblemStatus.CLOSED ? "DISPATCHED" : "REPORTED";
            default -> rule.to();
        };
    }

    private String body(String action, long version, String username) {
        return switch (action) {
            case "reject" -> "{\"version\":" + version + ",\"reason\":\"INVALID\",\"note\":\"不属于文明城市测评范围\"}";
            case "request-extension" -> "{\"version\":" + version + ",\"extensionHours\":8,\"note\":\"需采购材料\"}";
            case "submit" -> {
                UUID photo = fixtures.photoOf(photos, username);
                yield "{\"version\":" + version + ",\"photoIds\":[\"" + photo + "\"],\"note\":\"已整改\"}";
            }
            default -> "{\"version\":" + version + "}";
        };
    }
}
