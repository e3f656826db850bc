package org.civicgrid.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestAccounts;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every indicator against a hand-computed fixture: ten problems of one street in the week of
 * 2024-03-04..10 (Shanghai), long before the demo city's data, so nothing else falls in the period.
 *
 * <pre>
 *      reported     accepted    dispatched  deadline     closed        status / events              place cat
 * P1   03-04 09:00  03-04 10:00 03-04 11:00 03-05 10:00  03-05 10:00   CLOSED exactly at deadline   A  GARB
 *                                                                       SUBMIT 03-05 09:00
 * P2   03-04 09:00  03-04 10:00 03-04 11:00 03-05 10:00  03-05 10:00:01 CLOSED one second late      A  GARB
 *                                                                       SUBMIT 08:00, RETURN 08:30, SUBMIT 09:30 (03-05)
 * P3   03-05 09:00  -           -           -            -             REJECTED                     A  GARB
 * P4   03-05 09:00  03-05 10:00 03-05 11:00 03-06 10:00  -             SUSPENDED past deadline      A  GARB
 * P5   03-06 09:00  03-06 10:00 03-06 11:00 03-07 10:00  -             IN_PROGRESS, overdue         A  GARB
 * P6   02-26 09:00  02-26 10:00 02-26 11:00 02-27 10:00  03-06 12:00   CLOSED late; SUBMIT 03-06 11 A  GARB
 * P7   03-08 09:00  03-08 10:00 -           03-20 10:00  -             ACCEPTED, not due            B  GARB
 * P8   03-09 09:00  03-09 10:00 03-09 11:00 03-10 10:00  03-12 10:00   CLOSED after the period;     B  PARK
 *                                                                       SUBMIT 03-12 09:00
 * P9   03-10 23:59:59 -         -           -            -             REPORTED (last second)       B  GARB
 * P10  03-11 00:00  -           -           -            -             REPORTED (after the period)  A  GARB
 * Inspections in grid A: 0.8 and 0.6 submitted in the period, 1.0 on 03-11.
 * </pre>
 * By hand: reported 8 (P1–5, P7–9); accepted 6 (P1, P2, P4, P5, P7, P8); closed 3 (P1, P2, P6), on time 1 (P1);
 * overdue at 03-11 00:00: P5 and P8 = 2 (P4 suspended); due to close 3 + 2 = 5: closure 3/5, on time 1/5;
 * dispatched 5 (P1, P2, P4, P5, P8), handled by the end 2 (P1, P2): 2/5; submissions 4, returns 1: 1/4;
 * hours to close 25, 25.0003, 219 → median 25.0; inspections 1.4 / 2 = 0.7.
 */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndicatorsTest {

    private static final String STREET = "320508001";
    private static final String FROM = "2024-03-04";
    private static final String TO = "2024-03-10";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    PasswordEncoder passwords;

    String leader;
    String admin;
    String otherLeader;
    String inspector;
    String gridA;
    long pointA;
    String streetBox;

    @BeforeAll
    void fixture() {
        // A reused test cluster still holds the fixture of an earlier run: start from none.
        jdbc.sql("DELETE FROM problem_event WHERE problem_id IN (SELECT id FROM problem WHERE description = '指标测试')").update();
        jdbc.sql("DELETE FROM problem WHERE description = '指标测试'").update();
        jdbc.sql("DELETE FROM inspection WHERE point_id IN (SELECT id FROM measurement_point WHERE name = '指标测试点位')").update();
        jdbc.sql("DELETE FROM measurement_point WHERE name = '指标测试点位'").update();
        leader = TestAccounts.create(jdbc, passwords, "LEADER", STREET);
        admin = TestAccounts.create(jdbc, passwords, "ADMIN", "320508");
        otherLeader = TestAccounts.create(jdbc, passwords, "LEADER", "320508002");
        inspector = TestAccounts.create(jdbc, passwords, "INSPECTOR", STREET);
        gridA = jdbc.sql("SELECT min(code) FROM grid WHERE valid_to IS NULL AND code LIKE ? || '%'").param(STREET).query(String.class).single();
        String a = "(SELECT ST_PointOnSurface(boundary) FROM grid WHERE code = '" + gridA + "' AND valid_to IS NULL)";
        // B: the point on surface of the street's grid farthest from A, so A and B fall in different cells at zoom 16.
        String b = "(SELECT c FROM grid g CROSS JOIN LATERAL ST_PointOnSurface(g.boundary) c WHERE g.valid_to IS NULL AND g.code LIKE '"
                + STREET + "%' ORDER BY ST_Distance(c::geography, " + a + "::geography) DESC LIMIT 1)";
        double metres = jdbc.sql("SELECT ST_Distance(" + a + "::geography, " + b + "::geography)").query(Double.class).single();
        assertThat(metres).as("A and B apart").isGreaterThan(300);
        pointA = jdbc.sql("""
                INSERT INTO measurement_point (type_code, name, geom) SELECT code, '指标测试点位', %s FROM point_type
                WHERE geometry_kind = 'POINT' ORDER BY code LIMIT 1 RETURNING id""".formatted(a)).query(Long.class).single();
        long p1 = problem(a, "EXPOSED_GARBAGE", "CLOSED", pointA, "03-04 09:00", "03-04 10:00", "03-04 11:00", "03-05 10:00", "03-05 10:00");
        long p2 = problem(a, "EXPOSED_GARBAGE", "CLOSED", pointA, "03-04 09:00", "03-04 10:00", "03-04 11:00", "03-05 10:00", "03-05 10:00:01");
        problem(a, "EXPOSED_GARBAGE", "REJECTED", pointA, "03-05 09:00", null, null, null, null);
        problem(a, "EXPOSED_GARBAGE", "SUSPENDED", null, "03-05 09:00", "03-05 10:00", "03-05 11:00", "03-06 10:00", null);
        problem(a, "EXPOSED_GARBAGE", "IN_PROGRESS", null, "03-06 09:00", "03-06 10:00", "03-06 11:00", "03-07 10:00", null);
        long p6 = problem(a, "EXPOSED_GARBAGE", "CLOSED", null, "02-26 09:00", "02-26 10:00", "02-26 11:00", "02-27 10:00", "03-06 12:00");
        problem(b, "EXPOSED_GARBAGE", "ACCEPTED", null, "03-08 09:00", "03-08 10:00", null, "03-20 10:00", null);
        long p8 = problem(b, "ILLEGAL_PARKING", "CLOSED", null, "03-09 09:00", "03-09 10:00", "03-09 11:00", "03-10 10:00", "03-12 10:00");
        problem(b, "EXPOSED_GARBAGE", "REPORTED", null, "03-10 23:59:59", null, null, null, null);
        problem(a, "EXPOSED_GARBAGE", "REPORTED", null, "03-11 00:00", null, null, null, null);
        event(p1, "SUBMIT", "03-05 09:00");
        event(p2, "SUBMIT", "03-05 08:00");
        event(p2, "RETURN", "03-05 08:30");
        event(p2, "SUBMIT", "03-05 09:30");
        event(p6, "SUBMIT", "03-06 11:00");
        event(p8, "SUBMIT", "03-12 09:00");
        inspection(0.8, "03-05 15:00");
        inspection(0.6, "03-09 15:00");
        inspection(1.0, "03-11 09:00");
        streetBox = jdbc.sql("""
                SELECT concat_ws(',', ST_XMin(e) - 0.01, ST_YMin(e) - 0.01, ST_XMax(e) + 0.01, ST_YMax(e) + 0.01)
                FROM (SELECT ST_Extent(boundary) AS e FROM street WHERE code = ?) x""").param(STREET).query(String.class).single();
    }

    private long problem(String place, String category, String status, Long pointId, String reported, String accepted, String dispatched,
                         String deadline, String closed) {
        return jdbc.sql("""
                INSERT INTO problem (point_id, category_code, status, location, description, reported_at, accepted_at, dispatched_at,
                                     warning_at, deadline_at, closed_at, rejection_reason)
                VALUES (?, ?, ?, %s, '指标测试', ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::timestamptz,
                        ?::timestamptz, ?) RETURNING id""".formatted(place))
                .param(pointId).param(category).param(status).param(at(reported)).param(at(accepted)).param(at(dispatched))
                .param(at(deadline)).param(at(deadline)).param(at(closed)).param(status.equals("REJECTED") ? "INVALID" : null)
                .query(Long.class).single();
    }

    private void event(long problemId, String action, String when) {
        jdbc.sql("INSERT INTO problem_event (problem_id, occurred_at, action) VALUES (?, ?::timestamptz, ?)")
                .param(problemId).param(at(when)).param(action).update();
    }

    private void inspection(double scoreRate, String when) {
        jdbc.sql("""
                INSERT INTO inspection (point_id, grid_id, inspector_id, status, started_at, submitted_at, passed_count, failed_count, score_rate)
                SELECT mp.id, mp.grid_id, (SELECT id FROM app_user ORDER BY id LIMIT 1), 'SUBMITTED', ?::timestamptz, ?::timestamptz, 0, 0, ?
                FROM measurement_point mp WHERE mp.id = ?""").param(at(when)).param(at(when)).param(scoreRate).param(pointA).update();
    }

    private static String at(String monthDayTime) {
        if (monthDayTime == null) {
            return null;
        }
        return "2024-" + monthDayTime + (monthDayTime.length() == 11 ? ":00" : "") + "+08";
    }

    private JsonNode getJson(String user, String url) throws Exception {
        String body = mvc.perform(get(url).with(TestSignIn.as(jdbc, user))).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        return json.readTree(body);
    }

    private static JsonNode indicator(JsonNode answer, String key) {
        for (JsonNode i : answer.path("indicators")) {
            if (i.path("key").asString().equals(key)) {
                return i;
            }
        }
        throw new AssertionError("no indicator " + key + " in " + answer);
    }

    private static void assertIndicator(JsonNode answer, String key, Double value, Double numerator, Double denominator, String unit) {
        JsonNode i = indicator(answer, key);
        assertThat(i.path("unit").asString()).as(key + " unit").isEqualTo(unit);
        assertThat(i.path("value").isNull() ? null : i.path("value").asDouble()).as(key + " value").isEqualTo(value);
        assertThat(i.path("numerator").isNull() ? null : i.path("numerator").asDouble()).as(key + " numerator").isEqualTo(numerator);
        assertThat(i.path("denominator").isNull() ? null : i.path("denominator").asDouble()).as(key + " denominator").isEqualTo(denominator);
        assertThat(i.path("formulaZh").asString()).as(key + " formula").isNotBlank();
        assertThat(i.path("formulaEn").asString()).as(key + " formula").isNotBlank();
    }

    @Test
    void everyIndicatorMatchesTheHandComputation() throws Exception {
        JsonNode answer = getJson(leader, "/api/indicators?area=" + STREET + "&from=" + FROM + "&to=" + TO);
        assertThat(answer.path("area").path("code").asString()).isEqualTo(STREET);
        assertThat(answer.path("area").path("level").asString()).isEqualTo("street");
        assertThat(answer.path("area").path("name").asString()).isNotBlank();
        assertThat(answer.path("from").asString()).isEqualTo(FROM);
        assertThat(answer.path("to").asString()).isEqualTo(TO);
        List<String> keys = new ArrayList<>();
        answer.path("indicators").forEach(i -> keys.add(i.path("key").asString()));
        assertThat(keys).containsExactly("reported", "accepted", "closed", "closureRate", "onTimeClosureRate", "handlingRate", "reworkRate",
                "overdue", "medianHoursToClose", "inspectionScoreRate");
        assertIndicator(answer, "reported", 8.0, 8.0, null, "count");
        assertIndicator(answer, "accepted", 6.0, 6.0, null, "count");
        assertIndicator(answer, "closed", 3.0, 3.0, null, "count");
        assertIndicator(answer, "closureRate", 0.6, 3.0, 5.0, "ratio");
        assertIndicator(answer, "onTimeClosureRate", 0.2, 1.0, 5.0, "ratio");
        assertIndicator(answer, "handlingRate", 0.4, 2.0, 5.0, "ratio");
        assertIndicator(answer, "reworkRate", 0.25, 1.0, 4.0, "ratio");
        assertIndicator(answer, "overdue", 2.0, 2.0, null, "count");
        assertIndicator(answer, "medianHoursToClose", 25.0, null, 3.0, "hours");
        assertIndicator(answer, "inspectionScoreRate", 0.7, 1.4, 2.0, "ratio");
    }

    @Test
    void categoryAndActionFiltersNarrowEveryCount() throws Exception {
        for (String filter : List.of("category=ILLEGAL_PARKING", "action=PARKING_ORDER")) {
            JsonNode answer = getJson(leader, "/api/indicators?area=" + STREET + "&from=" + FROM + "&to=" + TO + "&" + filter);
            assertIndicator(answer, "reported", 1.0, 1.0, null, "count");
            assertIndicator(answer, "accepted", 1.0, 1.0, null, "count");
            assertIndicator(answer, "closed", 0.0, 0.0, null, "count");
            assertIndicator(answer, "closureRate", 0.0, 0.0, 1.0, "ratio");
            assertIndicator(answer, "onTimeClosureRate", 0.0, 0.0, 1.0, "ratio");
            assertIndicator(answer, "handlingRate", 0.0, 0.0, 1.0, "ratio");
            assertIndicator(answer, "reworkRate", null, 0.0, 0.0, "ratio");
            assertIndicator(answer, "overdue", 1.0, 1.0, null, "count");
            assertIndicator(answer, "medianHoursToClose", null, null, 0.0, "hours");
        }
        JsonNode garbage = getJson(leader, "/api/indicators?area=" + STREET + "&from=" + FROM + "&to=" + TO + "&category=EXPOSED_GARBAGE");
        assertIndicator(garbage, "reported", 7.0, 7.0, null, "count");
        assertIndicator(garbage, "closureRate", 0.75, 3.0, 4.0, "ratio");
    }

    @Test
    void aGridCountsOnlyItsOwnProblems() throws Exception {
        JsonNode answer = getJson(admin, "/api/indicators?area=" + gridA + "&from=" + FROM + "&to=" + TO);
        assertThat(answer.path("area").path("level").asString()).isEqualTo("grid");
        assertIndicator(answer, "reported", 5.0, 5.0, null, "count");
        assertIndicator(answer, "closureRate", 0.75, 3.0, 4.0, "ratio");
        assertIndicator(answer, "inspectionScoreRate", 0.7, 1.4, 2.0, "ratio");
    }

    @Test
    void trendHasMondayToSundayWeeksOldestFirst() throws Exception {
        JsonNode answer = getJson(leader, "/api/indicators/trend?area=" + STREET + "&weeks=2&to=2024-03-07");
        JsonNode weeks = answer.path("weeks");
        assertThat(answer.path("area").path("code").asString()).isEqualTo(STREET);
        assertThat(weeks).hasSize(2);
        JsonNode first = weeks.get(0);
        assertThat(first.path("weekStart").asString()).isEqualTo("2024-02-26");
        // That week: P6 reported; at its end (03-04 00:00) P6 was past its deadline and not closed.
        assertThat(first.path("reported").asLong()).isEqualTo(1);
        assertThat(first.path("closed").asLong()).isZero();
        assertThat(first.path("overdue").asLong()).isEqualTo(1);
        assertThat(first.path("closureRate").asDouble()).isEqualTo(0.0);
        JsonNode second = weeks.get(1);
        assertThat(second.path("weekStart").asString()).isEqualTo("2024-03-04");
        assertThat(second.path("reported").asLong()).isEqualTo(8);
        assertThat(second.path("closed").asLong()).isEqualTo(3);
        assertThat(second.path("overdue").asLong()).isEqualTo(2);
        assertThat(second.path("closureRate").asDouble()).isEqualTo(0.6);
        assertThat(second.path("onTimeClosureRate").asDouble()).isEqualTo(0.2);
    }

    @Test
    void breakdownByCategoryAndByAction() throws Exception {
        JsonNode byCategory = getJson(leader, "/api/indicators/breakdown?area=" + STREET + "&from=" + FROM + "&to=" + TO + "&by=category");
        assertThat(byCategory.path("by").asString()).isEqualTo("category");
        JsonNode rows = byCategory.path("rows");
        assertThat(rows).hasSize(2);
        // Garbage: reported P1–P5, P7, P9; open at the end P4, P5, P7, P9; closed P1, P2, P6; overdue P5.
        assertRow(rows.get(0), "EXPOSED_GARBAGE", 7, 4, 3, 1);
        // Parking: P8 reported, still open at the period's end (closed on 03-12) and overdue.
        assertRow(rows.get(1), "ILLEGAL_PARKING", 1, 1, 0, 1);
        assertThat(rows.get(0).path("name").asString()).isEqualTo("暴露垃圾");
        JsonNode byAction = getJson(leader, "/api/indicators/breakdown?area=" + STREET + "&from=" + FROM + "&to=" + TO + "&by=action").path("rows");
        assertRow(byAction.get(0), "ENV_SANITATION", 7, 4, 3, 1);
        assertRow(byAction.get(1), "PARKING_ORDER", 1, 1, 0, 1);
    }

    private static void assertRow(JsonNode row, String code, long reported, long open, long closed, long overdue) {
        assertThat(row.path("code").asString()).isEqualTo(code);
        assertThat(List.of(row.path("reported").asLong(), row.path("open").asLong(), row.path("closed").asLong(), row.path("overdue").asLong()))
                .as(code).containsExactly(reported, open, closed, overdue);
    }

    @Test
    void heatmapBinsSumToTheProblemsInTheBoxAndPeriod() throws Exception {
        for (String[] statusAndCount : new String[][] {{"all", "8"}, {"open", "4"}, {"closed", "3"}}) {
            JsonNode map = getJson(leader, "/api/heatmap?bbox=" + streetBox + "&zoom=15&from=" + FROM + "&to=" + TO + "&status=" + statusAndCount[0]);
            assertThat(map.path("type").asString()).isEqualTo("FeatureCollection");
            assertThat(map.path("cellSizeMeters").asDouble()).isEqualTo(IndicatorQueries.hexSizeMeters(15));
            long sum = 0;
            long max = 0;
            for (JsonNode f : map.path("features")) {
                assertThat(f.path("geometry").path("type").asString()).isEqualTo("Polygon");
                assertThat(f.path("geometry").path("coordinates").get(0)).hasSize(7);
                assertThat(f.path("properties").path("cellId").asString()).startsWith("15/");
                sum += f.path("properties").path("count").asLong();
                max = Math.max(max, f.path("properties").path("count").asLong());
            }
            assertThat(sum).as(statusAndCount[0]).isEqualTo(Long.parseLong(statusAndCount[1]));
            assertThat(map.path("max").asLong()).isEqualTo(max);
        }
        JsonNode parking = getJson(leader, "/api/heatmap?bbox=" + streetBox + "&zoom=15&from=" + FROM + "&to=" + TO + "&action=PARKING_ORDER");
        assertThat(parking.path("features")).hasSize(1);
        assertThat(parking.path("max").asLong()).isEqualTo(1);
    }

    @Test
    void heatmapOfTheDemoCityMatchesARawCount() throws Exception {
        String box = jdbc.sql("""
                SELECT concat_ws(',', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)) FROM (SELECT ST_Extent(boundary) AS e FROM district) x""")
                .query(String.class).single();
        String from = java.time.LocalDate.now(Period.ZONE).minusDays(30).toString();
        String to = java.time.LocalDate.now(Period.ZONE).toString();
        long raw = jdbc.sql("""
                SELECT count(*) FROM problem p JOIN grid g ON g.id = p.grid_id
                WHERE g.code LIKE '320508%' AND p.category_code IN (SELECT code FROM problem_category WHERE action_code = 'ENV_SANITATION')
                  AND p.status <> 'CLOSED' AND p.status <> 'REJECTED'
                  AND p.reported_at >= (CAST(? AS date)::timestamp AT TIME ZONE 'Asia/Shanghai')
                  AND p.reported_at < ((CAST(? AS date) + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
                  AND p.location && ST_MakeEnvelope(?, ?, ?, ?, 4326)""")
                .param(from).param(to).params(java.util.Arrays.stream(box.split(",")).map(Double::valueOf).toArray())
                .query(Long.class).single();
        assertThat(raw).as("demo problems in the last 30 days").isGreaterThan(10);
        JsonNode map = getJson(admin, "/api/heatmap?bbox=" + box + "&zoom=12&from=" + from + "&to=" + to + "&action=ENV_SANITATION&status=open");
        long sum = 0;
        for (JsonNode f : map.path("features")) {
            sum += f.path("properties").path("count").asLong();
        }
        assertThat(sum).isEqualTo(raw);
        assertThat(map.path("features").size()).isGreaterThan(1);
    }

    @Test
    void hotspotsComeFullestFirstWithTheirCategoriesAndPoints() throws Exception {
        JsonNode spots = getJson(leader, "/api/heatmap/hotspots?bbox=" + streetBox + "&zoom=16&from=" + FROM + "&to=" + TO + "&limit=5")
                .path("hotspots");
        assertThat(spots).hasSize(2);
        JsonNode a = spots.get(0);
        assertThat(a.path("count").asLong()).isEqualTo(5);
        assertThat(a.path("topCategories")).hasSize(1);
        assertThat(a.path("topCategories").get(0).path("code").asString()).isEqualTo("EXPOSED_GARBAGE");
        assertThat(a.path("topCategories").get(0).path("count").asLong()).isEqualTo(5);
        assertThat(a.path("topPoints")).hasSize(1);
        assertThat(a.path("topPoints").get(0).path("id").asLong()).isEqualTo(pointA);
        assertThat(a.path("topPoints").get(0).path("count").asLong()).isEqualTo(3);
        assertThat(a.path("topPoints").get(0).path("name").asString()).isEqualTo("指标测试点位");
        assertThat(a.path("lon").asDouble()).isBetween(120.0, 121.5);
        JsonNode b = spots.get(1);
        assertThat(b.path("count").asLong()).isEqualTo(3);
        assertThat(b.path("topCategories").get(0).path("code").asString()).isEqualTo("EXPOSED_GARBAGE");
        assertThat(b.path("topCategories").get(0).path("count").asLong()).isEqualTo(2);
        assertThat(b.path("topCategories").get(1).path("code").asString()).isEqualTo("ILLEGAL_PARKING");
        assertThat(b.path("topPoints")).isEmpty();
        JsonNode one = getJson(leader, "/api/heatmap/hotspots?bbox=" + streetBox + "&zoom=16&from=" + FROM + "&to=" + TO + "&limit=1")
                .path("hotspots");
        assertThat(one).hasSize(1);
        assertThat(one.get(0).path("cellId").asString()).isEqualTo(a.path("cellId").asString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/indicators?area=320508001&to=2024-03-10|from",
            "/api/indicators?area=320508001&from=2024-03-04|to",
            "/api/indicators?area=320508001&from=2024-13-01&to=2024-03-10|from",
            "/api/indicators?area=320508001&from=2024-03-04&to=2024-03-01|to",
            "/api/indicators?area=320508001&from=2023-01-01&to=2024-03-10|to",
            "/api/indicators?area=320508001&from=2024-03-04&to=2024-03-10&category=NO_SUCH|category",
            "/api/indicators?area=320508001&from=2024-03-04&to=2024-03-10&action=no-such|action",
            "/api/indicators?area=320508001&from=2024-03-04&to=2024-03-10&action=NO_SUCH|action",
            "/api/indicators?area=abc&from=2024-03-04&to=2024-03-10|area",
            "/api/indicators/trend?area=320508001&weeks=53|weeks",
            "/api/indicators/trend?area=320508001&weeks=x|weeks",
            "/api/indicators/trend?area=320508001&to=yesterday|to",
            "/api/indicators/breakdown?area=320508001&from=2024-03-04&to=2024-03-10&by=grid|by",
            "/api/heatmap?bbox=120.5,31.2,120.4,31.4&zoom=13&from=2024-03-04&to=2024-03-10|bbox",
            "/api/heatmap?bbox=120.5,31.2,120.7&zoom=13&from=2024-03-04&to=2024-03-10|bbox",
            "/api/heatmap?bbox=120.5,31.2,120.7,31.4&zoom=23&from=2024-03-04&to=2024-03-10|zoom",
            "/api/heatmap?bbox=120.5,31.2,120.7,31.4&from=2024-03-04&to=2024-03-10|zoom",
            "/api/heatmap?bbox=120.5,31.2,120.7,31.4&zoom=13&from=2024-03-04|to",
            "/api/heatmap?bbox=120.5,31.2,120.7,31.4&zoom=13&from=2024-03-04&to=2024-03-10&status=late|status",
            "/api/heatmap?bbox=120.5,31.2,120.7,31.4&zoom=13&from=2024-03-04&to=2024-03-10&category=NOPE|category",
            "/api/heatmap/hotspots?bbox=120.5,31.2,120.7,31.4&zoom=13&from=2024-03-04&to=2024-03-10&limit=51|limit",
            "/api/heatmap/hotspots?bbox=x&zoom=13&from=2024-03-04&to=2024-03-10|bbox",
    })
    void badParametersAreRefusedNamingTheParameter(String url, String parameter) throws Exception {
        mvc.perform(get(url).with(TestSignIn.as(jdbc, leader))).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.parameter").value(parameter))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(parameter)));
    }

    @Test
    void onlyLeadersAndAdminsOfTheAreaMayLook() throws Exception {
        String url = "/api/indicators?area=" + STREET + "&from=" + FROM + "&to=" + TO;
        mvc.perform(get(url).with(TestSignIn.as(jdbc, inspector))).andExpect(status().isForbidden());
        mvc.perform(get("/api/heatmap?bbox=" + streetBox + "&zoom=15&from=" + FROM + "&to=" + TO).with(TestSignIn.as(jdbc, inspector)))
                .andExpect(status().isForbidden());
        mvc.perform(get(url).with(TestSignIn.as(jdbc, otherLeader))).andExpect(status().isNotFound());
        mvc.perform(get("/api/indicators?area=320508&from=" + FROM + "&to=" + TO).with(TestSignIn.as(jdbc, leader)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/indicators?area=" + STREET + "999&from=" + FROM + "&to=" + TO).with(TestSignIn.as(jdbc, leader)))
                .andExpect(status().isNotFound());
        mvc.perform(get(url)).andExpect(status().isUnauthorized());
        // The other street's leader sees none of this street's problems on the heatmap.
        JsonNode map = getJson(otherLeader, "/api/heatmap?bbox=" + streetBox + "&zoom=15&from=" + FROM + "&to=" + TO);
        assertThat(map.path("features")).isEmpty();
        assertThat(map.path("max").asLong()).isZero();
    }
}
