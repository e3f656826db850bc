package org.civicgrid.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.geoformats.GeoFeature;
import org.civicgrid.geoformats.GeoFileFormat;
import org.civicgrid.geoformats.GeoFiles;
import org.civicgrid.security.TestAccounts;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Import of points and problems (preview, commit, errors, re-import, CRS, formats) and export of layers, as users of street 320508001. */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportExportTest {

    private static final String STREET = "320508001";
    private static final String OTHER_STREET = "320508002";
    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    PasswordEncoder passwords;

    private String planner;
    private String inspector;
    private String leader;
    private String handler;
    private String gridManager;
    /** Three grids of the street and a place inside each (lon, lat), and one place in the other street. */
    private final List<String> grids = new ArrayList<>();
    private final List<double[]> places = new ArrayList<>();
    private double[] outside;

    @BeforeAll
    void accounts() {
        planner = TestAccounts.create(jdbc, passwords, "PLANNER", STREET);
        inspector = TestAccounts.create(jdbc, passwords, "INSPECTOR", STREET);
        leader = TestAccounts.create(jdbc, passwords, "LEADER", STREET);
        handler = TestAccounts.create(jdbc, passwords, "HANDLER", STREET);
        gridManager = TestAccounts.create(jdbc, passwords, "GRID_MANAGER", STREET);
        jdbc.sql("""
                SELECT code, ST_X(ST_PointOnSurface(boundary)) AS lon, ST_Y(ST_PointOnSurface(boundary)) AS lat FROM grid
                WHERE valid_to IS NULL AND code LIKE ? ORDER BY code LIMIT 3""").param(STREET + "%").query((rs, n) -> {
            grids.add(rs.getString("code"));
            places.add(new double[] {rs.getDouble("lon"), rs.getDouble("lat")});
            return null;
        }).list();
        outside = jdbc.sql("""
                SELECT ST_X(ST_PointOnSurface(boundary)), ST_Y(ST_PointOnSurface(boundary)) FROM grid
                WHERE valid_to IS NULL AND code LIKE ? ORDER BY code LIMIT 1""").param(OTHER_STREET + "%")
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();
    }

    private static String nonce() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private MockHttpServletResponse upload(String user, String kind, String crs, String fileName, byte[] content) throws Exception {
        var request = multipart("/api/imports").file(new MockMultipartFile("file", fileName, "application/octet-stream", content))
                .param("kind", kind);
        if (crs != null) {
            request.param("crs", crs);
        }
        return mvc.perform(request.with(TestSignIn.as(jdbc, user)).with(csrf())).andReturn().getResponse();
    }

    private JsonNode preview(String user, String kind, String crs, String fileName, String csv) throws Exception {
        MockHttpServletResponse response = upload(user, kind, crs, fileName, csv.getBytes(StandardCharsets.UTF_8));
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(201);
        return json.readTree(response.getContentAsString(StandardCharsets.UTF_8));
    }

    private MockHttpServletResponse commit(String user, long id) throws Exception {
        return mvc.perform(post("/api/imports/{id}/commit", id).with(TestSignIn.as(jdbc, user)).with(csrf())).andReturn().getResponse();
    }

    private JsonNode committed(String user, long id) throws Exception {
        MockHttpServletResponse response = commit(user, id);
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        JsonNode job = json.readTree(response.getContentAsString(StandardCharsets.UTF_8));
        assertThat(job.path("status").asString()).isEqualTo("COMMITTED");
        return job;
    }

    private String pointsCsv(String prefix) {
        StringBuilder csv = new StringBuilder("external_id,type_code,name,address,responsible_unit,lon,lat\n");
        for (int i = 0; i < 3; i++) {
            csv.append(prefix).append('-').append(i).append(",BANK,测试网点 ").append(i).append(",\"测试路 ").append(i)
                    .append(" 号, 2 楼\",测试单位,").append(places.get(i)[0]).append(',').append(places.get(i)[1]).append('\n');
        }
        return csv.toString();
    }

    private long count(String sql, Object... params) {
        var spec = jdbc.sql(sql);
        for (Object p : params) {
            spec = spec.param(p);
        }
        return spec.query(Long.class).single();
    }

    @Test
    void csvPreviewThenCommitCreatesPointsInTheirGridsAndReimportUpdatesThem() throws Exception {
        String prefix = "imp-" + nonce();
        Map<String, Long> statsBefore = new LinkedHashMap<>();
        for (String grid : grids) {
            statsBefore.put(grid, count("SELECT coalesce((SELECT points FROM grid_map_stats s JOIN grid g ON g.id = s.grid_id WHERE g.code = ? AND g.valid_to IS NULL), 0)::bigint", grid));
        }
        JsonNode preview = preview(planner, "points", null, "points.csv", pointsCsv(prefix));
        assertThat(preview.path("kind").asString()).isEqualTo("points");
        assertThat(preview.path("status").asString()).isEqualTo("PREVIEWED");
        assertThat(preview.path("rows").asInt()).isEqualTo(3);
        assertThat(preview.path("valid").asInt()).isEqualTo(3);
        assertThat(preview.path("errors")).isEmpty();
        assertThat(preview.path("creates").asInt()).isEqualTo(3);
        assertThat(preview.path("updates").asInt()).isZero();
        assertThat(preview.path("sample")).hasSize(3);
        assertThat(preview.path("sample").path(0).path("row").asInt()).isEqualTo(2);
        assertThat(preview.path("sample").path(1).path("grid_code").asString()).isEqualTo(grids.get(1));
        assertThat(preview.path("sample").path(2).path("address").asString()).isEqualTo("测试路 2 号, 2 楼");
        assertThat(count("SELECT count(*) FROM measurement_point WHERE external_id LIKE ?", prefix + "%")).as("nothing written by a preview").isZero();

        long id = preview.path("id").asLong();
        JsonNode job = committed(planner, id);
        assertThat(job.path("creates").asInt()).isEqualTo(3);
        assertThat(job.path("progress").path("processed").asInt()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            Map<String, Object> row = jdbc.sql("""
                    SELECT g.code, ST_X(mp.geom) AS lon, ST_Y(mp.geom) AS lat, mp.address FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id
                    WHERE mp.external_id = ?""").param(prefix + "-" + i).query().singleRow();
            assertThat(row.get("code")).isEqualTo(grids.get(i));
            assertThat((Double) row.get("lon")).isCloseTo(places.get(i)[0], org.assertj.core.data.Offset.offset(1e-9));
            assertThat((Double) row.get("lat")).isCloseTo(places.get(i)[1], org.assertj.core.data.Offset.offset(1e-9));
            assertThat(count("SELECT points::bigint FROM grid_map_stats s JOIN grid g ON g.id = s.grid_id WHERE g.code = ? AND g.valid_to IS NULL",
                    grids.get(i))).as("map statistics of grid %s", grids.get(i)).isEqualTo(statsBefore.get(grids.get(i)) + 1);
        }
        assertThat(count("""
                SELECT count(*) FROM audit_log WHERE action = 'IMPORT_COMMITTED' AND object_id = ? AND (after_state ->> 'created')::int = 3
                  AND actor = ?""", String.valueOf(id), planner)).isEqualTo(1);
        assertThat(commit(planner, id).getStatus()).as("committing twice").isEqualTo(409);

        JsonNode again = preview(planner, "points", "WGS84", "points.csv", pointsCsv(prefix).replace("测试单位", "新单位"));
        assertThat(again.path("creates").asInt()).isZero();
        assertThat(again.path("updates").asInt()).isEqualTo(3);
        assertThat(again.path("sample").path(0).path("action").asString()).isEqualTo("update");
        JsonNode second = committed(planner, again.path("id").asLong());
        assertThat(second.path("creates").asInt()).isZero();
        assertThat(second.path("updates").asInt()).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM measurement_point WHERE external_id LIKE ?", prefix + "%")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM measurement_point WHERE external_id LIKE ? AND responsible_unit = '新单位'", prefix + "%")).isEqualTo(3);
        for (String grid : grids) {
            assertThat(count("SELECT points::bigint FROM grid_map_stats s JOIN grid g ON g.id = s.grid_id WHERE g.code = ? AND g.valid_to IS NULL", grid))
                    .as("re-import leaves the statistics").isEqualTo(statsBefore.get(grid) + 1);
        }
        assertThat(mvc.perform(get("/api/imports/{id}", id).with(TestSignIn.as(jdbc, planner))).andReturn().getResponse().getStatus()).isEqualTo(200);
        assertThat(mvc.perform(get("/api/imports/{id}", id).with(TestSignIn.as(jdbc, leader))).andReturn().getResponse().getStatus())
                .as("another user's import").isEqualTo(404);
    }

    @Test
    void gcj02AndBd09InputLandWithinAMetreOfTheWgs84Truth() throws Exception {
        double[] truth = places.get(0);
        double[] gcj = ChinaCoordinates.wgsToGcj(truth[0], truth[1]);
        double[] bd = ChinaCoordinates.wgsToBd(truth[0], truth[1]);
        assertThat(metres(truth, gcj)).as("GCJ-02 is offset by hundreds of metres").isGreaterThan(100);
        assertThat(metres(truth, ChinaCoordinates.gcjToWgs(gcj[0], gcj[1]))).isLessThan(0.01);
        assertThat(metres(truth, ChinaCoordinates.bdToWgs(bd[0], bd[1]))).isLessThan(1);

        String prefix = "crs-" + nonce();
        for (String[] input : new String[][] {{"GCJ02", gcj[0] + "," + gcj[1]}, {"BD09", bd[0] + "," + bd[1]}}) {
            String csv = "external_id,type_code,name,lon,lat\n" + prefix + input[0] + ",BANK,坐标测试," + input[1] + "\n";
            JsonNode preview = preview(planner, "points", input[0], "crs.csv", csv);
            assertThat(preview.path("errors")).as(preview.toString()).isEmpty();
            committed(planner, preview.path("id").asLong());
            double distance = jdbc.sql("""
                    SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography) FROM measurement_point WHERE external_id = ?""")
                    .param(truth[0]).param(truth[1]).param(prefix + input[0]).query(Double.class).single();
            assertThat(distance).as(input[0]).isLessThan(1.0);
        }
        // WKT in GCJ-02 is converted too
        String csv = "external_id,type_code,name,wkt\n" + prefix + "W,BANK,坐标测试,POINT(" + gcj[0] + " " + gcj[1] + ")\n";
        committed(planner, preview(planner, "points", "gcj02", "wkt.csv", csv).path("id").asLong());
        assertThat(jdbc.sql("SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography) FROM measurement_point WHERE external_id = ?")
                .param(truth[0]).param(truth[1]).param(prefix + "W").query(Double.class).single()).isLessThan(1.0);
    }

    private static double metres(double[] a, double[] b) {
        double r = 6371008.8;
        double dLat = Math.toRadians(b[1] - a[1]);
        double dLon = Math.toRadians(b[0] - a[0]);
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(a[1])) * Math.cos(Math.toRadians(b[1])) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * r * Math.asin(Math.sqrt(h));
    }

    @Test
    void aFileWithBadRowsNamesEachRowAndFieldAndCannotBeCommitted() throws Exception {
        String p = "bad-" + nonce();
        double[] in = places.get(0);
        String csv = "external_id,type_code,name,lon,lat,wkt\n"
                + p + "-1,BANK,好的点位," + in[0] + "," + in[1] + ",\n"          // row 2: fine
                + p + "-2,NO_SUCH_TYPE,未知类型," + in[0] + "," + in[1] + ",\n"  // row 3: type
                + p + "-3,BANK,经度越界,190," + in[1] + ",\n"                    // row 4: lon
                + p + "-4,BANK,坏的WKT,,,POINT(120 abc)\n"                       // row 5: wkt
                + p + "-1,BANK,重复编号," + in[0] + "," + in[1] + ",\n"          // row 6: duplicate of row 2
                + p + "-6,BANK,," + in[0] + "," + in[1] + ",\n"                  // row 7: name missing
                + p + "-7,BANK,区外点位," + outside[0] + "," + outside[1] + ",\n" // row 8: outside the caller's area
                + p + "-8,BANK,没有位置,,,\n"                                     // row 9: no location
                + p + "-9,BANK,南海," + "150.0,10.0,\n";                          // row 10: in no grid at all
        JsonNode preview = preview(planner, "points", null, "bad.csv", csv);
        assertThat(preview.path("rows").asInt()).isEqualTo(9);
        assertThat(preview.path("valid").asInt()).isEqualTo(1);
        List<String> errors = new ArrayList<>();
        preview.path("errors").forEach(e -> errors.add(e.path("row").asInt() + ":" + e.path("field").asString()));
        assertThat(errors).containsExactly("3:type_code", "4:lon", "5:wkt", "6:external_id", "7:name", "8:location", "9:location", "10:location");
        assertThat(preview.path("errors").path(3).path("message").asString()).contains("row 2");
        assertThat(preview.path("errors").path(0).path("message").asString()).contains("NO_SUCH_TYPE");
        assertThat(preview.path("errors").path(5).path("message").asString()).contains("outside every grid of your area");

        long auditBefore = count("SELECT count(*) FROM audit_log WHERE action = 'IMPORT_COMMITTED'");
        MockHttpServletResponse refused = commit(planner, preview.path("id").asLong());
        assertThat(refused.getStatus()).isEqualTo(409);
        assertThat(count("SELECT count(*) FROM measurement_point WHERE external_id LIKE ?", p + "%")).isZero();
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'IMPORT_COMMITTED'")).isEqualTo(auditBefore);

        MockHttpServletResponse unreadable = upload(planner, "points", null, "no-columns.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        assertThat(unreadable.getStatus()).isEqualTo(400);
        assertThat(unreadable.getContentAsString()).contains("external_id");
    }

    @Test
    void geoJsonAndGeoPackageFilesImport() throws Exception {
        for (GeoFileFormat format : new GeoFileFormat[] {GeoFileFormat.GEOJSON, GeoFileFormat.GEOPACKAGE}) {
            String prefix = "geo-" + nonce();
            List<GeoFeature> features = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Map<String, Object> properties = new LinkedHashMap<>();
                properties.put("external_id", prefix + "-" + i);
                properties.put("type_code", "BANK");
                properties.put("name", "文件点位 " + i);
                features.add(new GeoFeature(GEOMETRY.createPoint(new Coordinate(places.get(i)[0], places.get(i)[1])), properties));
            }
            byte[] file = GeoFiles.write(format, "points", features);
            MockHttpServletResponse response = upload(planner, "points", null, "points." + format.extension, file);
            assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(201);
            JsonNode preview = json.readTree(response.getContentAsString(StandardCharsets.UTF_8));
            assertThat(preview.path("errors")).as(format.name()).isEmpty();
            assertThat(preview.path("sample").path(0).path("row").asInt()).isEqualTo(1);
            committed(planner, preview.path("id").asLong());
            assertThat(count("""
                    SELECT count(*) FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id WHERE mp.external_id LIKE ? AND g.code LIKE ?""",
                    prefix + "%", STREET + "%")).as(format.name()).isEqualTo(3);
        }
    }

    @Test
    void problemsImportWithTheirPointAndReportedStatus() throws Exception {
        String prefix = "pr-" + nonce();
        committed(planner, preview(planner, "points", null, "points.csv", pointsCsv(prefix)).path("id").asLong());
        String csv = "external_id,category_code,description,reported_at,lon,lat,point_external_id,status,closed_at\n"
                + prefix + "-a,EXPOSED_GARBAGE,暴露垃圾,2026-01-05 09:30," + places.get(0)[0] + "," + places.get(0)[1] + "," + prefix + "-0,,\n"
                + prefix + "-b,EXPOSED_GARBAGE,已办结,2026-01-04," + places.get(1)[0] + "," + places.get(1)[1] + ",,CLOSED,2026-01-06 10:00\n";
        JsonNode preview = preview(inspector, "problems", null, "problems.csv", csv);
        assertThat(preview.path("errors")).as(preview.toString()).isEmpty();
        assertThat(preview.path("creates").asInt()).isEqualTo(2);
        committed(inspector, preview.path("id").asLong());
        Map<String, Object> a = jdbc.sql("""
                SELECT p.status, g.code, mp.external_id AS point, p.reported_at = TIMESTAMPTZ '2026-01-05 09:30+08' AS reported,
                       (SELECT count(*) FROM problem_event e WHERE e.problem_id = p.id AND e.action = 'IMPORT') AS events
                FROM problem p JOIN grid g ON g.id = p.grid_id LEFT JOIN measurement_point mp ON mp.id = p.point_id WHERE p.external_id = ?""")
                .param(prefix + "-a").query().singleRow();
        assertThat(a).containsEntry("status", "REPORTED").containsEntry("code", grids.get(0)).containsEntry("point", prefix + "-0")
                .containsEntry("reported", true).containsEntry("events", 1L);
        assertThat(count("SELECT count(*) FROM problem WHERE external_id = ? AND status = 'CLOSED' AND closed_at = TIMESTAMPTZ '2026-01-06 10:00+08'",
                prefix + "-b")).isEqualTo(1);

        JsonNode again = preview(leader, "problems", null, "problems.csv", csv);
        assertThat(again.path("updates").asInt()).isEqualTo(2);
        committed(leader, again.path("id").asLong());
        assertThat(count("SELECT count(*) FROM problem WHERE external_id LIKE ?", prefix + "%")).isEqualTo(2);
    }

    @Test
    void rolesThatMayNotImportGet403() throws Exception {
        String points = "external_id,type_code,name,lon,lat\nr-1,BANK,x," + places.get(0)[0] + "," + places.get(0)[1] + "\n";
        String problems = "external_id,category_code,description,reported_at,lon,lat\nr-1,EXPOSED_GARBAGE,x,2026-01-01,"
                + places.get(0)[0] + "," + places.get(0)[1] + "\n";
        for (String user : List.of(inspector, leader, handler, gridManager)) {
            assertThat(upload(user, "points", null, "p.csv", points.getBytes(StandardCharsets.UTF_8)).getStatus()).as(user).isEqualTo(403);
        }
        for (String user : List.of(planner, handler, gridManager)) {
            assertThat(upload(user, "problems", null, "p.csv", problems.getBytes(StandardCharsets.UTF_8)).getStatus()).as(user).isEqualTo(403);
        }
        assertThat(mvc.perform(get("/api/exports/points").param("format", "csv").with(TestSignIn.as(jdbc, handler))).andReturn().getResponse()
                .getStatus()).isEqualTo(403);
    }

    @Test
    void largeImportsCommitInTheBackgroundWithProgress() throws Exception {
        String prefix = "big-" + nonce();
        int n = ImportService.SYNC_COMMIT_ROWS + 500;
        StringBuilder csv = new StringBuilder("external_id,type_code,name,lon,lat\n");
        for (int i = 0; i < n; i++) {
            double[] at = places.get(i % 3);
            csv.append(prefix).append('-').append(i).append(",BANK,批量 ").append(i).append(',').append(at[0] + (i % 7) * 1e-7).append(',').append(at[1])
                    .append('\n');
        }
        JsonNode preview = preview(planner, "points", null, "big.csv", csv.toString());
        assertThat(preview.path("valid").asInt()).isEqualTo(n);
        MockHttpServletResponse response = commit(planner, preview.path("id").asLong());
        assertThat(response.getStatus()).isIn(200, 202);
        JsonNode job = json.readTree(response.getContentAsString());
        for (int i = 0; i < 600 && !job.path("status").asString().equals("COMMITTED"); i++) {
            assertThat(job.path("status").asString()).isIn("RUNNING", "COMMITTED");
            Thread.sleep(100);
            job = json.readTree(mvc.perform(get("/api/imports/{id}", preview.path("id").asLong()).with(TestSignIn.as(jdbc, planner)))
                    .andReturn().getResponse().getContentAsString());
        }
        assertThat(job.path("status").asString()).isEqualTo("COMMITTED");
        assertThat(job.path("progress").path("processed").asInt()).isEqualTo(n);
        assertThat(job.path("progress").path("total").asInt()).isEqualTo(n);
        assertThat(count("SELECT count(*) FROM measurement_point WHERE external_id LIKE ?", prefix + "-%")).isEqualTo(n);
        assertThat(count("""
                SELECT count(*) FROM grid_map_stats s WHERE s.points <> (SELECT count(*) FROM measurement_point mp WHERE mp.grid_id = s.grid_id)""")
        ).as("map statistics agree with the points").isZero();
        // 20,000 points in three spots would crowd the map of every later test on this shared database.
        jdbc.sql("DELETE FROM measurement_point WHERE external_id LIKE ?").param(prefix + "-%").update();
    }

    @Test
    void exportsInEveryFormatHoldThePointsInScopeWithFormulasNeutralised() throws Exception {
        String prefix = "exp-" + nonce();
        String evil = "=HYPERLINK(\"http://evil.example\",\"click\")";
        String csvIn = "external_id,type_code,name,address,lon,lat\n" + prefix + ",BANK,\"" + evil.replace("\"", "\"\"") + "\",@SUM(1+1),"
                + places.get(0)[0] + "," + places.get(0)[1] + "\n";
        committed(planner, preview(planner, "points", null, "evil.csv", csvIn).path("id").asLong());
        long inScope = count("""
                SELECT count(*) FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id WHERE g.code LIKE ?""", STREET + "%");

        MockHttpServletResponse csv = mvc.perform(get("/api/exports/points").param("format", "csv").with(TestSignIn.as(jdbc, leader)))
                .andReturn().getResponse();
        assertThat(csv.getStatus()).isEqualTo(200);
        assertThat(csv.getHeader("Content-Disposition")).startsWith("attachment").contains("civicgrid-points-").contains(".csv");
        byte[] bytes = csv.getContentAsByteArray();
        assertThat(bytes[0]).isEqualTo((byte) 0xEF);
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        List<org.apache.commons.csv.CSVRecord> records = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .get().parse(new java.io.StringReader(text)).getRecords();
        assertThat(records).hasSize((int) inScope);
        org.apache.commons.csv.CSVRecord mine = records.stream().filter(r -> r.get("external_id").equals(prefix)).findFirst().orElseThrow();
        assertThat(mine.get("name")).isEqualTo("'" + evil);
        assertThat(mine.get("address")).isEqualTo("'@SUM(1+1)");
        assertThat(mine.get("grid_code")).isEqualTo(grids.get(0));
        assertThat(Double.parseDouble(mine.get("lon"))).isCloseTo(places.get(0)[0], org.assertj.core.data.Offset.offset(1e-6));
        assertThat(mine.get("wkt")).startsWith("POINT");
        assertThat(records).allMatch(r -> r.get("grid_code").startsWith(STREET));

        MockHttpServletResponse xlsx = mvc.perform(get("/api/exports/points").param("format", "xlsx").with(TestSignIn.as(jdbc, leader)))
                .andReturn().getResponse();
        assertThat(xlsx.getStatus()).isEqualTo(200);
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx.getContentAsByteArray()))) {
            Sheet sheet = workbook.getSheetAt(0);
            assertThat(sheet.getLastRowNum()).isEqualTo((int) inScope);
            int nameColumn = -1;
            for (int c = 0; c < sheet.getRow(0).getLastCellNum(); c++) {
                if (sheet.getRow(0).getCell(c).getStringCellValue().equals("name")) {
                    nameColumn = c;
                }
            }
            boolean found = false;
            for (int r = 1; r <= sheet.getLastRowNum(); r++) {
                var cell = sheet.getRow(r).getCell(nameColumn);
                assertThat(cell.getCellType()).isEqualTo(CellType.STRING);
                found |= cell.getStringCellValue().equals("'" + evil);
            }
            assertThat(found).isTrue();
        }

        for (String format : List.of("geojson", "gpkg")) {
            MockHttpServletResponse response = mvc.perform(get("/api/exports/points").param("format", format).with(TestSignIn.as(jdbc, leader)))
                    .andReturn().getResponse();
            assertThat(response.getStatus()).isEqualTo(200);
            List<GeoFeature> features = GeoFiles.read("points." + format, response.getContentAsByteArray());
            assertThat(features).as(format).hasSize((int) inScope);
            assertThat(features).allMatch(f -> f.properties().get("grid_code").toString().startsWith(STREET));
        }

        MockHttpServletResponse gridsCsv = mvc.perform(get("/api/exports/grids").param("format", "geojson").with(TestSignIn.as(jdbc, leader)))
                .andReturn().getResponse();
        List<GeoFeature> gridFeatures = GeoFiles.read("grids.geojson", gridsCsv.getContentAsByteArray());
        assertThat(gridFeatures).hasSize((int) count("SELECT count(*) FROM grid WHERE valid_to IS NULL AND code LIKE ?", STREET + "%"));
        MockHttpServletResponse filtered = mvc.perform(get("/api/exports/problems").param("format", "csv").param("status", "CLOSED")
                .with(TestSignIn.as(jdbc, leader))).andReturn().getResponse();
        String problems = filtered.getContentAsString(StandardCharsets.UTF_8);
        assertThat(problems.lines().skip(1).toList()).allMatch(l -> l.contains(",CLOSED,"));
        assertThat(mvc.perform(get("/api/exports/nonsense").with(TestSignIn.as(jdbc, leader))).andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(mvc.perform(get("/api/exports/points").param("format", "pdf").with(TestSignIn.as(jdbc, leader))).andReturn().getResponse()
                .getStatus()).isEqualTo(400);
    }
}
