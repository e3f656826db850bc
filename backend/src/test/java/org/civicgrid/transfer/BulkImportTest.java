package org.civicgrid.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestAccounts;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The bulk import path (issue 8's speed target) keeps every guarantee: the grid of each point is
 * grid_for_geometry's even on a grid border, the map statistics equal a rebuild after big imports and
 * re-imports, whichever way the commit goes (rows written ahead while the file is read, or from the staging
 * table; trigger firing off, or the per-row triggers skipping rows with foreign keys checked per row), a
 * preview with errors leaves no session open, and a pending preview does not hold up another import.
 */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BulkImportTest {

    private static final String STREET = "320508001";
    private static final int POINTS = ImportService.SYNC_COMMIT_ROWS + 5_000;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    ImportService imports;

    @Autowired
    PlatformTransactionManager transactions;

    private String planner;

    @BeforeAll
    void account() {
        planner = TestAccounts.create(jdbc, passwords, "PLANNER", STREET);
    }

    @AfterEach
    void defaults() {
        imports.writeAhead = true;
        imports.bypassTriggers = true;
    }

    /**
     * GeoJSON of {@code count} points: random places in the street's grids (the same for the same seed), then every
     * vertex of its grids and a point a third of the way along each grid's first edge (on a border, often shared by
     * two grids) whose grid is in the street.
     */
    private String geoJson(String prefix, int count, int seed) {
        List<double[]> places = jdbc.sql("""
                SELECT ST_X(p.geom), ST_Y(p.geom) FROM (
                  SELECT (ST_Dump(ST_GeneratePoints(ST_Union(boundary), :n, :seed))).geom FROM grid WHERE valid_to IS NULL AND code LIKE :street) p
                UNION ALL
                SELECT ST_X(b), ST_Y(b) FROM (
                  SELECT v.geom AS b FROM grid g CROSS JOIN LATERAL ST_DumpPoints(g.boundary) v WHERE g.valid_to IS NULL AND g.code LIKE :street
                  UNION ALL
                  SELECT ST_LineInterpolatePoint(ST_MakeLine(ST_PointN(ST_ExteriorRing(boundary), 1), ST_PointN(ST_ExteriorRing(boundary), 2)), 1.0 / 3)
                  FROM grid WHERE valid_to IS NULL AND code LIKE :street) x
                WHERE (SELECT code FROM grid WHERE id = grid_for_geometry(b)) LIKE :street""")
                .param("n", count).param("seed", seed).param("street", STREET + "%")
                .query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).list();
        StringBuilder out = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (int i = 0; i < places.size(); i++) {
            out.append(i == 0 ? "" : ",").append("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[")
                    .append(places.get(i)[0]).append(',').append(places.get(i)[1]).append("]},\"properties\":{\"external_id\":\"")
                    .append(prefix).append('-').append(i).append("\",\"type_code\":\"BANK\",\"name\":\"批量 ").append(i).append("\"}}");
        }
        return out.append("]}").toString();
    }

    private JsonNode upload(String fileName, byte[] content) throws Exception {
        MockHttpServletResponse response = mvc.perform(multipart("/api/imports")
                .file(new MockMultipartFile("file", fileName, "application/octet-stream", content)).param("kind", "points")
                .with(TestSignIn.as(jdbc, planner)).with(csrf())).andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(201);
        return json.readTree(response.getContentAsString(StandardCharsets.UTF_8));
    }

    private JsonNode commitAndWait(long id) throws Exception {
        MockHttpServletResponse response = mvc.perform(post("/api/imports/{id}/commit", id).with(TestSignIn.as(jdbc, planner)).with(csrf()))
                .andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isIn(200, 202);
        JsonNode job = json.readTree(response.getContentAsString());
        for (int i = 0; i < 1200 && "RUNNING".equals(job.path("status").asString()); i++) {
            Thread.sleep(50);
            job = json.readTree(mvc.perform(get("/api/imports/{id}", id).with(TestSignIn.as(jdbc, planner))).andReturn().getResponse()
                    .getContentAsString());
        }
        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("COMMITTED");
        return job;
    }

    private long count(String sql, Object... params) {
        var spec = jdbc.sql(sql);
        for (Object p : params) {
            spec = spec.param(p);
        }
        return spec.query(Long.class).single();
    }

    /** Grids whose point statistics differ from what rebuild_grid_map_stats() computes (run in a transaction rolled back). */
    private List<String> statisticsUnlikeARebuild() {
        String rows = "SELECT grid_id, points, points_lon_sum, points_lat_sum FROM grid_map_stats";
        Map<Long, double[]> kept = new HashMap<>();
        jdbc.sql(rows).query((rs, n) -> kept.put(rs.getLong(1), new double[] {rs.getLong(2), rs.getDouble(3), rs.getDouble(4)})).list();
        Map<Long, double[]> rebuilt = new HashMap<>();
        TransactionTemplate rolledBack = new TransactionTemplate(transactions);
        rolledBack.executeWithoutResult(status -> {
            jdbc.sql("SELECT rebuild_grid_map_stats()").query().listOfRows();
            jdbc.sql(rows).query((rs, n) -> rebuilt.put(rs.getLong(1), new double[] {rs.getLong(2), rs.getDouble(3), rs.getDouble(4)})).list();
            status.setRollbackOnly();
        });
        List<String> differing = new java.util.ArrayList<>();
        rebuilt.forEach((grid, want) -> {
            double[] have = kept.getOrDefault(grid, new double[3]);
            if (have[0] != want[0] || Math.abs(have[1] - want[1]) > 1e-6 || Math.abs(have[2] - want[2]) > 1e-6) {
                differing.add(grid + ": " + (long) have[0] + " points, rebuild " + (long) want[0]);
            }
        });
        return differing;
    }

    private void importAndReimport(String label) throws Exception {
        String prefix = "bulk-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            long before = count("SELECT count(*) FROM measurement_point");
            JsonNode preview = upload("bulk.geojson", geoJson(prefix, POINTS, 7).getBytes(StandardCharsets.UTF_8));
            int rows = preview.path("rows").asInt();
            assertThat(preview.path("errorCount").asInt()).as(label + " " + preview.path("errors")).isZero();
            assertThat(preview.path("creates").asInt()).isEqualTo(rows);
            assertThat(count("SELECT count(*) FROM measurement_point")).as(label + ": nothing visible before the commit").isEqualTo(before);
            JsonNode job = commitAndWait(preview.path("id").asLong());
            assertThat(job.path("creates").asInt()).isEqualTo(rows);
            assertThat(count("SELECT count(*) FROM measurement_point WHERE external_id LIKE ?", prefix + "-%")).isEqualTo(rows);
            assertThat(count("SELECT count(*) FROM measurement_point WHERE external_id LIKE ? AND grid_id IS DISTINCT FROM grid_for_geometry(geom)",
                    prefix + "-%")).as(label + ": every point in grid_for_geometry's grid, border points included").isZero();
            assertThat(statisticsUnlikeARebuild()).as(label + ": statistics after the import").isEmpty();

            // The same ids again at other random places (most in another grid): an upsert from staging.
            JsonNode again = upload("bulk.geojson", geoJson(prefix, POINTS, 8).getBytes(StandardCharsets.UTF_8));
            assertThat(again.path("errorCount").asInt()).as(again.path("errors").toString()).isZero();
            assertThat(again.path("updates").asInt()).isEqualTo(rows);
            JsonNode updated = commitAndWait(again.path("id").asLong());
            assertThat(updated.path("updates").asInt()).isEqualTo(rows);
            assertThat(count("SELECT count(*) FROM measurement_point WHERE external_id LIKE ?", prefix + "-%")).as("no duplicates").isEqualTo(rows);
            assertThat(count("SELECT count(*) FROM measurement_point WHERE external_id LIKE ? AND grid_id IS DISTINCT FROM grid_for_geometry(geom)",
                    prefix + "-%")).isZero();
            assertThat(statisticsUnlikeARebuild()).as(label + ": statistics after the re-import").isEmpty();
            assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'IMPORT_COMMITTED' AND object_id IN (?, ?)",
                    preview.path("id").asString(), again.path("id").asString())).isEqualTo(2);
        } finally {
            // 25,000 points in one street would crowd the maps of later tests on this shared database.
            jdbc.sql("DELETE FROM measurement_point WHERE external_id LIKE ?").param(prefix + "-%").update();
        }
        assertThat(statisticsUnlikeARebuild()).as(label + ": statistics after deleting the points").isEmpty();
    }

    @Test
    void writtenAheadWithTriggerFiringOffTheStatisticsEqualARebuild() throws Exception {
        // Grids without a statistics row (none of their points counted yet) get one from the import.
        List<Long> unlisted = jdbc.sql("DELETE FROM grid_map_stats s USING grid g WHERE g.id = s.grid_id AND g.code LIKE ? AND s.points = 0 RETURNING s.grid_id")
                .param(STREET + "%").query(Long.class).list();
        try {
            assertThat(unlisted).as("grids of the street without points").isNotEmpty();
            importAndReimport("written ahead");
        } finally {
            jdbc.sql("SELECT rebuild_grid_map_stats()").query().listOfRows(); // their problem counts back
        }
    }

    @Test
    void fromTheStagingTableWithPerRowForeignKeysTheStatisticsEqualARebuild() throws Exception {
        imports.writeAhead = false;
        imports.bypassTriggers = false;
        importAndReimport("from staging, triggers skipping rows");
    }

    @Test
    void aGzippedUploadImportsLikeThePlainFile() throws Exception {
        String prefix = "gz-" + UUID.randomUUID().toString().substring(0, 8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(geoJson(prefix, 50, 7).getBytes(StandardCharsets.UTF_8));
        }
        JsonNode preview = upload("points.geojson.gz", gz.toByteArray());
        assertThat(preview.path("fileName").asString()).isEqualTo("points.geojson");
        assertThat(preview.path("errorCount").asInt()).isZero();
        assertThat(preview.path("valid").asInt()).isGreaterThan(50);
        commitAndWait(preview.path("id").asLong());
        assertThat(count("SELECT count(*) FROM measurement_point WHERE external_id LIKE ?", prefix + "-%")).isEqualTo(preview.path("valid").asLong());
        jdbc.sql("DELETE FROM measurement_point WHERE external_id LIKE ?").param(prefix + "-%").update();

        byte[] broken = java.util.Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
        MockHttpServletResponse refused = mvc.perform(multipart("/api/imports").file(new MockMultipartFile("file", "cut.geojson.gz",
                "application/gzip", broken)).param("kind", "points").with(TestSignIn.as(jdbc, planner)).with(csrf())).andReturn().getResponse();
        assertThat(refused.getStatus()).as(refused.getContentAsString()).isEqualTo(400);
        assertThat(refused.getContentAsString()).contains("file");
    }

    @Test
    void csvEncodingsAreRecognisedWhileStreaming() throws Exception {
        double[] at = jdbc.sql("""
                SELECT ST_X(ST_PointOnSurface(boundary)), ST_Y(ST_PointOnSurface(boundary)) FROM grid WHERE valid_to IS NULL AND code LIKE ?
                ORDER BY code LIMIT 1""").param(STREET + "%").query((rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2)}).single();
        String prefix = "enc-" + UUID.randomUUID().toString().substring(0, 8);
        // Long enough that the encoding check reads past its first chunks; the Chinese name sits at the end.
        StringBuilder csv = new StringBuilder("external_id,type_code,name,lon,lat\n");
        for (int i = 0; i < 3000; i++) {
            csv.append(prefix).append("-").append(i).append(",BANK,").append(i < 2999 ? "网点 " + i : "姑苏区银行网点").append(',').append(at[0])
                    .append(',').append(at[1]).append('\n');
        }
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] utf8 = csv.toString().getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + utf8.length];
        System.arraycopy(bom, 0, withBom, 0, bom.length);
        System.arraycopy(utf8, 0, withBom, bom.length, utf8.length);
        for (byte[] content : List.of(csv.toString().getBytes(java.nio.charset.Charset.forName("GB18030")), withBom)) {
            JsonNode preview = upload("points.csv", content);
            assertThat(preview.path("errorCount").asInt()).as(preview.path("errors").toString()).isZero();
            assertThat(preview.path("sample").path(0).path("name").asString()).isEqualTo("网点 0");
            assertThat(preview.path("sample").path(0).path("external_id").asString()).isEqualTo(prefix + "-0");
            commitAndWait(preview.path("id").asLong());
            assertThat(jdbc.sql("SELECT name FROM measurement_point WHERE external_id = ?").param(prefix + "-2999").query(String.class).single())
                    .isEqualTo("姑苏区银行网点");
            jdbc.sql("DELETE FROM measurement_point WHERE external_id LIKE ?").param(prefix + "-%").update();
        }
    }

    @Test
    void aPreviewWithErrorsLeavesNoSessionOpenAndAPendingPreviewDoesNotHoldUpAnotherImport() throws Exception {
        String prefix = "pend-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            String bad = geoJson(prefix, 300, 7).replace("\"name\":\"批量 7\"", "\"name\":\"\"");
            JsonNode withErrors = upload("bad.geojson", bad.getBytes(StandardCharsets.UTF_8));
            assertThat(withErrors.path("errors").path(0).path("field").asString()).isEqualTo("name");
            assertThat(openImportSessions(0)).as("rows written ahead of a preview with errors are rolled back").isZero();
            assertThat(jdbc.sql("SELECT to_regclass(?) IS NULL").param("import_rows_" + withErrors.path("id").asLong()).query(Boolean.class).single())
                    .as("a preview with errors keeps no staging table").isTrue();

            // A clean preview waits, its rows written ahead, while a re-import of other points commits from staging.
            JsonNode pending = upload("pending.geojson", geoJson(prefix + "a", 300, 7).getBytes(StandardCharsets.UTF_8));
            assertThat(openImportSessions(1)).isEqualTo(1);
            JsonNode first = upload("other.geojson", geoJson(prefix + "b", 300, 7).getBytes(StandardCharsets.UTF_8));
            long started = System.nanoTime();
            commitAndWait(first.path("id").asLong());
            JsonNode reimport = upload("other.geojson", geoJson(prefix + "b", 300, 9).getBytes(StandardCharsets.UTF_8));
            assertThat(reimport.path("updates").asInt()).isEqualTo(reimport.path("rows").asInt());
            commitAndWait(reimport.path("id").asLong());
            assertThat((System.nanoTime() - started) / 1_000_000_000).as("seconds for the other import").isLessThan(60);

            // The waiting preview still commits (from its staging table if its session gave way).
            commitAndWait(pending.path("id").asLong());
            assertThat(count("SELECT count(*) FROM measurement_point WHERE external_id LIKE ?", prefix + "a-%"))
                    .isEqualTo(pending.path("rows").asLong());
            assertThat(openImportSessions(0)).isZero();
            assertThat(statisticsUnlikeARebuild()).isEmpty();
        } finally {
            jdbc.sql("DELETE FROM measurement_point WHERE external_id LIKE ?").param(prefix + "%").update();
        }
    }

    /** Database sessions holding rows written ahead (their COPY into measurement_point is their last statement), awaited to be {@code expected}. */
    private long openImportSessions(long expected) throws InterruptedException {
        long open = -1;
        for (int i = 0; i < 100 && open != expected; i++) {
            if (i > 0) {
                Thread.sleep(50);
            }
            open = count("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' AND query LIKE 'COPY measurement_point%'");
        }
        return open;
    }
}
