package org.civicgrid.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestSignIn;
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

/**
 * The weekly ranking on a hand-made fixture: five grids of one community in the week of Monday 2025-03-03 and the week
 * before, where the demo city has no problem, verdict or inspection. Expected scores are computed by hand with the
 * default weights (closure 0.30, on-time 0.30, rework 0.15, inspection 0.15, external 0.10):
 * <pre>
 * week 2025-03-03      closed  on time  overdue  verdicts(RETURN/all)  inspection  score
 *   g1                   4       4        0          0/4                 0.9     100·(0.3+0.3+0.15+0.135)/0.9 = 98.33
 *   g2                   2       1        2          2/4                  –      100·(0.15+0.075+0.075)/0.75  = 40.00
 *   g3                   3       3        1           –                  0.5     100·(0.225+0.225+0.075)/0.75 = 70.00
 *   g4                   1       1        0          1/2                  –      100·(0.3+0.3+0.075)/0.75     = 90.00
 *   g5                   –       –        –           –                  0.7     100·0.105/0.15               = 70.00
 * week 2025-02-24: g1 1 closed late → 50; g2 2 on time → 100; g3 1 on time → 100; g5 inspection 0.6 → 60; g4 nothing.
 * </pre>
 * Ranks now: g1 1, g4 2, g3 3, g5 3 (tie, by code), g2 5, grids without figures 6. Before: g2 1, g3 1, g5 3, g1 4, the rest 5.
 */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RankingTest {

    static final String COMMUNITY = "320508004002";
    static final String WEEK = "2025-03-03";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    List<String> g;
    int gridsInCommunity;
    String admin;

    @BeforeAll
    void fixture() {
        RankingFixtures f = new RankingFixtures(jdbc);
        g = f.gridsWithPoints(COMMUNITY, 5);
        assertThat(g).hasSize(5);
        gridsInCommunity = jdbc.sql("SELECT count(*) FROM grid WHERE valid_to IS NULL AND community_code = ?").param(COMMUNITY)
                .query(Integer.class).single();
        admin = f.account("ADMIN", "320508");
        // g1: four closed on time in the week, four CLOSE verdicts, one inspection at 0.9; one closed late the week before.
        for (int i = 0; i < 4; i++) {
            long id = f.problem(g.get(0), "2025-03-01T09:00", "2025-03-07T18:00", "2025-03-0" + (4 + i) + "T10:00");
            f.event(id, "CLOSE", "2025-03-0" + (4 + i) + "T10:00");
        }
        f.inspection(g.get(0), 0.9, "2025-03-05T15:00");
        f.problem(g.get(0), "2025-02-20T09:00", "2025-02-25T10:00", "2025-02-26T10:00");
        // g2: one closed on time and one late in the week, two open and overdue at its end (returned once each); two on time before.
        long onTime = f.problem(g.get(1), "2025-03-02T09:00", "2025-03-06T18:00", "2025-03-05T11:00");
        long late = f.problem(g.get(1), "2025-03-02T09:00", "2025-03-04T18:00", "2025-03-08T11:00");
        f.event(onTime, "CLOSE", "2025-03-05T11:00");
        f.event(late, "CLOSE", "2025-03-08T11:00");
        for (int i = 0; i < 2; i++) {
            long open = f.problem(g.get(1), "2025-03-02T09:00", "2025-03-06T12:00", null);
            f.event(open, "RETURN", "2025-03-05T16:00");
        }
        f.problem(g.get(1), "2025-02-24T09:00", "2025-02-28T18:00", "2025-02-26T09:00");
        f.problem(g.get(1), "2025-02-24T09:00", "2025-02-28T18:00", "2025-02-27T09:00");
        // g3: three closed on time, one open past its deadline, an inspection at 0.5; one on time the week before.
        for (int i = 0; i < 3; i++) {
            f.problem(g.get(2), "2025-03-03T09:00", "2025-03-09T12:00", "2025-03-09T11:59");
        }
        f.problem(g.get(2), "2025-03-03T09:00", "2025-03-09T23:59", null);
        f.inspection(g.get(2), 0.5, "2025-03-03T00:00");
        f.problem(g.get(2), "2025-02-24T09:00", "2025-02-25T18:00", "2025-02-25T17:00");
        // g4: one problem returned once, then closed on time.
        long reworked = f.problem(g.get(3), "2025-03-03T09:00", "2025-03-08T18:00", "2025-03-07T10:00");
        f.event(reworked, "RETURN", "2025-03-05T10:00");
        f.event(reworked, "CLOSE", "2025-03-07T10:00");
        // g5: inspections only (the one at the very end of the week, Sunday 23:59:59, counts; Monday 00:00 would not).
        f.inspection(g.get(4), 0.7, "2025-03-09T23:59:59");
        f.inspection(g.get(4), 0.1, "2025-03-10T00:00");
        f.inspection(g.get(4), 0.6, "2025-02-25T10:00");
    }

    JsonNode call(MockHttpServletRequestBuilder request, String user, int expected) throws Exception {
        MockHttpServletResponse response = mvc.perform(request.with(TestSignIn.as(jdbc, user)).with(csrf())).andReturn().getResponse();
        String body = response.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(response.getStatus()).as(body).isEqualTo(expected);
        return json.readTree(body);
    }

    Map<String, JsonNode> rowsByCode(JsonNode ranking) {
        Map<String, JsonNode> rows = new HashMap<>();
        ranking.path("rows").forEach(r -> rows.put(r.path("code").asString(), r));
        return rows;
    }

    @Test
    void gridsOfTheCommunityAreRankedByTheHandComputedCompositeScore() throws Exception {
        JsonNode ranking = call(get("/api/rankings").param("level", "grid").param("week", WEEK).param("within", COMMUNITY), admin, 200);
        assertThat(ranking.path("level").asString()).isEqualTo("grid");
        assertThat(ranking.path("week").asString()).isEqualTo(WEEK);
        assertThat(ranking.path("peerCount").asInt()).isEqualTo(gridsInCommunity);
        assertThat(ranking.path("weights").path("closureRate").asDouble()).isEqualTo(0.30);
        JsonNode rows = ranking.path("rows");
        assertThat(rows.size()).isEqualTo(gridsInCommunity);
        assertThat(List.of(rows.get(0).path("code").asString(), rows.get(1).path("code").asString(), rows.get(2).path("code").asString(),
                rows.get(3).path("code").asString(), rows.get(4).path("code").asString()))
                .containsExactly(g.get(0), g.get(3), g.get(2), g.get(4), g.get(1));
        Map<String, JsonNode> byCode = rowsByCode(ranking);
        double[] scores = {98.33, 40.00, 70.00, 90.00, 70.00};
        int[] ranks = {1, 5, 3, 2, 3};
        int[] previous = {4, 1, 1, 5, 3};
        long[] problems = {4, 4, 4, 1, 0};
        String[] lists = {"RED", "BLACK", "BLACK", "RED", null};
        for (int i = 0; i < 5; i++) {
            JsonNode row = byCode.get(g.get(i));
            assertThat(row.path("score").asDouble()).as("score of g%d", i + 1).isEqualTo(scores[i]);
            assertThat(row.path("rank").asInt()).as("rank of g%d", i + 1).isEqualTo(ranks[i]);
            assertThat(row.path("previousRank").asInt()).as("previous rank of g%d", i + 1).isEqualTo(previous[i]);
            assertThat(row.path("change").asInt()).as("change of g%d", i + 1).isEqualTo(previous[i] - ranks[i]);
            assertThat(row.path("problems").asLong()).as("problems of g%d", i + 1).isEqualTo(problems[i]);
            assertThat(row.path("list").isNull() ? null : row.path("list").asString()).as("list of g%d", i + 1).isEqualTo(lists[i]);
        }
        JsonNode g2 = byCode.get(g.get(1)).path("components");
        assertThat(g2.path("closureRate").asDouble()).isEqualTo(0.5);
        assertThat(g2.path("onTimeClosureRate").asDouble()).isEqualTo(0.25);
        assertThat(g2.path("reworkRate").asDouble()).isEqualTo(0.5);
        assertThat(g2.path("inspectionScoreRate").isNull()).isTrue();
        assertThat(g2.path("externalScore").isNull()).isTrue();
        assertThat(byCode.get(g.get(4)).path("components").path("inspectionScoreRate").asDouble()).isEqualTo(0.7);
        // Grids without any figure share the last rank and are on no list.
        rows.forEach(row -> {
            if (!g.contains(row.path("code").asString())) {
                assertThat(row.path("rank").asInt()).isEqualTo(6);
                assertThat(row.path("score").isNull()).isTrue();
                assertThat(row.path("list").isNull()).isTrue();
            }
        });
    }

    @Test
    void aLeaderSeesOnlyTheirOwnRowWithItsTrueRankAmongAllPeers() throws Exception {
        String gridLeader = new RankingFixtures(jdbc).account("LEADER", g.get(2));
        JsonNode ranking = call(get("/api/rankings").param("level", "grid").param("week", WEEK), gridLeader, 200);
        assertThat(ranking.path("peerCount").asInt()).isEqualTo(gridsInCommunity);
        assertThat(ranking.path("rows").size()).isEqualTo(1);
        assertThat(ranking.path("rows").get(0).path("code").asString()).isEqualTo(g.get(2));
        assertThat(ranking.path("rows").get(0).path("rank").asInt()).isEqualTo(3);

        String streetLeader = new RankingFixtures(jdbc).account("LEADER", "320508004");
        JsonNode streets = call(get("/api/rankings").param("level", "street").param("week", WEEK), streetLeader, 200);
        assertThat(streets.path("peerCount").asInt()).isEqualTo(jdbc.sql("SELECT count(*) FROM street WHERE district_code = '320508'")
                .query(Integer.class).single());
        assertThat(streets.path("rows").size()).isEqualTo(1);
        assertThat(streets.path("rows").get(0).path("code").asString()).isEqualTo("320508004");
    }

    @Test
    void areasOutsideTheScopeAre404AndBadParametersAre400NamingThem() throws Exception {
        String leader = new RankingFixtures(jdbc).account("LEADER", "320508001");
        call(get("/api/rankings").param("level", "community").param("week", WEEK).param("within", "320508002"), leader, 404);
        call(get("/api/rankings").param("level", "grid").param("week", WEEK).param("within", "320508002001"), leader, 404);
        call(get("/api/rankings").param("level", "street").param("week", WEEK).param("within", "320508"), leader, 200);
        assertThat(call(get("/api/rankings").param("level", "grid").param("week", "2025-03-04"), leader, 400).path("parameter").asString())
                .isEqualTo("week");
        assertThat(call(get("/api/rankings").param("level", "district").param("week", WEEK), leader, 400).path("parameter").asString())
                .isEqualTo("level");
        String inspector = new RankingFixtures(jdbc).account("INSPECTOR", "320508001");
        call(get("/api/rankings").param("level", "grid").param("week", WEEK), inspector, 403);
    }

    @Test
    void weightsAreValidatedAdminOnlyAndChangeTheOrder() throws Exception {
        String leader = new RankingFixtures(jdbc).account("LEADER", "320508");
        JsonNode defaults = call(get("/api/rankings/weights"), leader, 200);
        assertThat(defaults.path("closureRate").asDouble()).isEqualTo(0.30);
        assertThat(defaults.path("onTimeClosureRate").asDouble()).isEqualTo(0.30);
        assertThat(defaults.path("reworkRate").asDouble()).isEqualTo(0.15);
        assertThat(defaults.path("inspectionScoreRate").asDouble()).isEqualTo(0.15);
        assertThat(defaults.path("externalScore").asDouble()).isEqualTo(0.10);
        String closureOnly = "{\"closureRate\":1,\"onTimeClosureRate\":0,\"reworkRate\":0,\"inspectionScoreRate\":0,\"externalScore\":0}";
        call(put("/api/rankings/weights").contentType(MediaType.APPLICATION_JSON).content(closureOnly), leader, 403);
        assertThat(call(put("/api/rankings/weights").contentType(MediaType.APPLICATION_JSON).content(
                "{\"closureRate\":0.5,\"onTimeClosureRate\":0.3,\"reworkRate\":0.15,\"inspectionScoreRate\":0.15,\"externalScore\":0.1}"),
                admin, 400).path("parameter").asString()).isEqualTo("weights");
        assertThat(call(put("/api/rankings/weights").contentType(MediaType.APPLICATION_JSON).content(
                "{\"closureRate\":0.3,\"onTimeClosureRate\":0.3,\"reworkRate\":0.15,\"inspectionScoreRate\":0.15,\"externalScore\":0.1,\"speed\":0}"),
                admin, 400).path("parameter").asString()).isEqualTo("speed");
        assertThat(call(get("/api/rankings/weights"), leader, 200).path("closureRate").asDouble()).isEqualTo(0.30);
        long audited = jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'RANKING_WEIGHTS_CHANGED'").query(Long.class).single();
        try {
            JsonNode stored = call(put("/api/rankings/weights").contentType(MediaType.APPLICATION_JSON).content(closureOnly), admin, 200);
            assertThat(stored.path("closureRate").asDouble()).isEqualTo(1.0);
            assertThat(stored.path("onTimeClosureRate").asDouble()).isEqualTo(0.0);
            assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'RANKING_WEIGHTS_CHANGED'").query(Long.class).single())
                    .isEqualTo(audited + 1);
            // Closure only: g1 and g4 close everything (100, tied, by code), g3 75, g2 50; g5 has no closure figure any more.
            Map<String, JsonNode> byCode = rowsByCode(call(get("/api/rankings").param("level", "grid").param("week", WEEK)
                    .param("within", COMMUNITY), admin, 200));
            assertThat(byCode.get(g.get(0)).path("rank").asInt()).isEqualTo(1);
            assertThat(byCode.get(g.get(3)).path("rank").asInt()).isEqualTo(1);
            assertThat(byCode.get(g.get(2)).path("score").asDouble()).isEqualTo(75.0);
            assertThat(byCode.get(g.get(2)).path("rank").asInt()).isEqualTo(3);
            assertThat(byCode.get(g.get(1)).path("rank").asInt()).isEqualTo(4);
            assertThat(byCode.get(g.get(4)).path("score").isNull()).isTrue();
            assertThat(byCode.get(g.get(4)).path("rank").asInt()).isEqualTo(5);
        } finally {
            call(put("/api/rankings/weights").contentType(MediaType.APPLICATION_JSON).content(
                    "{\"closureRate\":0.3,\"onTimeClosureRate\":0.3,\"reworkRate\":0.15,\"inspectionScoreRate\":0.15,\"externalScore\":0.1}"),
                    admin, 200);
        }
    }

    @Test
    void departmentsAreRankedAmongAllDepartments() throws Exception {
        JsonNode ranking = call(get("/api/rankings").param("level", "department").param("week", WEEK), admin, 200);
        int departments = jdbc.sql("SELECT count(*) FROM department").query(Integer.class).single();
        assertThat(ranking.path("peerCount").asInt()).isEqualTo(departments);
        assertThat(ranking.path("rows").size()).isEqualTo(departments);
    }
}
