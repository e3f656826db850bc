package org.civicgrid.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

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

/** The map's GeoJSON endpoints for a district-wide admin: what comes back for a viewport, and clear 400s for bad parameters. */
@CivicGridIntegrationTest
class LayerApiTest {

    /** Roughly the western half of the demo district. */
    private static final String WEST_HALF = "120.55,31.27,120.62,31.35";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    private JsonNode getGeoJson(String url) throws Exception {
        String body = mvc.perform(get(url).with(TestSignIn.as(jdbc, "admin"))).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("application/geo+json"))
                .andReturn().getResponse().getContentAsString();
        return json.readTree(body);
    }

    @Test
    void gridsOfAViewportComeWithTheirOpenProblemCounts() throws Exception {
        JsonNode grids = getGeoJson("/api/layers/grids?bbox=" + WEST_HALF + "&zoom=14");

        long expectedGrids = jdbc.sql("""
                SELECT count(*) FROM grid WHERE valid_to IS NULL
                AND ST_Intersects(boundary, ST_MakeEnvelope(120.55, 31.27, 120.62, 31.35, 4326))""").query(Long.class).single();
        long expectedOpen = jdbc.sql("""
                SELECT count(*) FROM problem p JOIN grid g ON g.id = p.grid_id
                WHERE p.status NOT IN ('CLOSED', 'REJECTED')
                AND ST_Intersects(g.boundary, ST_MakeEnvelope(120.55, 31.27, 120.62, 31.35, 4326))""").query(Long.class).single();
        assertThat(grids.path("type").asString()).isEqualTo("FeatureCollection");
        assertThat(grids.path("features").size()).isEqualTo(expectedGrids).isPositive();
        long open = 0;
        for (JsonNode feature : grids.path("features")) {
            assertThat(feature.path("geometry").path("type").asString()).isEqualTo("Polygon");
            assertThat(feature.path("properties").path("code").asString()).matches("\\d{15}");
            assertThat(feature.path("properties").path("owners").size()).isPositive();
            open += feature.path("properties").path("openProblems").asLong();
        }
        assertThat(open).isEqualTo(expectedOpen);
    }

    @Test
    void pointsOfAViewportAreThoseInsideIt() throws Exception {
        JsonNode points = getGeoJson("/api/layers/points?bbox=" + WEST_HALF + "&zoom=16");

        long expected = jdbc.sql("SELECT count(*) FROM measurement_point WHERE ST_Intersects(geom, ST_MakeEnvelope(120.55, 31.27, 120.62, 31.35, 4326))")
                .query(Long.class).single();
        assertThat(points.path("features").size()).isEqualTo(expected).isPositive();
        JsonNode first = points.path("features").get(0).path("properties");
        assertThat(first.path("typeCode").asString()).isNotBlank();
        assertThat(first.path("gridCode").asString()).matches("\\d{15}");
    }

    @Test
    void areaOutlinesComeByLevel() throws Exception {
        JsonNode streets = getGeoJson("/api/layers/areas?level=street&bbox=" + WEST_HALF);
        assertThat(streets.path("features").size()).isPositive();
        assertThat(streets.path("features").get(0).path("properties").path("level").asString()).isEqualTo("street");
    }

    @Test
    void mapConfigFramesTheDemoDistrict() throws Exception {
        mvc.perform(get("/api/map/config").with(TestSignIn.as(jdbc, "admin"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.district.code").value("320508"))
                .andExpect(jsonPath("$.bounds[0][0]").isNumber());
    }

    @ParameterizedTest(name = "{0} → 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "/api/layers/grids?bbox=1,2,3&zoom=12                      | bbox",
            "/api/layers/grids?bbox=a,31,121,32&zoom=12                | bbox",
            "/api/layers/grids?bbox=121,31,120,32&zoom=12              | bbox",
            "/api/layers/grids?bbox=120,31,121,95&zoom=12              | bbox",
            "/api/layers/grids?bbox=NaN,31,121,32&zoom=12              | bbox",
            "/api/layers/grids?zoom=12                                 | bbox",
            "/api/layers/grids?bbox=120,31,121,32&zoom=23              | zoom",
            "/api/layers/points?bbox=120,31,121,32&zoom=x              | zoom",
            "/api/layers/points?bbox=120,31,121,32                     | zoom",
            "/api/layers/areas?level=grid;DROP TABLE grid&bbox=120,31,121,32 | level",
    })
    void badParametersAreRefusedWithAProblemBody(String url, String parameter) throws Exception {
        mvc.perform(get(url).with(TestSignIn.as(jdbc, "admin"))).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.parameter").value(parameter))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(parameter)));
    }
}
