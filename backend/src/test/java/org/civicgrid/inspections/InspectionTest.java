package org.civicgrid.inspections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** 督查 end to end through the API: a checklist with two fails opens two problems of the items' categories. */
@CivicGridIntegrationTest
class InspectionTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    private JsonNode call(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request, int expectedStatus) throws Exception {
        return json.readTree(mvc.perform(request.with(TestSignIn.as(jdbc, "inspector")).with(csrf()))
                .andExpect(status().is(expectedStatus)).andReturn().getResponse().getContentAsString());
    }

    private String uploadPhoto() throws Exception {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB), "jpg", jpeg);
        return json.readTree(mvc.perform(multipart("/api/photos").file(new MockMultipartFile("file", "p.jpg", "image/jpeg", jpeg.toByteArray()))
                .with(TestSignIn.as(jdbc, "inspector")).with(csrf())).andReturn().getResponse().getContentAsString()).path("id").asString();
    }

    @Test
    void twoFailedItemsOpenTwoAcceptedProblemsOfTheirCategoriesAndTheScoreIsKept() throws Exception {
        long pointId = jdbc.sql("SELECT min(id) FROM measurement_point WHERE type_code = 'FARMERS_MARKET'").query(Long.class).single();
        JsonNode inspection = call(post("/api/inspections").contentType(MediaType.APPLICATION_JSON)
                .content("{\"pointId\":" + pointId + ",\"lon\":120.62,\"lat\":31.31}"), 201);
        long id = inspection.path("id").asLong();
        List<JsonNode> items = new ArrayList<>();
        inspection.path("items").forEach(items::add);
        assertThat(items).hasSizeGreaterThanOrEqualTo(5);

        StringBuilder results = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            String outcome = i < 2 ? "FAIL" : i == 2 ? "NA" : "PASS";
            String photos = i < 2 ? "[\"" + uploadPhoto() + "\"]" : "[]";
            results.append(i == 0 ? "" : ",").append("{\"itemCode\":\"").append(items.get(i).path("code").asString())
                    .append("\",\"outcome\":\"").append(outcome).append("\",\"note\":\"第").append(i + 1).append("项\",\"photoIds\":").append(photos).append("}");
        }
        JsonNode saved = call(put("/api/inspections/{id}/results", id).contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\":" + inspection.path("version").asLong() + ",\"results\":[" + results + "]}"), 200);

        JsonNode submitted = call(post("/api/inspections/{id}/submit", id).contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\":" + saved.path("version").asLong() + "}"), 200);

        assertThat(submitted.path("status").asString()).isEqualTo("SUBMITTED");
        assertThat(submitted.path("failedCount").asInt()).isEqualTo(2);
        assertThat(submitted.path("notApplicableCount").asInt()).isEqualTo(1);
        int passed = items.size() - 3;
        assertThat(submitted.path("scoreRate").decimalValue().doubleValue()).isCloseTo((double) passed / (passed + 2), org.assertj.core.data.Offset.offset(0.0001));
        List<String> expectedCategories = List.of(items.get(0).path("categoryCode").asString(), items.get(1).path("categoryCode").asString());
        List<String> opened = jdbc.sql("""
                SELECT p.category_code FROM problem p WHERE p.inspection_id = ? AND p.status = 'ACCEPTED' AND p.deadline_at > p.accepted_at
                  AND p.point_id = ? ORDER BY p.id""").param(id).param(pointId).query(String.class).list();
        assertThat(opened).containsExactlyElementsOf(expectedCategories);
        long problemId = submitted.path("items").get(0).path("problemId").asLong();
        mvc.perform(get("/api/problems/{id}", problemId).with(TestSignIn.as(jdbc, "inspector"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.beforePhotos.length()").value(1))
                .andExpect(jsonPath("$.allowedActions").value(org.hamcrest.Matchers.hasItem("dispatch")));
    }

    @Test
    void submitNeedsEveryItemAnsweredAndKnownItemsOnly() throws Exception {
        long pointId = jdbc.sql("SELECT min(id) FROM measurement_point WHERE type_code = 'SCHOOL'").query(Long.class).single();
        JsonNode inspection = call(post("/api/inspections").contentType(MediaType.APPLICATION_JSON).content("{\"pointId\":" + pointId + "}"), 201);
        long id = inspection.path("id").asLong();
        String first = inspection.path("items").get(0).path("code").asString();

        JsonNode saved = call(put("/api/inspections/{id}/results", id).contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\":" + inspection.path("version").asLong() + ",\"results\":[{\"itemCode\":\"" + first + "\",\"outcome\":\"FAIL\"}]}"), 200);
        JsonNode refused = call(post("/api/inspections/{id}/submit", id).contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\":" + saved.path("version").asLong() + "}"), 400);

        assertThat(refused.path("detail").asString()).contains("unanswered");
        assertThat(jdbc.sql("SELECT count(*) FROM problem WHERE inspection_id = ?").param(id).query(Long.class).single()).isZero();
        call(put("/api/inspections/{id}/results", id).contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\":" + saved.path("version").asLong() + ",\"results\":[{\"itemCode\":\"NO-SUCH\",\"outcome\":\"PASS\"}]}"), 400);
    }

    @Test
    void coverageListsPointsNotInspectedRecently() throws Exception {
        JsonNode uninspected = call(get("/api/inspections/coverage").param("days", "7").param("limit", "1000"), 200);
        assertThat(uninspected.size()).isPositive();
        assertThat(uninspected.get(0).path("lastInspectedAt").isNull()).as("never inspected points come first").isTrue();
    }
}
