package org.civicgrid.tiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The dashboard's serving: aggregates that add up, tiles that decode, revisions in ETags, 400s for bad addresses and filters. */
@CivicGridIntegrationTest
class MapServingTest {

    private static final String DISTRICT_BOX = "120.5,31.2,120.8,31.4";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    private JsonNode getJson(String url, Object... params) throws Exception {
        return json.readTree(mvc.perform(get(url, params).with(TestSignIn.as(jdbc, "leader"))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    /** Unfiltered low-zoom clusters come from the per-grid statistics: every open problem of the grids meeting the view. */
    @Test
    void problemClustersAtLowZoomAddUpToTheOpenProblemsOfTheGridsInTheViewport() throws Exception {
        jdbc.sql("SELECT sweep_map_stats()").query(Integer.class).single();
        JsonNode clusters = getJson("/api/layers/problems?bbox=" + DISTRICT_BOX + "&zoom=12");
        long clustered = 0;
        long red = 0;
        for (JsonNode cluster : clusters.path("features")) {
            assertThat(cluster.path("properties").path("cluster").asBoolean()).isTrue();
            clustered += cluster.path("properties").path("count").asLong();
            red += cluster.path("properties").path("red").asLong();
        }
        String ofGridsInBox = """
                FROM problem p JOIN grid g ON g.id = p.grid_id
                WHERE g.valid_to IS NULL AND g.boundary && ST_MakeEnvelope(120.5, 31.2, 120.8, 31.4, 4326)""";
        assertThat(clustered).isEqualTo(count("SELECT count(*) " + ofGridsInBox + " AND problem_is_open(p.status)")).isPositive();
        assertThat(red).isEqualTo(count("SELECT count(*) " + ofGridsInBox
                + " AND problem_light(p.status, p.warning_at, p.deadline_at, (SELECT swept_until FROM map_stats_clock)) = 'RED'")).isPositive();
        assertThat(clusters.path("features").size()).as("clusters, not single problems").isLessThan((int) clustered);
    }

    /** A filter narrows the problems down, so the clusters are counted from the problems themselves, by position. */
    @Test
    void filteredProblemClustersAddUpToTheMatchingProblemsInTheViewport() throws Exception {
        JsonNode clusters = getJson("/api/layers/problems?bbox=" + DISTRICT_BOX + "&zoom=12&light=RED,YELLOW");
        long clustered = 0;
        for (JsonNode cluster : clusters.path("features")) {
            clustered += cluster.path("properties").path("count").asLong();
        }
        assertThat(clustered).isEqualTo(count("""
                SELECT count(*) FROM problem WHERE problem_light(status, warning_at, deadline_at, now()) IN ('RED', 'YELLOW')
                AND location && ST_MakeEnvelope(120.5, 31.2, 120.8, 31.4, 4326)""")).isPositive();
    }

    @Test
    void pointClustersAddUpToThePointsOfTheGridsInTheViewport() throws Exception {
        JsonNode clusters = getJson("/api/layers/points?bbox=" + DISTRICT_BOX + "&zoom=12");
        long clustered = 0;
        for (JsonNode cluster : clusters.path("features")) {
            clustered += cluster.path("properties").path("count").asLong();
        }
        assertThat(clustered).isEqualTo(count("""
                SELECT count(*) FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id
                WHERE g.valid_to IS NULL AND g.boundary && ST_MakeEnvelope(120.5, 31.2, 120.8, 31.4, 4326)""")).isPositive();
    }

    @Test
    void aGridTileHoldsExactlyTheGridsUnderIt() throws Exception {
        int zoom = 15;
        int[] tile = TileMath.tileOf(120.62, 31.31, zoom);
        byte[] bytes = mvc.perform(get("/tiles/grids/{z}/{x}/{y}.mvt", zoom, tile[0], tile[1]).with(TestSignIn.as(jdbc, "leader")))
                .andExpect(status().isOk()).andExpect(content().contentType("application/vnd.mapbox-vector-tile"))
                .andReturn().getResponse().getContentAsByteArray();

        Set<String> inTile = MvtDecoder.decode(bytes).get("grids").stream().map(f -> (String) f.properties().get("code"))
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> expected = jdbc.sql("""
                SELECT code FROM grid WHERE valid_to IS NULL
                AND ST_Intersects(ST_Transform(boundary, 3857), ST_TileEnvelope(?, ?, ?)) ORDER BY code""")
                .param(zoom).param(tile[0]).param(tile[1]).query(String.class).list();
        assertThat(inTile).isNotEmpty().containsExactlyElementsOf(expected);
    }

    @Test
    void anUnchangedTileIsA304AndAChangedOneIsNot() throws Exception {
        int[] tile = TileMath.tileOf(120.62, 31.31, 14);
        String url = "/tiles/problems/14/" + tile[0] + "/" + tile[1] + ".mvt";
        String etag = mvc.perform(get(url).with(TestSignIn.as(jdbc, "leader"))).andExpect(status().isOk())
                .andExpect(header().string("Cache-Control", org.hamcrest.Matchers.containsString("no-cache")))
                .andReturn().getResponse().getHeader("ETag");

        mvc.perform(get(url).header("If-None-Match", etag).with(TestSignIn.as(jdbc, "leader"))).andExpect(status().isNotModified());

        jdbc.sql("UPDATE problem SET description = description WHERE id = (SELECT min(id) FROM problem)").update();
        // A write by another connection reaches the in-memory revisions by notification, within a second.
        long deadline = System.currentTimeMillis() + 1000;
        while (mvc.perform(get(url).header("If-None-Match", etag).with(TestSignIn.as(jdbc, "leader"))).andReturn().getResponse().getStatus() == 304
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        mvc.perform(get(url).header("If-None-Match", etag).with(TestSignIn.as(jdbc, "leader"))).andExpect(status().isOk())
                .andExpect(header().string("ETag", org.hamcrest.Matchers.not(etag)));
    }

    @ParameterizedTest(name = "{0} → 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "/tiles/grids/23/0/0.mvt | zoom",
            "/tiles/grids/3/8/0.mvt | x",
            "/tiles/grids/3/0/-1.mvt | y",
            "/tiles/grids/3/a/0.mvt | x",
            "/tiles/roads/3/0/0.mvt | layer",
            "/api/layers/problems?bbox=120,31,121,32&zoom=12&status=OPENISH | status",
            "/api/layers/problems?bbox=120,31,121,32&zoom=12&light=BLUE | light",
            "/api/layers/problems?bbox=120,31,121,32&zoom=12&from=yesterday | from",
            "/api/layers/problems?bbox=120,31,121,32&zoom=12&category=drop%20table | category",
            "/api/layers/area-stats?level=grid&bbox=120,31,121,32&metric=happiness | metric",
            "/api/areas/12345/summary | code",
    })
    void badAddressesAndFiltersGet400(String url, String parameter) throws Exception {
        mvc.perform(get(url).with(TestSignIn.as(jdbc, "leader"))).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.parameter").value(parameter));
    }

    @Test
    void aStatusFilterNarrowsTheProblemsAndTheGridCounts() throws Exception {
        long submitted = 0;
        for (JsonNode cluster : getJson("/api/layers/problems?bbox=" + DISTRICT_BOX + "&zoom=12&status=SUBMITTED").path("features")) {
            submitted += cluster.path("properties").path("count").asLong();
        }
        assertThat(submitted).isEqualTo(count("SELECT count(*) FROM problem WHERE status = 'SUBMITTED'"));
    }

    @Test
    void gridStatsMatchTheirDefinitions() throws Exception {
        String gridCode = jdbc.sql("""
                SELECT g.code FROM grid g JOIN problem p ON p.grid_id = g.id WHERE p.status = 'CLOSED'
                GROUP BY g.code ORDER BY count(*) DESC, g.code LIMIT 1""").query(String.class).single();
        JsonNode summary = getJson("/api/areas/{code}/summary", gridCode);

        long closed = count("SELECT count(*) FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code = '" + gridCode + "' AND p.status = 'CLOSED'");
        long overdueOpen = count("""
                SELECT count(*) FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code = '%s'
                AND p.status NOT IN ('CLOSED', 'REJECTED', 'SUSPENDED') AND p.deadline_at < now()""".formatted(gridCode));
        long onTime = count("SELECT count(*) FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code = '" + gridCode
                + "' AND p.status = 'CLOSED' AND p.closed_at <= p.deadline_at");
        assertThat(summary.path("closed").asLong()).isEqualTo(closed);
        assertThat(summary.path("overdue").asLong()).isEqualTo(overdueOpen);
        assertThat(summary.path("closureRate").asDouble()).isCloseTo((double) closed / (closed + overdueOpen), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(summary.path("onTimeClosureRate").asDouble()).isCloseTo((double) onTime / (closed + overdueOpen), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(summary.path("owners").size()).isPositive();

        JsonNode layer = getJson("/api/layers/area-stats?level=grid&metric=closure&bbox=" + DISTRICT_BOX);
        JsonNode feature = null;
        for (JsonNode f : layer.path("features")) {
            if (f.path("properties").path("code").asString().equals(gridCode)) {
                feature = f;
            }
        }
        assertThat(feature).isNotNull();
        assertThat(feature.path("properties").path("value").asDouble()).isCloseTo(summary.path("closureRate").asDouble(), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(layer.path("legend").size()).isEqualTo(4);
    }

    @Test
    void searchFindsPointsByNameAndGridsByCode() throws Exception {
        String name = jdbc.sql("SELECT name FROM measurement_point WHERE external_id = 'P000010'").query(String.class).single();
        JsonNode hits = getJson("/api/search?q={q}", name);
        assertThat(hits.findValuesAsString("name")).contains(name);
        JsonNode grids = getJson("/api/search?q=320508001001");
        assertThat(grids.findValuesAsString("kind")).contains("GRID");
    }
}
