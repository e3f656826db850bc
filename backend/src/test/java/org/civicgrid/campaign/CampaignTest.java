package org.civicgrid.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The campaign countdown and phases, their validation, and the 问题清零 tracker against independent SQL counts. */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CampaignTest {

    static final String STREET = "320508003";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    String admin;
    String leader;
    String seeded;
    /** Today in Asia/Shanghai, read the way the service reads it (no fixed date: the test must not depend on today). */
    LocalDate today;

    @BeforeAll
    void accounts() throws Exception {
        admin = account("ADMIN", "320508");
        leader = account("LEADER", STREET);
        today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        seeded = body(call(get("/api/campaign"), leader, 200));
    }

    @AfterAll
    void restoreTheSeededCampaign() throws Exception {
        call(put("/api/campaign").contentType(MediaType.APPLICATION_JSON).content(seeded), admin, 200);
    }

    private String account(String role, String scopeCode) {
        String username = "c_" + role.toLowerCase() + "_" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("INSERT INTO app_user (username, display_name) VALUES (?, '清零测试')").param(username).update();
        jdbc.sql("INSERT INTO user_role (user_id, role) SELECT id, ? FROM app_user WHERE username = ?").param(role).param(username).update();
        jdbc.sql("INSERT INTO user_area_scope (user_id, area_level, area_code) SELECT id, ?, ? FROM app_user WHERE username = ?")
                .param(org.civicgrid.areas.AreaCodes.levelOf(scopeCode)).param(scopeCode).param(username).update();
        return username;
    }

    private MockHttpServletResponse call(MockHttpServletRequestBuilder request, String user, int expected) throws Exception {
        MockHttpServletResponse response = mvc.perform(request.with(TestSignIn.as(jdbc, user)).with(csrf())).andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(expected);
        return response;
    }

    private static String body(MockHttpServletResponse response) throws Exception {
        return response.getContentAsString(StandardCharsets.UTF_8);
    }

    private JsonNode putCampaign(LocalDate evaluation, LocalDate[] dates, String user, int expected) throws Exception {
        String body = """
                {"name":"测试攻坚行动","evaluationDate":"%s","phases":[
                 {"code":"DEPLOY","startsOn":"%s","endsOn":"%s"},
                 {"code":"ASSAULT","nameZh":"攻坚","nameEn":"Assault","startsOn":"%s","endsOn":"%s"},
                 {"code":"CONSOLIDATE","startsOn":"%s","endsOn":"%s"}]}""".formatted(evaluation, dates[0], dates[1], dates[2], dates[3],
                dates[4], dates[5]);
        return json.readTree(body(call(put("/api/campaign").contentType(MediaType.APPLICATION_JSON).content(body), user, expected)));
    }

    private LocalDate[] phasesAroundToday() {
        return new LocalDate[] {today.minusDays(40), today.minusDays(21), today.minusDays(20), today.plusDays(5), today.plusDays(6),
                today.plusDays(13)};
    }

    @Test
    void theSeededCampaignHasThreeOrderedPhasesBeforeItsEvaluationDate() throws Exception {
        JsonNode campaign = json.readTree(seeded);
        LocalDate evaluation = LocalDate.parse(campaign.path("evaluationDate").asString());
        assertThat(campaign.path("daysLeft").asLong()).isEqualTo(java.time.temporal.ChronoUnit.DAYS.between(today, evaluation));
        List<String> codes = new ArrayList<>();
        campaign.path("phases").forEach(p -> codes.add(p.path("code").asString()));
        assertThat(codes).containsExactly("DEPLOY", "ASSAULT", "CONSOLIDATE");
        assertThat(campaign.path("phases").get(1).path("nameZh").asString()).isEqualTo("攻坚阶段");
        assertThat(LocalDate.parse(campaign.path("phases").get(2).path("endsOn").asString())).isBeforeOrEqualTo(evaluation);
    }

    @Test
    void theCountdownAndTheCurrentPhaseFollowTheStoredDates() throws Exception {
        long audited = jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'CAMPAIGN_CHANGED'").query(Long.class).single();
        JsonNode stored = putCampaign(today.plusDays(14), phasesAroundToday(), admin, 200);
        assertThat(stored.path("name").asString()).isEqualTo("测试攻坚行动");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'CAMPAIGN_CHANGED'").query(Long.class).single()).isEqualTo(audited + 1);
        JsonNode campaign = json.readTree(body(call(get("/api/campaign"), leader, 200)));
        assertThat(campaign.path("daysLeft").asLong()).isEqualTo(14);
        assertThat(campaign.path("evaluationDate").asString()).isEqualTo(today.plusDays(14).toString());
        JsonNode phases = campaign.path("phases");
        assertThat(phases.get(0).path("nameZh").asString()).isEqualTo("部署阶段");
        assertThat(phases.get(1).path("nameZh").asString()).isEqualTo("攻坚");
        assertThat(phases.get(0).path("current").asBoolean()).isFalse();
        assertThat(phases.get(1).path("current").asBoolean()).isTrue();
        assertThat(phases.get(2).path("current").asBoolean()).isFalse();
        assertThat(phases.get(1).path("startsOn").asString()).isEqualTo(today.minusDays(20).toString());

        LocalDate[] past = {today.minusDays(30), today.minusDays(20), today.minusDays(19), today.minusDays(10), today.minusDays(9),
                today.minusDays(3)};
        putCampaign(today.minusDays(2), past, admin, 200);
        JsonNode after = json.readTree(body(call(get("/api/campaign"), leader, 200)));
        assertThat(after.path("daysLeft").asLong()).isEqualTo(-2);
        after.path("phases").forEach(p -> assertThat(p.path("current").asBoolean()).isFalse());
    }

    @Test
    void phasesMustBeOrderedNotOverlappingAndNotAfterTheEvaluation() throws Exception {
        LocalDate[] d = phasesAroundToday();
        LocalDate[] overlapping = d.clone();
        overlapping[2] = d[1];
        assertThat(putCampaign(today.plusDays(14), overlapping, admin, 400).path("parameter").asString()).isEqualTo("phases[1].startsOn");
        assertThat(putCampaign(today.plusDays(12), d, admin, 400).path("parameter").asString()).isEqualTo("phases[2].endsOn");
        LocalDate[] reversed = d.clone();
        reversed[3] = d[2].minusDays(1);
        assertThat(putCampaign(today.plusDays(14), reversed, admin, 400).path("parameter").asString()).isEqualTo("phases[1].endsOn");
        String wrongOrder = """
                {"name":"x","evaluationDate":"%s","phases":[{"code":"ASSAULT","startsOn":"%s","endsOn":"%s"},
                 {"code":"DEPLOY","startsOn":"%s","endsOn":"%s"}]}""".formatted(today.plusDays(14), d[0], d[1], d[2], d[3]);
        assertThat(json.readTree(body(call(put("/api/campaign").contentType(MediaType.APPLICATION_JSON).content(wrongOrder), admin, 400)))
                .path("parameter").asString()).isEqualTo("phases[1].code");
        putCampaign(today.plusDays(14), d, leader, 403);
    }

    @Test
    void clearanceCountsMatchAnIndependentSqlCount() throws Exception {
        putCampaign(today.plusDays(14), phasesAroundToday(), admin, 200);
        LocalDate evaluation = today.plusDays(14);
        String grid = jdbc.sql("SELECT min(code) FROM grid WHERE valid_to IS NULL AND code LIKE ?").param(STREET + "%").query(String.class).single();
        // An open problem due after the evaluation, an overdue one, and one closed since the campaign began.
        insert(grid, "DISPATCHED", "now() - interval '1 day'", "(CAST(:evaluation AS date) + 3)::timestamp AT TIME ZONE 'Asia/Shanghai'", null,
                evaluation);
        insert(grid, "IN_PROGRESS", "now() - interval '5 days'", "now() - interval '1 day'", null, evaluation);
        insert(grid, "CLOSED", "now() - interval '5 days'", "now() + interval '1 day'", "now() - interval '1 hour'", evaluation);

        JsonNode answer = json.readTree(body(call(get("/api/campaign/clearance").param("level", "community").param("within", STREET), leader, 200)));
        assertThat(answer.path("evaluationDate").asString()).isEqualTo(evaluation.toString());
        assertThat(answer.path("daysLeft").asLong()).isEqualTo(14);
        List<String> communities = jdbc.sql("SELECT code FROM community WHERE street_code = ? ORDER BY code").param(STREET).query(String.class).list();
        assertThat(answer.path("rows").size()).isEqualTo(communities.size());
        LocalDate campaignStart = today.minusDays(40);
        long previousOpen = Long.MAX_VALUE;
        long totalOpen = 0;
        boolean sawDeadlineAfterEvaluation = false;
        for (JsonNode row : answer.path("rows")) {
            String code = row.path("code").asString();
            long open = count(code, "problem_is_open(p.status)", evaluation, campaignStart);
            long overdue = count(code, "problem_is_open(p.status) AND p.status <> 'SUSPENDED' AND p.deadline_at < now()", evaluation, campaignStart);
            long late = count(code, "problem_is_open(p.status) AND (p.deadline_at AT TIME ZONE 'Asia/Shanghai')::date > :evaluation", evaluation,
                    campaignStart);
            long closedSince = count(code, "p.status = 'CLOSED' AND (p.reported_at AT TIME ZONE 'Asia/Shanghai')::date >= :start", evaluation,
                    campaignStart);
            long openSince = count(code, "problem_is_open(p.status) AND (p.reported_at AT TIME ZONE 'Asia/Shanghai')::date >= :start", evaluation,
                    campaignStart);
            assertThat(row.path("open").asLong()).as("open in %s", code).isEqualTo(open);
            assertThat(row.path("overdue").asLong()).as("overdue in %s", code).isEqualTo(overdue);
            assertThat(row.path("deadlineAfterEvaluation").asLong()).as("late in %s", code).isEqualTo(late);
            if (closedSince + openSince == 0) {
                assertThat(row.path("clearedShare").isNull()).isTrue();
            } else {
                assertThat(row.path("clearedShare").asDouble()).as("cleared share in %s", code)
                        .isCloseTo((double) closedSince / (closedSince + openSince), org.assertj.core.data.Offset.offset(0.0001));
            }
            assertThat(open).as("sorted by open").isLessThanOrEqualTo(previousOpen);
            previousOpen = open;
            totalOpen += open;
            sawDeadlineAfterEvaluation |= code.equals(grid.substring(0, 12)) && late >= 1;
        }
        assertThat(sawDeadlineAfterEvaluation).isTrue();
        assertThat(answer.path("total").path("open").asLong()).isEqualTo(totalOpen);

        call(get("/api/campaign/clearance").param("level", "grid").param("within", "320508001"), leader, 404);
        call(get("/api/campaign/clearance").param("level", "district"), leader, 400);
        call(get("/api/campaign/clearance").param("level", "grid"), account("INSPECTOR", STREET), 403);
        JsonNode grids = json.readTree(body(call(get("/api/campaign/clearance").param("level", "grid"), leader, 200)));
        grids.path("rows").forEach(r -> assertThat(r.path("code").asString()).startsWith(STREET));
    }

    private void insert(String grid, String status, String reported, String deadline, String closed, LocalDate evaluation) {
        jdbc.sql("""
                INSERT INTO problem (category_code, status, location, description, reported_at, accepted_at, warning_at, deadline_at, closed_at)
                SELECT 'EXPOSED_GARBAGE', :status, ST_PointOnSurface(boundary), '清零测试', %s, %s, %s, %s, %s
                FROM grid WHERE code = :grid AND valid_to IS NULL""".formatted(reported, reported, deadline, deadline, closed == null ? "NULL" : closed))
                .param("status", status).param("grid", grid).param("evaluation", evaluation).update();
    }

    private long count(String area, String condition, LocalDate evaluation, LocalDate start) {
        return jdbc.sql("SELECT count(*) FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code LIKE :area AND " + condition)
                .param("area", area + "%").param("evaluation", evaluation).param("start", start).query(Long.class).single();
    }
}
