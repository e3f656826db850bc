package org.civicgrid.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The loop's rules that are not about who may move: deadlines, photos, locking, retries, reporting. */
@CivicGridIntegrationTest
class LoopBehaviourTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Deadlines deadlines;

    @Autowired
    ObjectMapper json;

    private LoopFixtures fixtures;
    private LoopFixtures.Stage stage;

    @BeforeEach
    void stage() {
        fixtures = new LoopFixtures(jdbc);
        stage = fixtures.stage();
    }

    private JsonNode act(String username, long id, String action, String body) throws Exception {
        return json.readTree(mvc.perform(post("/api/problems/{id}/actions/{action}", id, action).with(TestSignIn.as(jdbc, username)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse().getContentAsString());
    }

    @Test
    void deadlinesSkipTheNationalDayHolidaysAndCountTheMakeUpSaturday() {
        // Calendar 2026 (data/calendar/2026.csv): 1–7 Oct off, Sat 10 Oct a working day; office hours 09–12, 13–18.
        Instant acceptedWednesdayEvening = ZonedDateTime.of(2026, 9, 30, 17, 0, 0, 0, SHANGHAI).toInstant();

        Deadlines.Window window = deadlines.from(acceptedWednesdayEvening, Duration.ofHours(24));

        // 1 h on 30 Sep, 8 h on Thu 8 Oct, 8 h on Fri 9 Oct, 7 h on the make-up Saturday 10 Oct → 17:00.
        assertThat(window.deadlineAt()).isEqualTo(ZonedDateTime.of(2026, 10, 10, 17, 0, 0, 0, SHANGHAI).toInstant());
        // 80 % = 19.2 h: 1 + 8 + 8 = 17 h by Fri evening, 2.2 h into Saturday → 11:12.
        assertThat(window.warningAt()).isEqualTo(ZonedDateTime.of(2026, 10, 10, 11, 12, 0, 0, SHANGHAI).toInstant());
    }

    @Test
    void submittingWithoutAnAfterPhotoIsRefusedAndChangesNothing() throws Exception {
        long id = fixtures.problem(stage, ProblemStatus.IN_PROGRESS, null, false);
        long version = fixtures.version(id);

        mvc.perform(post("/api/problems/{id}/actions/submit", id).with(TestSignIn.as(jdbc, stage.gridManager())).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"version\":" + version + ",\"note\":\"已整改\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("photoIds"));

        assertThat(fixtures.status(id)).isEqualTo("IN_PROGRESS");
        assertThat(fixtures.version(id)).isEqualTo(version);
    }

    @Test
    void aStaleVersionGets409WithTheCurrentState() throws Exception {
        long id = fixtures.problem(stage, ProblemStatus.ACCEPTED, null, false);
        long version = fixtures.version(id);
        act("leader", id, "urge", "{\"version\":" + version + "}");

        JsonNode stale = act("inspector", id, "dispatch", "{\"version\":" + version + "}");

        assertThat(stale.path("status").asInt()).isEqualTo(409);
        assertThat(stale.path("version").asLong()).isEqualTo(version + 1);
        assertThat(stale.path("currentStatus").asString()).isEqualTo("ACCEPTED");
        assertThat(fixtures.status(id)).isEqualTo("ACCEPTED");
    }

    @Test
    void aRetriedMoveWithTheSameIdempotencyKeyIsAppliedOnce() throws Exception {
        long id = fixtures.problem(stage, ProblemStatus.DISPATCHED, null, false);
        long version = fixtures.version(id);
        for (int attempt = 0; attempt < 2; attempt++) {
            mvc.perform(post("/api/problems/{id}/actions/urge", id).header("Idempotency-Key", "urge-" + id)
                            .with(TestSignIn.as(jdbc, "leader")).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                            .content("{\"version\":" + version + "}"))
                    .andExpect(status().isOk()).andExpect(jsonPath("$.urgeCount").value(1));
        }
        assertThat(jdbc.sql("SELECT count(*) FROM problem_event WHERE problem_id = ? AND action = 'URGE'").param(id).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void twoPeopleActingAtOnceLeaveOneConsistentResult() throws Exception {
        long id = fixtures.problem(stage, ProblemStatus.REPORTED, null, false);
        long version = fixtures.version(id);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> moves = List.of(
                    () -> {
                        start.await();
                        return mvc.perform(post("/api/problems/{id}/actions/accept", id).with(TestSignIn.as(jdbc, "inspector")).with(csrf())
                                .contentType(MediaType.APPLICATION_JSON).content("{\"version\":" + version + "}")).andReturn().getResponse().getStatus();
                    },
                    () -> {
                        start.await();
                        return mvc.perform(post("/api/problems/{id}/actions/reject", id).with(TestSignIn.as(jdbc, "leader")).with(csrf())
                                .contentType(MediaType.APPLICATION_JSON).content("{\"version\":" + version + ",\"reason\":\"INVALID\"}"))
                                .andReturn().getResponse().getStatus();
                    });
            List<Future<Integer>> results = new ArrayList<>();
            for (Callable<Integer> move : moves) {
                results.add(pool.submit(move));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }

            assertThat(statuses).containsExactlyInAnyOrder(200, 409);
            String finalStatus = fixtures.status(id);
            assertThat(finalStatus).isIn("ACCEPTED", "REJECTED");
            assertThat(fixtures.version(id)).isEqualTo(version + 1);
            assertThat(jdbc.sql("SELECT count(*) FROM problem_event WHERE problem_id = ?").param(id).query(Long.class).single()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aProblemReportedOnTheMapFindsItsGridAndNearestPoint() throws Exception {
        double[] lonLat = jdbc.sql("SELECT ST_X(geom), ST_Y(geom) FROM measurement_point WHERE id = ?").param(stage.pointId())
                .query((rs, n) -> new double[] {rs.getDouble(1) + 0.00005, rs.getDouble(2)}).single();

        String created = mvc.perform(post("/api/problems").with(TestSignIn.as(jdbc, "inspector")).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"lon\":%s,\"lat\":%s,\"categoryCode\":\"FLYERS\",\"description\":\"电线杆上小广告\"}".formatted(lonLat[0], lonLat[1])))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        long id = json.readTree(created).path("id").asLong();

        mvc.perform(get("/api/problems/{id}", id).with(TestSignIn.as(jdbc, "inspector"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("REPORTED"))
                .andExpect(jsonPath("$.grid.code").value(stage.gridCode()))
                .andExpect(jsonPath("$.point.id").value(stage.pointId()))
                .andExpect(jsonPath("$.allowedActions").value(org.hamcrest.Matchers.hasItems("accept", "reject")));
        mvc.perform(post("/api/problems").with(TestSignIn.as(jdbc, stage.gridManager())).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"lon\":120.0,\"lat\":30.0,\"categoryCode\":\"FLYERS\",\"description\":\"区外\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("lon/lat"));
    }

    @Test
    void aReportSentAgainWithItsIdempotencyKeyCreatesOneProblem() throws Exception {
        double[] lonLat = jdbc.sql("SELECT ST_X(geom), ST_Y(geom) FROM measurement_point WHERE id = ?").param(stage.pointId())
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();
        String body = "{\"lon\":%s,\"lat\":%s,\"categoryCode\":\"FLYERS\",\"description\":\"重发的上报\"}".formatted(lonLat[0], lonLat[1]);
        String key = "report-" + System.nanoTime();
        long before = jdbc.sql("SELECT count(*) FROM problem").query(Long.class).single();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // e.g. a client's retry racing nginx resending the first attempt
                answers.add(pool.submit(() -> {
                    start.await();
                    return mvc.perform(post("/api/problems").header("Idempotency-Key", key).with(TestSignIn.as(jdbc, "inspector")).with(csrf())
                            .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isCreated()).andReturn().getResponse()
                            .getContentAsString();
                }));
            }
            start.countDown();
            java.util.Set<Long> ids = new java.util.HashSet<>();
            for (Future<String> answer : answers) {
                ids.add(json.readTree(answer.get()).path("id").asLong());
            }
            String later = mvc.perform(post("/api/problems").header("Idempotency-Key", key).with(TestSignIn.as(jdbc, "inspector")).with(csrf())
                    .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
            ids.add(json.readTree(later).path("id").asLong());

            assertThat(ids).hasSize(1);
            assertThat(jdbc.sql("SELECT count(*) FROM problem").query(Long.class).single()).isEqualTo(before + 1);
        } finally {
            pool.shutdownNow();
        }
        mvc.perform(post("/api/problems").header("Idempotency-Key", key).with(TestSignIn.as(jdbc, stage.gridManager())).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()); // the key is the reporter's own: someone else's report is a new problem
        assertThat(jdbc.sql("SELECT count(*) FROM problem").query(Long.class).single()).isEqualTo(before + 2);
        mvc.perform(post("/api/problems").header("Idempotency-Key", " ").with(TestSignIn.as(jdbc, "inspector")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("Idempotency-Key"));
    }

    @Test
    void anApprovedExtensionMovesTheDeadline() throws Exception {
        long id = fixtures.problem(stage, ProblemStatus.IN_PROGRESS, null, false);
        Instant before = jdbc.sql("SELECT deadline_at FROM problem WHERE id = ?").param(id).query(java.sql.Timestamp.class).single().toInstant();
        act(stage.gridManager(), id, "request-extension", "{\"version\":" + fixtures.version(id) + ",\"extensionHours\":16}");

        JsonNode approved = act("leader", id, "approve-extension", "{\"version\":" + fixtures.version(id) + "}");

        assertThat(approved.path("extensionPending").asBoolean()).isFalse();
        assertThat(Instant.parse(approved.path("deadlineAt").asString())).isAfter(before.plus(Duration.ofHours(16)));
    }
}
