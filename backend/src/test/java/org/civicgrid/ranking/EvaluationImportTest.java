package org.civicgrid.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * External evaluations (国测/省测/市测) imported from CSV and XLSX, all rows or none, and weighed into the ranking.
 * Fixture in the week of Monday 2025-06-02: grid h1 closes 2 (1 on time) → 100·(0.3+0.15)/0.6 = 75.00; h2 closes 4 (3 on time)
 * → 100·(0.3+0.225)/0.6 = 87.50. After importing h1 10/10 and h2 2/10: h1 100·(0.45+0.1)/0.7 = 78.57, h2 100·(0.525+0.02)/0.7 = 77.86.
 */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationImportTest {

    static final String STREET = "320508006";
    static final String COMMUNITY = "320508006001";
    static final String WEEK = "2025-06-02";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    List<String> h;
    String leader;
    String pointH1;
    String pointH2;
    String pointOutside;

    @BeforeAll
    void fixture() {
        RankingFixtures f = new RankingFixtures(jdbc);
        h = f.gridsWithPoints(COMMUNITY, 2);
        leader = f.account("LEADER", STREET);
        f.problem(h.get(0), "2025-06-02T09:00", "2025-06-04T18:00", "2025-06-03T10:00");
        f.problem(h.get(0), "2025-06-02T09:00", "2025-06-04T18:00", "2025-06-05T10:00");
        for (int i = 0; i < 3; i++) {
            f.problem(h.get(1), "2025-06-02T09:00", "2025-06-04T18:00", "2025-06-04T10:00");
        }
        f.problem(h.get(1), "2025-06-02T09:00", "2025-06-04T18:00", "2025-06-06T10:00");
        pointH1 = point(h.get(0));
        pointH2 = point(h.get(1));
        pointOutside = jdbc.sql("""
                SELECT mp.external_id FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id
                WHERE g.code LIKE '320508001%' AND mp.external_id IS NOT NULL ORDER BY mp.id LIMIT 1""").query(String.class).single();
    }

    private String point(String grid) {
        return jdbc.sql("""
                SELECT mp.external_id FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id
                WHERE g.code = ? AND g.valid_to IS NULL AND mp.external_id IS NOT NULL ORDER BY mp.id LIMIT 1""").param(grid)
                .query(String.class).single();
    }

    JsonNode call(AbstractMockHttpServletRequestBuilder<?> request, String user, int expected) throws Exception {
        MockHttpServletResponse response = mvc.perform(request.with(TestSignIn.as(jdbc, user)).with(csrf())).andReturn().getResponse();
        String body = response.getContentAsString(StandardCharsets.UTF_8);
        assertThat(response.getStatus()).as(body).isEqualTo(expected);
        return json.readTree(body);
    }

    private AbstractMockHttpServletRequestBuilder<?> upload(String name, byte[] content) {
        return multipart("/api/evaluations/import").file(new MockMultipartFile("file", name, "application/octet-stream", content));
    }

    private long stored() {
        return jdbc.sql("SELECT count(*) FROM external_evaluation").query(Long.class).single();
    }

    private Map<String, JsonNode> ranking() throws Exception {
        JsonNode answer = call(get("/api/rankings").param("level", "grid").param("week", WEEK).param("within", COMMUNITY), leader, 200);
        Map<String, JsonNode> rows = new HashMap<>();
        answer.path("rows").forEach(r -> rows.put(r.path("code").asString(), r));
        return rows;
    }

    @Test
    void aCsvImportWeighsExternalScoresIntoTheRankingAndChangesTheOrder() throws Exception {
        Map<String, JsonNode> before = ranking();
        assertThat(before.get(h.get(0)).path("score").asDouble()).isEqualTo(75.0);
        assertThat(before.get(h.get(1)).path("score").asDouble()).isEqualTo(87.5);
        assertThat(before.get(h.get(1)).path("rank").asInt()).isEqualTo(1);
        assertThat(before.get(h.get(0)).path("rank").asInt()).isEqualTo(2);

        String csv = """
                evaluation,evaluated_on,point_code,criterion,score,max_score
                国测,2025-05-20,%s,公益广告设置,6,6
                NATIONAL,2025-05-20,%s,"环境卫生,无暴露垃圾",4,4
                市测,2025-05-21,%s,公益广告设置,2,10
                """.formatted(pointH1, pointH1, pointH2);
        long batches = jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'EVALUATIONS_IMPORTED'").query(Long.class).single();
        JsonNode imported = call(upload("eval.csv", ("\uFEFF" + csv).getBytes(StandardCharsets.UTF_8)), leader, 201);
        assertThat(imported.path("imported").asInt()).isEqualTo(3);
        long batchId = imported.path("batchId").asLong();
        assertThat(jdbc.sql("SELECT count(*) FROM external_evaluation WHERE batch_id = ? AND evaluation = 'NATIONAL'").param(batchId)
                .query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT criterion FROM external_evaluation WHERE batch_id = ? AND score = 4").param(batchId)
                .query(String.class).single()).isEqualTo("环境卫生,无暴露垃圾");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'EVALUATIONS_IMPORTED'").query(Long.class).single())
                .isEqualTo(batches + 1);

        Map<String, JsonNode> after = ranking();
        assertThat(after.get(h.get(0)).path("components").path("externalScore").asDouble()).isEqualTo(1.0);
        assertThat(after.get(h.get(1)).path("components").path("externalScore").asDouble()).isEqualTo(0.2);
        assertThat(after.get(h.get(0)).path("score").asDouble()).isEqualTo(78.57);
        assertThat(after.get(h.get(1)).path("score").asDouble()).isEqualTo(77.86);
        assertThat(after.get(h.get(0)).path("rank").asInt()).isEqualTo(1);
        assertThat(after.get(h.get(1)).path("rank").asInt()).isEqualTo(2);

        JsonNode listed = call(get("/api/evaluations").param("within", COMMUNITY).param("limit", "10"), leader, 200);
        assertThat(listed.size()).isGreaterThanOrEqualTo(3);
        assertThat(listed.get(0).path("batchId").asLong()).isEqualTo(batchId);
        assertThat(listed.get(0).path("pointCode").asString()).isIn(pointH1, pointH2);
    }

    @Test
    void anXlsxBuiltWithPoiIsImportedFromItsFirstSheet() throws Exception {
        byte[] xlsx = xlsx(new Object[][] {
                {"evaluation", "evaluated_on", "point_code", "criterion", "score", "max_score"},
                {"省测", LocalDate.of(2020, 1, 15), pointH1, "门前三包", 8.5, 10},
                {"PROVINCIAL", "2020-01-16", pointH2, "门前三包", 7, 10}});
        JsonNode imported = call(upload("eval.xlsx", xlsx), leader, 201);
        assertThat(imported.path("imported").asInt()).isEqualTo(2);
        List<String> rows = jdbc.sql("""
                SELECT concat_ws('|', evaluation, evaluated_on, score::float8, max_score::float8) FROM external_evaluation WHERE batch_id = ?
                ORDER BY id""").param(imported.path("batchId").asLong()).query(String.class).list();
        assertThat(rows).containsExactly("PROVINCIAL|2020-01-15|8.5|10", "PROVINCIAL|2020-01-16|7|10");
    }

    @Test
    void badRowsAreReportedWithRowAndColumnAndNothingIsImported() throws Exception {
        long before = stored();
        String csv = """
                evaluation,evaluated_on,point_code,criterion,score,max_score
                CITY,2020-02-01,%s,公益广告设置,5,10
                CITY,2020-02-01,%s,公益广告设置,11,10
                CITY,2020-02-01,%s,公益广告设置,5,10
                年测,2020-02-30,NO-SUCH-POINT,,x,0
                """.formatted(pointH1, pointH1, pointOutside);
        JsonNode answer = call(upload("bad.csv", csv.getBytes(StandardCharsets.UTF_8)), leader, 400);
        List<String> errors = new java.util.ArrayList<>();
        answer.path("errors").forEach(e -> errors.add(e.path("row").asInt() + ":" + e.path("column").asString()));
        assertThat(errors).containsExactly("3:score", "4:point_code", "5:evaluation", "5:evaluated_on", "5:point_code", "5:criterion",
                "5:score", "5:max_score");
        assertThat(stored()).isEqualTo(before);

        byte[] xlsx = xlsx(new Object[][] {
                {"evaluation", "evaluated_on", "point_code", "criterion", "score", "max_score"},
                {"CITY", "2020-02-01", pointH1, "公益广告设置", 5, 10},
                {"CITY", "2020-02-01", pointH1, "公益广告设置", -1, 10}});
        JsonNode xlsxAnswer = call(upload("bad.xlsx", xlsx), leader, 400);
        assertThat(xlsxAnswer.path("errors").get(0).path("row").asInt()).isEqualTo(3);
        assertThat(xlsxAnswer.path("errors").get(0).path("column").asString()).isEqualTo("score");
        assertThat(stored()).isEqualTo(before);

        JsonNode missing = call(upload("cols.csv", "evaluation,point_code,score\nCITY,x,1\n".getBytes(StandardCharsets.UTF_8)), leader, 400);
        assertThat(missing.path("errors").get(0).path("row").asInt()).isEqualTo(1);
        assertThat(missing.path("errors").get(0).path("column").asString()).isEqualTo("evaluated_on");
        assertThat(stored()).isEqualTo(before);

        byte[] big = new byte[(int) EvaluationImport.MAX_BYTES + 1];
        assertThat(call(upload("big.csv", big), leader, 400).path("parameter").asString()).isEqualTo("file");
        String inspector = new RankingFixtures(jdbc).account("INSPECTOR", STREET);
        call(upload("eval.csv", csv.getBytes(StandardCharsets.UTF_8)), inspector, 403);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void listingOutsideTheScopeIs404() throws Exception {
        call(get("/api/evaluations").param("within", "320508001"), leader, 404);
    }

    private static byte[] xlsx(Object[][] rows) throws Exception {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = workbook.createSheet("测评结果");
            CellStyle dateStyle = workbook.createCellStyle();
            dateStyle.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            for (int r = 0; r < rows.length; r++) {
                Row row = sheet.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    Object value = rows[r][c];
                    if (value instanceof Number number) {
                        row.createCell(c).setCellValue(number.doubleValue());
                    } else if (value instanceof LocalDate date) {
                        row.createCell(c).setCellValue(date);
                        row.getCell(c).setCellStyle(dateStyle);
                    } else {
                        row.createCell(c).setCellValue(String.valueOf(value));
                    }
                }
            }
            workbook.createSheet("ignored").createRow(0).createCell(0).setCellValue("not read");
            workbook.write(out);
            return out.toByteArray();
        }
    }
}
