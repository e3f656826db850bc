package org.civicgrid.bulletins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.indicators.IndicatorFilters;
import org.civicgrid.indicators.IndicatorReport;
import org.civicgrid.indicators.Indicators;
import org.civicgrid.indicators.Period;
import org.civicgrid.photos.PhotoStore;
import org.civicgrid.ranking.RankingService;
import org.civicgrid.ranking.WeeklyRanking;
import org.civicgrid.security.CallerScope;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;
import org.civicgrid.security.TestAccounts;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.ErrorResponseException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The weekly bulletin. Two weeks: the demo city's last complete week for the district 320508 (figures and ranking order compared
 * with {@link Indicators} and {@link RankingService}, the dashboard's services), and a hand-made week 2024-09-02 in street
 * 320508006 where the demo city has nothing: one point named with a {@code <script>} tag holding three problems reported on
 * Tuesday, due Thursday, closed only on 2024-09-20 (so 3 reported, 3 overdue at the week's end, none closed), one urged and
 * supervised, one urged, and a before photo.
 */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BulletinTest {

    static final String DISTRICT = "320508";
    static final String STREET = "320508006";
    static final String FIXTURE_WEEK = "2024-09-02";
    static final String POINT_NAME = "<script>alert(\"通报\")</script>通报测试点位";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    Indicators indicators;

    @Autowired
    RankingService rankings;

    @Autowired
    PhotoStore photos;

    String admin;
    String leader;
    String otherLeader;
    String inspector;
    LocalDate demoWeek;
    long pointId;
    List<Long> problems = new ArrayList<>();
    UUID photoId;

    @BeforeAll
    void fixture() {
        // A reused test cluster still holds the fixture of an earlier run: start from none.
        jdbc.sql("""
                DELETE FROM problem_event_photo WHERE event_id IN (SELECT e.id FROM problem_event e JOIN problem p ON p.id = e.problem_id
                                                                   WHERE p.description = '通报测试')""").update();
        jdbc.sql("DELETE FROM problem_event WHERE problem_id IN (SELECT id FROM problem WHERE description = '通报测试')").update();
        jdbc.sql("DELETE FROM problem WHERE description = '通报测试'").update();
        jdbc.sql("DELETE FROM measurement_point WHERE name = ?").param(POINT_NAME).update();
        admin = TestAccounts.create(jdbc, passwords, "ADMIN", DISTRICT);
        leader = TestAccounts.create(jdbc, passwords, "LEADER", STREET);
        otherLeader = TestAccounts.create(jdbc, passwords, "LEADER", "320508002");
        inspector = TestAccounts.create(jdbc, passwords, "INSPECTOR", STREET);
        // The complete week in which the demo city reported most problems (its problems carry an external id).
        demoWeek = jdbc.sql("""
                SELECT CAST(date_trunc('week', reported_at AT TIME ZONE 'Asia/Shanghai') AS date) FROM problem
                WHERE external_id IS NOT NULL AND reported_at < date_trunc('week', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
                GROUP BY 1 ORDER BY count(*) DESC, 1 DESC LIMIT 1""").query(LocalDate.class).single();
        assertThat(demoWeek.getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);

        String grid = jdbc.sql("SELECT min(code) FROM grid WHERE valid_to IS NULL AND code LIKE ? || '%'").param(STREET).query(String.class).single();
        pointId = jdbc.sql("""
                INSERT INTO measurement_point (type_code, name, geom)
                SELECT t.code, :name, (SELECT ST_PointOnSurface(boundary) FROM grid WHERE code = :grid AND valid_to IS NULL)
                FROM point_type t WHERE t.geometry_kind = 'POINT' ORDER BY t.code LIMIT 1 RETURNING id""")
                .param("name", POINT_NAME).param("grid", grid).query(Long.class).single();
        for (int i = 0; i < 3; i++) {
            problems.add(jdbc.sql("""
                    INSERT INTO problem (point_id, category_code, status, location, description, reported_at, accepted_at, dispatched_at,
                                         warning_at, deadline_at, closed_at, handler_department_code)
                    SELECT mp.id, 'EXPOSED_GARBAGE', 'CLOSED', mp.geom, '通报测试', :reported, :reported, :reported, :warning, :deadline, :closed,
                           (SELECT min(code) FROM department)
                    FROM measurement_point mp WHERE mp.id = :point RETURNING id""")
                    .param("point", pointId).param("reported", at("2024-09-03T09:00")).param("warning", at("2024-09-04T12:00"))
                    .param("deadline", at("2024-09-05T10:00")).param("closed", at("2024-09-20T10:00")).query(Long.class).single());
        }
        event(problems.get(0), "URGE", "2024-09-04T10:00");
        event(problems.get(0), "SUPERVISE", "2024-09-06T10:00");
        event(problems.get(1), "URGE", "2024-09-05T10:00");
        event(problems.get(2), "URGE", "2024-09-08T23:59:59"); // Sunday: still in the week
        event(problems.get(2), "URGE", "2024-09-09T00:00"); // the next Monday: not in the week
        long userId = jdbc.sql("SELECT id FROM app_user WHERE username = ?").param(leader).query(Long.class).single();
        photoId = photos.store(jpeg(), new CurrentUser(userId, leader, leader, Set.of(Role.LEADER),
                new CallerScope(List.of(STREET), Optional.empty()), "127.0.0.1", false)).id();
        long report = event(problems.get(2), "REPORT", "2024-09-03T09:00");
        jdbc.sql("INSERT INTO problem_event_photo (event_id, photo_id, purpose) VALUES (?, ?, 'BEFORE')").param(report).param(photoId).update();
    }

    static byte[] jpeg() {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = image.createGraphics();
            g.setColor(java.awt.Color.ORANGE);
            g.fillRect(8, 8, 40, 30);
            g.dispose();
            javax.imageio.ImageIO.write(image, "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static OffsetDateTime at(String local) {
        return OffsetDateTime.parse(local + "+08:00");
    }

    long event(long problemId, String action, String when) {
        return jdbc.sql("INSERT INTO problem_event (problem_id, occurred_at, action) VALUES (?, ?, ?) RETURNING id").param(problemId)
                .param(at(when)).param(action).query(Long.class).single();
    }

    MockHttpServletResponse call(String user, String week, String area, String format) throws Exception {
        var request = get("/api/bulletins/{week}", week).param("area", area);
        if (format != null) {
            request = request.param("format", format);
        }
        return mvc.perform(request.with(TestSignIn.as(jdbc, user))).andReturn().getResponse();
    }

    static CallerScope district() {
        return new CallerScope(List.of(DISTRICT), Optional.empty());
    }

    @Test
    void xlsxHoldsTheDashboardsFiguresAndRankingOrder() throws Exception {
        MockHttpServletResponse response = call(admin, demoWeek.toString(), DISTRICT, "xlsx");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).startsWith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assertThat(response.getHeader("Content-Disposition")).startsWith("attachment; filename=\"bulletin-320508-" + demoWeek + ".xlsx\"")
                .contains("filename*=UTF-8''");
        IndicatorReport expected = indicators.indicators(district(), DISTRICT, demoWeek, demoWeek.plusDays(6), IndicatorFilters.NONE);
        IndicatorReport before = indicators.indicators(district(), DISTRICT, demoWeek.minusWeeks(1), demoWeek.minusDays(1), IndicatorFilters.NONE);
        assertThat(expected.get("reported").value().longValue()).as("the demo city has problems in the week").isPositive();
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(response.getContentAsByteArray()))) {
            List<String> names = new ArrayList<>();
            workbook.forEach(s -> names.add(s.getSheetName()));
            assertThat(names).containsExactly("概况", "排名", "红黑榜", "重点点位", "超期与督办", "备注");

            Sheet summary = workbook.getSheet("概况");
            assertThat(summary.getRow(0).getCell(0).getStringCellValue()).contains("创建全国文明城市").contains("工作通报");
            assertThat(summary.getRow(BulletinXlsx.SUMMARY_HEADER_ROW).getCell(2).getStringCellValue()).isEqualTo("本周");
            assertThat(summary.getPaneInformation().isFreezePane()).isTrue();
            int checked = 0;
            for (Row row : summary) {
                if (row.getRowNum() <= BulletinXlsx.SUMMARY_HEADER_ROW) {
                    continue;
                }
                String key = row.getCell(1).getStringCellValue();
                Number now = expected.get(key).value();
                Number then = before.get(key).value();
                assertThat(numeric(row.getCell(2))).as("this week's %s", key).isEqualTo(now == null ? null : now.doubleValue());
                assertThat(numeric(row.getCell(3))).as("last week's %s", key).isEqualTo(then == null ? null : then.doubleValue());
                if (expected.get(key).unit().equals("ratio") && now != null) {
                    assertThat(row.getCell(2).getCellStyle().getDataFormatString()).as("%s as a percentage", key).isEqualTo("0.0%");
                }
                checked++;
            }
            assertThat(checked).isEqualTo(10);

            WeeklyRanking streets = rankings.ranking(district(), "street", demoWeek, DISTRICT);
            WeeklyRanking departments = rankings.ranking(district(), "department", demoWeek, DISTRICT);
            assertThat(streets.rows()).hasSize(7);
            assertThat(column(workbook.getSheet("排名"), "街道", 4)).containsExactlyElementsOf(streets.rows().stream().map(WeeklyRanking.Row::code).toList());
            assertThat(column(workbook.getSheet("排名"), "部门", 4))
                    .containsExactlyElementsOf(departments.rows().stream().map(WeeklyRanking.Row::code).toList());
            assertThat(numeric(workbook.getSheet("排名").getRow(1).getCell(6))).isEqualTo(streets.rows().get(0).score());
            long red = streets.rows().stream().filter(r -> "RED".equals(r.list())).count()
                    + departments.rows().stream().filter(r -> "RED".equals(r.list())).count();
            assertThat(column(workbook.getSheet("红黑榜"), "红榜", 3)).hasSize((int) red);
            assertThat(workbook.getSheet("备注").getLastRowNum()).isEqualTo(7);
            assertThat(workbook.getSheet("重点点位").getLastRowNum()).isEqualTo(10);
            long overdueRows = column(workbook.getSheet("超期与督办"), "超期", 1).size();
            assertThat(overdueRows).isEqualTo(Math.min(200, expected.get("overdue").value().longValue()));
        }
    }

    @Test
    void pdfHasTheChineseHeadingsEmbedsItsFontAndThePhotos() throws Exception {
        MockHttpServletResponse response = call(admin, demoWeek.toString(), DISTRICT, "pdf");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).isEqualTo("application/pdf");
        assertThat(response.getHeader("Content-Disposition")).startsWith("inline; filename=\"bulletin-320508-" + demoWeek + ".pdf\"");
        Path pdf = Files.createTempFile("bulletin", ".pdf");
        Files.write(pdf, response.getContentAsByteArray());
        String text = run("pdftotext", "-layout", pdf.toString(), "-");
        String districtName = jdbc.sql("SELECT name FROM district WHERE code = ?").param(DISTRICT).query(String.class).single();
        assertThat(text).contains("工作通报", "排名", "红榜", "黑榜", "超期", "重点点位", districtName);
        String fonts = run("pdffonts", pdf.toString());
        List<String> fontLines = fonts.lines().skip(2).filter(l -> !l.isBlank()).toList();
        assertThat(fontLines).isNotEmpty();
        // columns: name type encoding emb sub uni object ID — every font embedded
        assertThat(fontLines).allSatisfy(l -> assertThat(l).containsPattern("\\s(yes)\\s+(yes|no)\\s+(yes|no)\\s+\\d+\\s+\\d+$"));

        MockHttpServletResponse street = call(leader, FIXTURE_WEEK, STREET, "pdf");
        assertThat(street.getStatus()).isEqualTo(200);
        Path withPhoto = Files.createTempFile("bulletin", ".pdf");
        Files.write(withPhoto, street.getContentAsByteArray());
        assertThat(run("pdftotext", withPhoto.toString(), "-")).contains("工作通报", "超期问题（共 3 件）");
        assertThat(run("pdfimages", "-list", withPhoto.toString()).lines().skip(2).filter(l -> !l.isBlank()).count())
                .as("the point's before photo embedded").isEqualTo(1);
        Files.delete(pdf);
        Files.delete(withPhoto);
    }

    @Test
    void htmlShowsTheSameFiguresAndEscapesWhatPeopleTyped() throws Exception {
        MockHttpServletResponse response = call(leader, FIXTURE_WEEK, STREET, "html");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).startsWith("text/html");
        String html = response.getContentAsString(StandardCharsets.UTF_8);
        assertThat(html).contains("&lt;script&gt;alert(&quot;通报&quot;)&lt;/script&gt;通报测试点位").doesNotContain("<script")
                .doesNotContain("style=").contains("<link rel=\"stylesheet\" href=\"/css/bulletin.css\">");
        String streetName = jdbc.sql("SELECT name FROM street WHERE code = ?").param(STREET).query(String.class).single();
        assertThat(html).contains("<h1>" + streetName + " 创建全国文明城市 第36周工作通报</h1>").contains("2024-09-02 至 2024-09-08");
        // The hand-made week: 3 reported, none closed, 3 overdue at its end (deadline Thursday, closed on the 20th).
        assertThat(html).contains("<tr data-key=\"reported\"><th>上报数（件）</th><td class=\"num\">3</td><td class=\"num\">0</td><td class=\"num\">+3</td>")
                .contains("<tr data-key=\"closed\"><th>结案数（件）</th><td class=\"num\">0</td>")
                .contains("<tr data-key=\"closureRate\"><th>结案率</th><td class=\"num\">0.0%</td>")
                .contains("<tr data-key=\"overdue\"><th>超期数（件）</th><td class=\"num\">3</td>")
                .contains("超期问题（共 3 件）").contains("本周催办、督办问题（共 3 件）")
                .contains("催办 1 次，督办 1 次");
        IndicatorReport expected = indicators.indicators(new CallerScope(List.of(STREET), Optional.empty()), STREET, LocalDate.parse(FIXTURE_WEEK),
                LocalDate.parse(FIXTURE_WEEK).plusDays(6), IndicatorFilters.NONE);
        assertThat(expected.get("reported").value().longValue()).isEqualTo(3);
        assertThat(expected.get("overdue").value().longValue()).isEqualTo(3);
        // The worst point: 3 open at the week's end, red (overdue), with its before photo as a thumbnail.
        assertThat(html).contains("<td class=\"num\">3</td><td class=\"light-red\">红灯</td>")
                .contains("<img src=\"/api/photos/" + photoId + "/thumbnail\" alt=\"整改前\">");
        String category = jdbc.sql("SELECT name_zh FROM problem_category WHERE code = 'EXPOSED_GARBAGE'").query(String.class).single();
        for (long id : problems) {
            assertThat(html).contains("<td class=\"num\">" + id + "</td><td>" + category + "</td>");
        }
        // Communities of the street are ranked and each gets a note.
        long communities = jdbc.sql("SELECT count(*) FROM community WHERE street_code = ?").param(STREET).query(Long.class).single();
        assertThat(html.split("<table class=\"ranking\" data-level=\"community\">")).hasSize(2);
        assertThat(html.split("<li><strong>")).hasSize((int) communities + 1);
        assertThat(html).contains("结案率 0.0%；超期 3 件；上报 3 件（上周 0 件）");
    }

    @Test
    void xlsxListsThePhotoLinksAndTheUrgedProblems() throws Exception {
        MockHttpServletResponse response = call(admin, FIXTURE_WEEK, STREET, "xlsx");
        assertThat(response.getStatus()).isEqualTo(200);
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(response.getContentAsByteArray()))) {
            Row point = workbook.getSheet("重点点位").getRow(1);
            assertThat(point.getCell(2).getStringCellValue()).isEqualTo(POINT_NAME);
            assertThat(numeric(point.getCell(5))).isEqualTo(3.0);
            assertThat(point.getCell(8).getStringCellValue()).endsWith("/api/photos/" + photoId);
            assertThat(point.getCell(8).getHyperlink().getAddress()).endsWith("/api/photos/" + photoId);
            Sheet problemsSheet = workbook.getSheet("超期与督办");
            assertThat(column(problemsSheet, "超期", 1)).hasSize(3);
            assertThat(column(problemsSheet, "催办督办", 1)).hasSize(3);
            for (Row row : problemsSheet) {
                if (row.getRowNum() > 0 && row.getCell(0).getStringCellValue().equals("超期")) {
                    assertThat(numeric(row.getCell(7))).as("days overdue: Thursday 10:00 to Monday 00:00, rounded up").isEqualTo(4.0);
                }
            }
        }
    }

    @Test
    void badWeeksFormatsRolesAndAreasAreRefused() throws Exception {
        assertProblem(call(admin, "2024-09-03", STREET, "html"), 400, "week");
        assertProblem(call(admin, "2024-9-2", STREET, "html"), 400, "week");
        assertProblem(call(admin, "last-week", STREET, "html"), 400, "week");
        assertProblem(call(admin, FIXTURE_WEEK, STREET, "docx"), 400, "format");
        assertProblem(call(admin, FIXTURE_WEEK, "32050", "html"), 400, "area");
        assertThat(call(inspector, FIXTURE_WEEK, STREET, "html").getStatus()).isEqualTo(403);
        assertThat(call(otherLeader, FIXTURE_WEEK, STREET, "pdf").getStatus()).isEqualTo(404);
        assertThat(call(leader, FIXTURE_WEEK, DISTRICT, "xlsx").getStatus()).as("the district above the leader's street").isEqualTo(404);
        assertThat(call(admin, FIXTURE_WEEK, "320508999", "html").getStatus()).isEqualTo(404);
    }

    @Test
    void withoutACjkFontThePdfAnswers503NamingThePackage(@org.junit.jupiter.api.io.TempDir Path empty) {
        BulletinFont none = new BulletinFont("/no/such/font.ttf", List.of(), List.of(empty));
        assertThatThrownBy(none::font).isInstanceOfSatisfying(ErrorResponseException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(e.getBody().getDetail()).contains("fonts-noto-cjk").contains("/no/such/font.ttf");
        });
        assertThat(new BulletinFont("", BulletinFont.KNOWN, List.of()).locate()).as("this machine has fonts-noto-cjk")
                .contains("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc,2");
    }

    void assertProblem(MockHttpServletResponse response, int status, String parameter) throws Exception {
        String body = response.getContentAsString(StandardCharsets.UTF_8);
        assertThat(response.getStatus()).as(body).isEqualTo(status);
        JsonNode problem = json.readTree(body);
        assertThat(problem.path("parameter").asString()).as(body).isEqualTo(parameter);
    }

    static Double numeric(Cell cell) {
        return cell == null ? null : cell.getNumericCellValue();
    }

    static List<String> column(Sheet sheet, String kind, int column) {
        List<String> values = new ArrayList<>();
        for (Row row : sheet) {
            if (row.getRowNum() > 0 && row.getCell(0) != null && row.getCell(0).getStringCellValue().equals(kind)) {
                Cell c = row.getCell(column);
                values.add(c.getCellType() == org.apache.poi.ss.usermodel.CellType.NUMERIC ? Long.toString((long) c.getNumericCellValue())
                        : c.getStringCellValue());
            }
        }
        return values;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is missing: install poppler-utils (./civicgrid test does)", e);
        }
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(command[0]).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
