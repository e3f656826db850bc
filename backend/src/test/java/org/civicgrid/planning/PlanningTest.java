package org.civicgrid.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.locationtech.jts.algorithm.construct.MaximumInscribedCircle;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.geojson.GeoJsonReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The planner's drafts on the demo city: validation faults where they are, split/merge, fixes, preview = publish, staleness, access. */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanningTest {

    private static final GeometryFactory GF = new GeometryFactory();
    /** Communities used here and nowhere else in the tests (the access matrix uses street 320508001). */
    private static final String VALIDATION_COMMUNITY = "320508006001";
    private static final String EDIT_COMMUNITY = "320508006005";
    private static final String PUBLISH_COMMUNITY = "320508007004";
    private static final String STALE_COMMUNITY = "320508005006";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    private final String nonce = UUID.randomUUID().toString().substring(0, 8);
    private String planner;
    private String otherPlanner;
    private String streetPlanner;
    private String inspector;
    private String leader;

    @BeforeAll
    void accounts() {
        planner = account("pl_a_" + nonce, "PLANNER", "320508");
        otherPlanner = account("pl_b_" + nonce, "PLANNER", "320508");
        streetPlanner = account("pl_s_" + nonce, "PLANNER", "320508006");
        inspector = account("pl_i_" + nonce, "INSPECTOR", "320508");
        leader = account("pl_l_" + nonce, "LEADER", "320508");
    }

    // ---- validation ---------------------------------------------------------------------------------------------

    @Test
    void anUntouchedCopyOfTheLiveGridsIsValid() throws Exception {
        long draft = newDraft(planner, VALIDATION_COMMUNITY);
        JsonNode validation = validation(draft);
        assertThat(validation.path("faults").size()).as(validation.toString()).isZero();
        assertThat(validation.path("valid").asBoolean()).isTrue();
        // ... and changes nothing: no point or problem changes grid or leaves the area (lines and polygons that
        // already belong to a grid outside, reaching in, stay where they are)
        for (String community : List.of(VALIDATION_COMMUNITY, "320508003004")) {
            JsonNode impact = send(get("/api/planning/drafts/{id}/impact", newDraft(planner, community)), planner, null, 200);
            assertThat(impact.path("points").size()).as(community + " " + impact.path("points")).isZero();
            assertThat(impact.path("problems").size()).as(community).isZero();
            assertThat(impact.path("pointsLeavingArea").asInt()).as(community).isZero();
        }
    }

    @Test
    void aBowTieIsAnInvalidGeometryAtItsCrossing() throws Exception {
        long draft = newDraft(planner, VALIDATION_COMMUNITY);
        Grid a = grids(draft).get(0);
        var env = a.geometry().getEnvelopeInternal();
        Polygon bowTie = GF.createPolygon(new Coordinate[] {new Coordinate(env.getMinX(), env.getMinY()), new Coordinate(env.getMaxX(), env.getMaxY()),
                new Coordinate(env.getMaxX(), env.getMinY()), new Coordinate(env.getMinX(), env.getMaxY()), new Coordinate(env.getMinX(), env.getMinY())});
        replace(draft, a.key(), Map.of("geometry", geoJson(bowTie)));
        JsonNode fault = onlyFault(validation(draft), "INVALID_GEOMETRY", a.key());
        Geometry location = geometry(fault.path("location"));
        assertThat(location.getGeometryType()).isEqualTo("Point");
        assertThat(location.getCoordinate().x).isCloseTo(env.centre().x, within(1e-9));
        assertThat(location.getCoordinate().y).isCloseTo(env.centre().y, within(1e-9));
    }

    @Test
    void anOverlapIsFoundWhereTwoGridsOverlap() throws Exception {
        long draft = newDraft(planner, VALIDATION_COMMUNITY);
        Grid[] pair = neighbours(grids(draft));
        Geometry intrusion = pair[0].geometry().intersection(pair[1].geometry().buffer(1e-4));
        Polygon grown = largest(pair[1].geometry().union(intrusion));
        replace(draft, pair[1].key(), Map.of("geometry", geoJson(grown)));
        JsonNode fault = onlyFault(validation(draft), "OVERLAP", null);
        assertThat(keys(fault.path("gridKeys"))).containsExactlyInAnyOrder(pair[0].key(), pair[1].key());
        Geometry location = geometry(fault.path("location"));
        assertThat(location.buffer(1e-9).contains(intrusion.getInteriorPoint())).isTrue();
        assertThat(location.getArea()).isCloseTo(intrusion.getArea(), within(intrusion.getArea() * 0.01));
    }

    @Test
    void aSliverGapBetweenNeighboursIsAGapWhereItIs() throws Exception {
        long draft = newDraft(planner, VALIDATION_COMMUNITY);
        Grid[] pair = neighbours(grids(draft));
        Polygon shrunk = largest(pair[0].geometry().difference(pair[1].geometry().buffer(2e-5)));
        replace(draft, pair[0].key(), Map.of("geometry", geoJson(shrunk)));
        Geometry strip = pair[0].geometry().difference(shrunk);
        JsonNode fault = onlyFault(validation(draft), "GAP", null);
        assertThat(keys(fault.path("gridKeys"))).contains(pair[0].key(), pair[1].key());
        Geometry location = geometry(fault.path("location"));
        assertThat(location.buffer(1e-9).contains(strip.getInteriorPoint())).isTrue();
    }

    @Test
    void aHoleNobodyFillsIsAGap() throws Exception {
        long draft = newDraft(planner, VALIDATION_COMMUNITY);
        Grid a = grids(draft).get(1);
        MaximumInscribedCircle circle = new MaximumInscribedCircle(a.geometry(), 1e-7);
        Point centre = circle.getCenter();
        Geometry hole = centre.buffer(circle.getRadiusLine().getLength() / 2);
        replace(draft, a.key(), Map.of("geometry", geoJson(a.geometry().difference(hole))));
        JsonNode fault = onlyFault(validation(draft), "GAP", null);
        assertThat(keys(fault.path("gridKeys"))).containsExactly(a.key());
        Geometry location = geometry(fault.path("location"));
        assertThat(location.contains(centre)).isTrue();
        assertThat(location.getArea()).isCloseTo(hole.getArea(), within(hole.getArea() * 0.01));
    }

    @Test
    void aGridReachingOutOfItsCommunityIsOutsideWhereItLeaves() throws Exception {
        long draft = newDraft(planner, VALIDATION_COMMUNITY);
        Geometry community = communityBoundary(VALIDATION_COMMUNITY);
        Grid a = grids(draft).get(0);
        Coordinate corner = null;
        for (Coordinate c : a.geometry().getCoordinates()) {
            if (community.getBoundary().distance(GF.createPoint(c)) < 1e-9) {
                corner = c;
                break;
            }
        }
        assertThat(corner).as("a vertex of grid %s on the community boundary", a.code()).isNotNull();
        Geometry others = GF.buildGeometry(grids(draft).stream().filter(g -> g.key() != a.key()).map(Grid::geometry).toList()).union();
        Polygon grown = largest(a.geometry().union(GF.createPoint(corner).buffer(3e-4)).difference(others));
        replace(draft, a.key(), Map.of("geometry", geoJson(grown)));
        JsonNode fault = onlyFault(validation(draft), "OUTSIDE_COMMUNITY", a.key());
        Geometry location = geometry(fault.path("location"));
        Point wellOutside = largest(grown.difference(community.buffer(2e-5))).getInteriorPoint();
        assertThat(location.buffer(1e-9).contains(wellOutside)).as("%s in %s", wellOutside, location).isTrue();
        assertThat(community.contains(location.getInteriorPoint())).isFalse();
    }

    @Test
    void aDuplicateCodeAndABadCodeAreNamed() throws Exception {
        long draft = newDraft(planner, VALIDATION_COMMUNITY);
        List<Grid> grids = grids(draft);
        replace(draft, grids.get(1).key(), Map.of("code", grids.get(0).code()));
        replace(draft, grids.get(2).key(), Map.of("code", "320508999001001"));
        JsonNode validation = validation(draft);
        JsonNode duplicate = onlyFault(validation, "DUPLICATE_CODE", null);
        assertThat(keys(duplicate.path("gridKeys"))).containsExactlyInAnyOrder(grids.get(0).key(), grids.get(1).key());
        assertThat(geometry(duplicate.path("location")).contains(grids.get(1).geometry().getInteriorPoint())).isTrue();
        JsonNode bad = onlyFault(validation, "BAD_CODE", grids.get(2).key());
        assertThat(bad.path("message").asString()).contains("320508999001001").contains(VALIDATION_COMMUNITY);
        assertThat(validation.path("faults").size()).isEqualTo(2);
    }

    // ---- editing ------------------------------------------------------------------------------------------------

    @Test
    void splitMakesTwoGridsWhoseAreasAddUpAndMergeJoinsThemAgain() throws Exception {
        long draft = newDraft(planner, EDIT_COMMUNITY);
        List<Grid> before = grids(draft);
        Grid a = before.get(0);
        LineString line = cleanSplitLine(a.geometry());
        JsonNode doc = send(post("/api/planning/drafts/{id}/split", draft), planner,
                Map.of("gridKey", a.key(), "line", geoJson(line)), 200);
        List<Grid> after = grids(doc);
        assertThat(after).hasSize(before.size() + 1);
        List<Long> changed = keys(doc.path("changedKeys"));
        assertThat(changed).hasSize(2).contains(a.key());
        Grid kept = find(after, a.key());
        Grid created = find(after, changed.get(1));
        assertThat(kept.code()).isEqualTo(a.code());
        String highest = before.stream().map(Grid::code).max(String::compareTo).orElseThrow();
        assertThat(created.code()).startsWith(EDIT_COMMUNITY).isEqualTo(EDIT_COMMUNITY + "%03d".formatted(Integer.parseInt(highest.substring(12)) + 1));
        assertThat(kept.geometry().getArea() + created.geometry().getArea()).isCloseTo(a.geometry().getArea(), within(a.geometry().getArea() * 1e-6));
        assertThat(validation(draft).path("valid").asBoolean()).as(validation(draft).toString()).isTrue();

        // a line that ends inside the grid does not split it
        Coordinate[] half = {line.getCoordinateN(0), line.getCentroid().getCoordinate()};
        JsonNode refused = send(post("/api/planning/drafts/{id}/split", draft), planner,
                Map.of("gridKey", kept.key(), "line", geoJson(GF.createLineString(half))), 400);
        assertThat(refused.path("parameter").asString()).isEqualTo("line");

        // merge the halves back: one grid of the original area and code
        JsonNode merged = send(post("/api/planning/drafts/{id}/merge", draft), planner, Map.of("gridKeys", List.of(kept.key(), created.key())), 200);
        List<Grid> finalGrids = grids(merged);
        assertThat(finalGrids).hasSize(before.size());
        assertThat(find(finalGrids, a.key()).geometry().getArea()).isCloseTo(a.geometry().getArea(), within(a.geometry().getArea() * 1e-6));
        assertThat(find(finalGrids, a.key()).code()).isEqualTo(a.code());

        // grids that share no edge are not merged
        Grid far = farthestFrom(finalGrids, find(finalGrids, a.key()));
        JsonNode notAdjacent = send(post("/api/planning/drafts/{id}/merge", draft), planner, Map.of("gridKeys", List.of(a.key(), far.key())), 400);
        assertThat(notAdjacent.path("parameter").asString()).isEqualTo("gridKeys");
        assertThat(grids(draft)).hasSize(before.size());
    }

    @Test
    void theFixJoinsASmallGapToTheNeighbour() throws Exception {
        long draft = newDraft(planner, EDIT_COMMUNITY);
        Grid[] pair = neighbours(grids(draft));
        Polygon shrunk = largest(pair[0].geometry().difference(pair[1].geometry().buffer(1e-5)));
        replace(draft, pair[0].key(), Map.of("geometry", geoJson(shrunk)));
        JsonNode before = validation(draft);
        onlyFault(before, "GAP", null);
        JsonNode fixed = send(post("/api/planning/drafts/{id}/fix", draft), planner, Map.of("type", "GAP"), 200);
        // the gap is gone and nothing new appeared (the shrinking above may leave a crumb of its own, e.g. a spike)
        List<String> typesBefore = new ArrayList<>();
        before.path("faults").forEach(f -> typesBefore.add(f.path("type").asString()));
        typesBefore.remove("GAP");
        List<String> typesAfter = new ArrayList<>();
        fixed.path("faults").forEach(f -> typesAfter.add(f.path("type").asString()));
        assertThat(typesAfter).as(fixed.toString()).containsExactlyElementsOf(typesBefore).doesNotContain("GAP", "OVERLAP");
        assertThat(jdbc.sql("""
                SELECT count(*) FROM audit_log WHERE action = 'DRAFT_FIX_GAP' AND object_id IN (SELECT id::text FROM draft_grid WHERE draft_id = ?)""")
                .param(draft).query(Long.class).single()).isEqualTo(1);
    }

    /**
     * The typical planner slip: a vertex that grid A shares with its neighbour B dragged into A, leaving a
     * gap of a few thousand m² between them. The fix the page offers (by fault index) closes it: validation
     * is clean, both grids are valid polygons, and the grids still cover the community exactly.
     */
    @Test
    void theFixClosesTheGapLeftByADraggedSharedVertex() throws Exception {
        long draft = newDraft(planner, EDIT_COMMUNITY);
        List<Grid> grids = grids(draft);
        Grid[] pair = neighbours(grids);
        Grid a = pair[0];
        Grid b = pair[1];
        Polygon dragged = dragSharedVertexInward(a.geometry(), b.geometry());
        double gapSqm = sqm(a.geometry().difference(dragged));
        assertThat(gapSqm).as("the slip leaves a gap of a few thousand m²").isBetween(1500.0, 6000.0);
        replace(draft, a.key(), Map.of("geometry", geoJson(dragged)));

        JsonNode before = validation(draft);
        JsonNode gap = onlyFault(before, "GAP", null);
        assertThat(before.path("faults").size()).as(before.toString()).isEqualTo(1);
        assertThat(keys(gap.path("gridKeys"))).contains(a.key(), b.key());
        assertThat(sqm(geometry(gap.path("location")))).isCloseTo(gapSqm, within(gapSqm * 0.01));

        JsonNode after = send(post("/api/planning/drafts/{id}/fix", draft), planner, Map.of("faultIndex", gap.path("index").asInt()), 200);
        assertThat(after.path("faults").size()).as(after.toString()).isZero();
        assertThat(after.path("valid").asBoolean()).isTrue();
        assertThat(validation(draft).path("faults").size()).isZero();

        List<Grid> fixed = grids(draft);
        assertThat(fixed).hasSize(grids.size());
        assertThat(find(fixed, a.key()).geometry().isValid()).isTrue();
        assertThat(find(fixed, b.key()).geometry().isValid()).isTrue();
        // still an exact coverage: the union is the community, and the areas add up to the union (no overlap)
        Geometry community = communityBoundary(EDIT_COMMUNITY);
        Geometry union = GF.buildGeometry(fixed.stream().map(Grid::geometry).toList()).union();
        assertThat(sqm(union.symDifference(community))).isLessThan(1.0);
        double sqmPerSquareDegree = sqm(community) / community.getArea();
        double sum = fixed.stream().mapToDouble(g -> g.geometry().getArea()).sum();
        assertThat((sum - union.getArea()) * sqmPerSquareDegree).isLessThan(0.1);
        // the gap went to one of the two grids, which together cover what they covered before the slip
        Geometry pairBefore = a.geometry().union(b.geometry());
        Geometry pairAfter = find(fixed, a.key()).geometry().union(find(fixed, b.key()).geometry());
        assertThat(sqm(pairBefore.symDifference(pairAfter))).isLessThan(1.0);
    }

    @Test
    void aConcurrentEditIsRefusedWithTheCurrentVersion() throws Exception {
        long draft = newDraft(planner, EDIT_COMMUNITY);
        JsonNode doc = document(draft, planner);
        long version = doc.path("draft").path("version").asLong();
        Grid a = grids(doc).get(0);
        send(put("/api/planning/drafts/{id}/grids/{key}", draft, a.key()).header("If-Match", "\"" + version + "\""), planner,
                Map.of("name", "甲方修改"), 200);
        JsonNode conflict = send(put("/api/planning/drafts/{id}/grids/{key}", draft, a.key()).header("If-Match", "\"" + version + "\""),
                otherPlanner, Map.of("name", "乙方修改"), 409);
        assertThat(conflict.path("currentVersion").asLong()).isEqualTo(version + 1);
        assertThat(find(grids(draft), a.key()).name()).isEqualTo("甲方修改");
        JsonNode missing = send(put("/api/planning/drafts/{id}/grids/{key}", draft, a.key()), planner, Map.of("name", "x"), 400);
        assertThat(missing.path("parameter").asString()).isEqualTo("If-Match");
        JsonNode badGeometry = send(put("/api/planning/drafts/{id}/grids/{key}", draft, a.key()).header("If-Match", "\"" + (version + 1) + "\""),
                planner, Map.of("geometry", Map.of("type", "Point", "coordinates", List.of(120.6, 31.3))), 400);
        assertThat(badGeometry.path("parameter").asString()).isEqualTo("geometry");
        assertThat(document(draft, planner).path("draft").path("version").asLong()).as("nothing half-written").isEqualTo(version + 1);
    }

    @Test
    void plannersOnTheSameCommunityAreToldAboutEachOther() throws Exception {
        long mine = newDraft(planner, "320508005004");
        long theirs = newDraft(otherPlanner, "320508005004");
        JsonNode others = document(mine, planner).path("othersEditing");
        // earlier runs on a kept test cluster may have left other open drafts there: look at this run's
        List<JsonNode> byOther = new ArrayList<>();
        others.forEach(o -> {
            if (o.path("draftId").asLong() >= theirs || o.path("draftId").asLong() == mine) {
                byOther.add(o);
            }
        });
        assertThat(byOther).hasSize(1);
        assertThat(byOther.get(0).path("draftId").asLong()).isEqualTo(theirs);
        assertThat(byOther.get(0).path("user").path("username").asString()).isEqualTo(otherPlanner);
        assertThat(keys(others, "draftId")).doesNotContain(mine);
        assertThat(keys(document(theirs, otherPlanner).path("othersEditing"), "draftId")).contains(mine);
        JsonNode list = send(get("/api/planning/drafts").param("areaCode", "320508005004"), planner, null, 200);
        assertThat(keys(list.path("othersEditing"), "draftId")).contains(theirs).doesNotContain(mine);
        assertThat(keys(list.path("drafts"), "id")).contains(mine, theirs);
    }

    @Test
    void rolesAndScope() throws Exception {
        long draft = newDraft(planner, EDIT_COMMUNITY);
        send(get("/api/planning/drafts/{id}", draft), inspector, null, 403);
        send(post("/api/planning/drafts"), inspector, Map.of("areaCode", EDIT_COMMUNITY), 403);
        send(get("/api/planning/drafts/{id}", draft), leader, null, 200);
        send(post("/api/planning/drafts/{id}/grids", draft), leader, Map.of(), 403);
        // a planner scoped to street 320508006 drafts any of its communities but nothing elsewhere
        send(post("/api/planning/drafts"), streetPlanner, Map.of("areaCode", EDIT_COMMUNITY), 201);
        send(post("/api/planning/drafts"), streetPlanner, Map.of("areaCode", PUBLISH_COMMUNITY), 404);
        long elsewhere = newDraft(planner, STALE_COMMUNITY);
        send(get("/api/planning/drafts/{id}", elsewhere), streetPlanner, null, 404);
        JsonNode bad = send(post("/api/planning/drafts"), planner, Map.of("areaCode", "32050800"), 400);
        assertThat(bad.path("parameter").asString()).isEqualTo("areaCode");
    }

    // ---- impact and publishing ----------------------------------------------------------------------------------

    @Test
    void publishReassignsExactlyWhatThePreviewListedAndKeepsTheOldVersion() throws Exception {
        long draft = newDraft(planner, PUBLISH_COMMUNITY);
        List<Grid> before = grids(draft);
        Grid a = before.stream().max((x, y) -> Long.compare(pointsIn(x.sourceGridId()), pointsIn(y.sourceGridId()))).orElseThrow();
        JsonNode doc = send(post("/api/planning/drafts/{id}/split", draft), planner,
                Map.of("gridKey", a.key(), "line", geoJson(cleanSplitLine(a.geometry()))), 200);
        Grid created = find(grids(doc), keys(doc.path("changedKeys")).get(1));
        // an open problem in the part that changes grid, and a closed one that stays with the old version
        long open = problem(created.geometry().getInteriorPoint(), "DISPATCHED");
        long closed = problem(created.geometry().getInteriorPoint(), "CLOSED");
        long oldGridId = a.sourceGridId();

        JsonNode impact = send(get("/api/planning/drafts/{id}/impact", draft), leader, null, 200);
        assertThat(impact.path("stale").asBoolean()).isFalse();
        List<Long> previewPoints = keys(impact.path("points"), "id");
        assertThat(previewPoints).isNotEmpty();
        for (JsonNode p : impact.path("points")) {
            assertThat(p.path("fromGrid").asString()).isEqualTo(a.code());
            // a point goes to the new grid; a line or polygon to the grid holding most of it, which after the split may
            // be a neighbour (on a kept test cluster earlier runs have split this community's grids small)
            if (jdbc.sql("SELECT ST_Dimension(geom) FROM measurement_point WHERE id = ?").param(p.path("id").asLong()).query(Integer.class)
                    .single() == 0) {
                assertThat(p.path("toGrid").asString()).isEqualTo(created.code());
            }
        }
        List<Long> toNewGrid = new ArrayList<>();
        impact.path("points").forEach(p -> {
            if (p.path("toGrid").asString().equals(created.code())) {
                toNewGrid.add(p.path("id").asLong());
            }
        });
        assertThat(toNewGrid).isNotEmpty();
        assertThat(keys(impact.path("problems"), "id")).contains(open).doesNotContain(closed);
        JsonNode workload = impact.path("workload");
        assertThat(workload.size()).isEqualTo(before.size() + 1);
        long totalPoints = 0;
        for (JsonNode w : workload) {
            totalPoints += w.path("points").asLong();
        }
        long livePoints = jdbc.sql("SELECT count(*) FROM measurement_point m JOIN grid g ON g.id = m.grid_id WHERE g.valid_to IS NULL AND g.community_code = ?")
                .param(PUBLISH_COMMUNITY).query(Long.class).single();
        // every point of the community is in a draft grid's workload, or listed as leaving the area or left without a grid
        assertThat(totalPoints + impact.path("pointsLeavingArea").asLong() + impact.path("unassignedPoints").asLong()).isEqualTo(livePoints);
        int version = jdbc.sql("SELECT version FROM grid WHERE id = ?").param(oldGridId).query(Integer.class).single();

        JsonNode published = send(post("/api/planning/drafts/{id}/publish", draft), planner, Map.of(), 200);
        assertThat(keys(published.path("reassignedPointIds"))).containsExactlyElementsOf(previewPoints);
        // the split grid and the neighbours that got the cut's ends as vertices end; each continues, plus the new grid
        assertThat(published.path("gridsEnded").asInt()).isBetween(1, 3);
        assertThat(published.path("gridsBegun").asInt()).isEqualTo(published.path("gridsEnded").asInt() + 1);
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));

        // the old version is kept with its end date; the same code continues as version + 1; the new code starts at 1
        assertThat(jdbc.sql("SELECT valid_to FROM grid WHERE id = ?").param(oldGridId).query(LocalDate.class).single()).isEqualTo(today);
        assertThat(jdbc.sql("SELECT version FROM grid WHERE code = ? AND valid_to IS NULL").param(a.code()).query(Integer.class).single())
                .isEqualTo(version + 1);
        assertThat(jdbc.sql("SELECT version FROM grid WHERE code = ? AND valid_to IS NULL").param(created.code()).query(Integer.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM grid_owner o JOIN grid g ON g.id = o.grid_id WHERE g.code = ? AND g.valid_to IS NULL")
                .param(created.code()).query(Long.class).single()).isEqualTo(a.ownerIds().size());
        // ... and its owners who manage grids see it: the new code is in their scope
        assertThat(jdbc.sql("""
                SELECT count(*) FROM grid_owner o JOIN grid g ON g.id = o.grid_id JOIN user_role r ON r.user_id = o.user_id AND r.role = 'GRID_MANAGER'
                WHERE g.code = ? AND g.valid_to IS NULL
                  AND NOT EXISTS (SELECT 1 FROM user_area_scope s WHERE s.user_id = o.user_id AND g.code LIKE s.area_code || '%')""")
                .param(created.code()).query(Long.class).single()).isZero();
        // the listed points are in the new grid now, by the same rule the triggers use
        List<Long> inNewGrid = jdbc.sql("""
                SELECT m.id FROM measurement_point m JOIN grid g ON g.id = m.grid_id WHERE g.code = ? AND g.valid_to IS NULL ORDER BY m.id""")
                .param(created.code()).query(Long.class).list();
        assertThat(inNewGrid).containsExactlyElementsOf(toNewGrid);
        assertThat(jdbc.sql("""
                SELECT count(*) FROM measurement_point m JOIN grid g ON g.id = m.grid_id
                WHERE g.community_code = ? AND (g.valid_to IS NOT NULL OR m.grid_id <> grid_for_geometry(m.geom))""")
                .param(PUBLISH_COMMUNITY).query(Long.class).single()).isZero();
        // the open problem moved with a timeline event; the closed one stays with the old version
        assertThat(jdbc.sql("SELECT g.code FROM problem p JOIN grid g ON g.id = p.grid_id WHERE p.id = ?").param(open).query(String.class).single())
                .isEqualTo(created.code());
        assertThat(jdbc.sql("SELECT grid_id FROM problem WHERE id = ?").param(closed).query(Long.class).single()).isEqualTo(oldGridId);
        assertThat(jdbc.sql("SELECT note FROM problem_event WHERE problem_id = ? AND action = 'REASSIGN'").param(open).query(String.class).single())
                .isEqualTo("网格调整: " + a.code() + " → " + created.code());
        // the statistics follow: per-grid rows equal a fresh count
        assertThat(jdbc.sql("""
                SELECT count(*) FROM grid g LEFT JOIN grid_map_stats s ON s.grid_id = g.id
                WHERE g.community_code = :c AND (coalesce(s.points, 0) <> (SELECT count(*) FROM measurement_point m WHERE m.grid_id = g.id)
                   OR coalesce(s.open, 0) <> (SELECT count(*) FROM problem p WHERE p.grid_id = g.id AND problem_is_open(p.status)))""")
                .param("c", PUBLISH_COMMUNITY).query(Long.class).single()).isZero();
        assertThat(document(draft, planner).path("draft").path("status").asString()).isEqualTo("PUBLISHED");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'GRIDS_PUBLISHED' AND object_id = ?")
                .param(published.path("publicationId").asString()).query(Long.class).single()).isEqualTo(1);

        // history and the grids valid at a date
        JsonNode history = send(get("/api/planning/history").param("areaCode", PUBLISH_COMMUNITY), leader, null, 200);
        assertThat(history.path("publications").get(0).path("publicationId").asLong()).isEqualTo(published.path("publicationId").asLong());
        assertThat(history.path("publications").get(0).path("publishedBy").path("username").asString()).isEqualTo(planner);
        JsonNode at = send(get("/api/planning/grids").param("areaCode", PUBLISH_COMMUNITY).param("at", today.toString()), leader, null, 200);
        assertThat(at.path("features").size()).isEqualTo(before.size() + 1);
        // a published draft cannot be edited or published again
        send(post("/api/planning/drafts/{id}/publish", draft), planner, Map.of(), 409);
    }

    @Test
    void aStaleDraftIsRefusedWithTheConflictingGrids() throws Exception {
        long first = newDraft(planner, STALE_COMMUNITY);
        long second = newDraft(otherPlanner, STALE_COMMUNITY);
        Grid renamed = grids(first).get(0);
        replace(first, renamed.key(), Map.of("name", "改名网格 " + nonce));
        send(post("/api/planning/drafts/{id}/publish", first), planner, Map.of("effectiveFrom", LocalDate.now(ZoneId.of("Asia/Shanghai")).toString()), 200);
        assertThat(document(second, otherPlanner).path("draft").path("stale").asBoolean()).isTrue();
        JsonNode refused = send(post("/api/planning/drafts/{id}/publish", second), otherPlanner, Map.of(), 409);
        assertThat(refused.path("conflicts").size()).isEqualTo(1);
        assertThat(refused.path("conflicts").get(0).path("code").asString()).isEqualTo(renamed.code());
        assertThat(refused.path("conflicts").get(0).path("change").asString()).isEqualTo("CHANGED");
        JsonNode impact = send(get("/api/planning/drafts/{id}/impact", second), otherPlanner, null, 200);
        assertThat(impact.path("stale").asBoolean()).isTrue();
        assertThat(document(second, otherPlanner).path("draft").path("status").asString()).isEqualTo("OPEN");
    }

    @Test
    void aDraftWithFaultsOrAPastDateIsNotPublished() throws Exception {
        long draft = newDraft(planner, VALIDATION_COMMUNITY);
        List<Grid> grids = grids(draft);
        replace(draft, grids.get(1).key(), Map.of("code", grids.get(0).code()));
        JsonNode faulty = send(post("/api/planning/drafts/{id}/publish", draft), planner, Map.of(), 400);
        assertThat(faulty.path("detail").asString()).contains("DUPLICATE_CODE");
        JsonNode past = send(post("/api/planning/drafts/{id}/publish", draft), planner, Map.of("effectiveFrom", "2020-01-01"), 400);
        assertThat(past.path("parameter").asString()).isEqualTo("effectiveFrom");
        assertThat(jdbc.sql("SELECT count(*) FROM grid_publication WHERE draft_id = ?").param(draft).query(Long.class).single()).isZero();
    }

    // ---- import / export ----------------------------------------------------------------------------------------

    @Test
    void aGeoJsonDraftIsImported() throws Exception {
        long draft = newDraft(planner, EDIT_COMMUNITY);
        MockHttpServletResponse exported = mvc.perform(get("/api/planning/live/export").param("areaCode", EDIT_COMMUNITY).param("format", "geojson")
                .with(TestSignIn.as(jdbc, planner))).andReturn().getResponse();
        assertThat(exported.getStatus()).isEqualTo(200);
        JsonNode file = json.readTree(exported.getContentAsString(StandardCharsets.UTF_8));
        List<Grid> live = grids(draft);
        assertThat(file.path("features").size()).isEqualTo(live.size());
        // import a file holding two of the grids: the draft then holds exactly those
        var two = json.createObjectNode().put("type", "FeatureCollection");
        two.putArray("features").add(file.path("features").get(0)).add(file.path("features").get(1));
        MockHttpServletResponse imported = mvc.perform(multipart("/api/planning/drafts/{id}/import", draft)
                .file(new MockMultipartFile("file", "grids.geojson", "application/geo+json", json.writeValueAsBytes(two)))
                .with(TestSignIn.as(jdbc, planner)).with(csrf())).andReturn().getResponse();
        assertThat(imported.getStatus()).as(imported.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(200);
        List<Grid> after = grids(json.readTree(imported.getContentAsString(StandardCharsets.UTF_8)));
        assertThat(after).extracting(Grid::code).containsExactlyInAnyOrder(
                file.path("features").get(0).path("properties").path("code").asString(),
                file.path("features").get(1).path("properties").path("code").asString());
        assertThat(after).allMatch(g -> g.sourceGridId() != null);
    }

    /** The live grids exported as GeoPackage or zipped Shapefile and imported into a draft come back with the same codes and shapes. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"gpkg, grids.gpkg", "shp, grids.zip"})
    void aDraftImportsWhatTheLiveExportWrote(String format, String fileName) throws Exception {
        long draft = newDraft(planner, EDIT_COMMUNITY);
        List<Grid> live = grids(draft);
        byte[] exported = mvc.perform(get("/api/planning/live/export").param("areaCode", EDIT_COMMUNITY).param("format", format)
                .with(TestSignIn.as(jdbc, planner))).andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray();
        MockHttpServletResponse imported = mvc.perform(multipart("/api/planning/drafts/{id}/import", draft)
                .file(new MockMultipartFile("file", fileName, "application/octet-stream", exported))
                .with(TestSignIn.as(jdbc, planner)).with(csrf())).andReturn().getResponse();
        assertThat(imported.getStatus()).as(imported.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(200);
        List<Grid> after = grids(json.readTree(imported.getContentAsString(StandardCharsets.UTF_8)));
        assertThat(after).extracting(Grid::code).containsExactlyInAnyOrderElementsOf(live.stream().map(Grid::code).toList());
        for (Grid grid : after) {
            Grid before = live.stream().filter(g -> g.code().equals(grid.code())).findFirst().orElseThrow();
            assertThat(grid.geometry().getArea()).as(grid.code()).isCloseTo(before.geometry().getArea(), org.assertj.core.data.Percentage.withPercentage(0.01));
        }
    }

    /** EPSG:4549, CGCS2000 / 3-degree Gauss-Krüger CM 120E, as GDAL writes it into a .prj. */
    private static final String PRJ_4549 = "PROJCS[\"CGCS2000 / 3-degree Gauss-Kruger CM 120E\",GEOGCS[\"China Geodetic Coordinate System 2000\","
            + "DATUM[\"China_2000\",SPHEROID[\"CGCS2000\",6378137,298.257222101,AUTHORITY[\"EPSG\",\"1024\"]],"
            + "AUTHORITY[\"EPSG\",\"1043\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
            + "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4490\"]],"
            + "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",120],"
            + "PARAMETER[\"scale_factor\",1],PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",0],"
            + "UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],AXIS[\"Northing\",NORTH],AXIS[\"Easting\",EAST],"
            + "AUTHORITY[\"EPSG\",\"4549\"]]";

    /**
     * The live grids, projected to CGCS2000 Gauss-Krüger (EPSG:4549, metres), as a GeoJSON with a legacy "crs" member
     * and as a zipped Shapefile with that .prj: imported into a draft they land where the live grids are.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"grids-4549.geojson", "grids-4549.zip"})
    void aProjectedGaussKrugerFileLandsWhereTheGridsAre(String fileName) throws Exception {
        long draft = newDraft(planner, EDIT_COMMUNITY);
        List<Grid> live = grids(draft);
        List<org.civicgrid.geoformats.GeoFeature> projected = new ArrayList<>();
        org.locationtech.proj4j.CRSFactory crs = new org.locationtech.proj4j.CRSFactory();
        org.locationtech.proj4j.CoordinateTransform toGaussKruger = new org.locationtech.proj4j.CoordinateTransformFactory().createTransform(
                crs.createFromParameters("CGCS2000", "+proj=longlat +ellps=GRS80 +no_defs"),
                crs.createFromParameters("EPSG:4549", "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs"));
        for (Grid g : live) {
            Geometry metres = g.geometry().copy();
            metres.apply(new org.locationtech.jts.geom.CoordinateSequenceFilter() {
                @Override
                public void filter(org.locationtech.jts.geom.CoordinateSequence seq, int i) {
                    org.locationtech.proj4j.ProjCoordinate p = toGaussKruger.transform(
                            new org.locationtech.proj4j.ProjCoordinate(seq.getX(i), seq.getY(i)), new org.locationtech.proj4j.ProjCoordinate());
                    seq.setOrdinate(i, 0, p.x);
                    seq.setOrdinate(i, 1, p.y);
                }

                @Override
                public boolean isDone() {
                    return false;
                }

                @Override
                public boolean isGeometryChanged() {
                    return true;
                }
            });
            projected.add(new org.civicgrid.geoformats.GeoFeature(metres, new LinkedHashMap<>(Map.of("code", g.code(), "name", g.name()))));
        }
        assertThat(projected.get(0).geometry().getCoordinate().x).as("really metres").isBetween(550_000.0, 580_000.0);
        byte[] file;
        if (fileName.endsWith(".geojson")) {
            file = new String(org.civicgrid.geoformats.GeoFiles.write(org.civicgrid.geoformats.GeoFileFormat.GEOJSON, "grids", projected),
                    StandardCharsets.UTF_8).replaceFirst("\\{\"type\":\"FeatureCollection\",",
                    "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::4549\"}},")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            file = withPrj(org.civicgrid.geoformats.GeoFiles.write(org.civicgrid.geoformats.GeoFileFormat.SHAPEFILE_ZIP, "grids", projected),
                    PRJ_4549);
        }
        MockHttpServletResponse imported = mvc.perform(multipart("/api/planning/drafts/{id}/import", draft)
                .file(new MockMultipartFile("file", fileName, "application/octet-stream", file))
                .with(TestSignIn.as(jdbc, planner)).with(csrf())).andReturn().getResponse();
        assertThat(imported.getStatus()).as(imported.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(200);
        List<Grid> after = grids(json.readTree(imported.getContentAsString(StandardCharsets.UTF_8)));
        assertThat(after).extracting(Grid::code).containsExactlyInAnyOrderElementsOf(live.stream().map(Grid::code).toList());
        for (Grid grid : after) {
            Grid before = live.stream().filter(g -> g.code().equals(grid.code())).findFirst().orElseThrow();
            assertThat(sqm(grid.geometry().symDifference(before.geometry()))).as(grid.code()).isLessThan(1.0);
            assertThat(grid.geometry().getCoordinate().distance(before.geometry().getCoordinate())).as(grid.code()).isLessThan(1e-6);
        }
        JsonNode validation = validation(draft);
        for (JsonNode f : validation.path("faults")) {
            assertThat(f.path("type").asString()).as(validation.toString()).isNotIn("OUTSIDE_COMMUNITY", "GAP", "OVERLAP");
        }
    }

    /** A zipped Shapefile with its .prj replaced. */
    private static byte[] withPrj(byte[] zip, String prj) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip));
             var rezipped = new java.util.zip.ZipOutputStream(out)) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] content = entry.getName().endsWith(".prj") ? prj.getBytes(StandardCharsets.UTF_8) : in.readAllBytes();
                rezipped.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                rezipped.write(content);
                rezipped.closeEntry();
            }
        }
        return out.toByteArray();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    record Grid(long key, String code, String name, Polygon geometry, Long sourceGridId, List<Long> ownerIds) {
    }

    private String account(String username, String role, String scope) {
        jdbc.sql("INSERT INTO app_user (username, display_name) VALUES (?, ?)").param(username).param("规划测试 " + role).update();
        jdbc.sql("INSERT INTO user_role (user_id, role) SELECT id, ? FROM app_user WHERE username = ?").param(role).param(username).update();
        jdbc.sql("INSERT INTO user_area_scope (user_id, area_level, area_code) SELECT id, ?, ? FROM app_user WHERE username = ?")
                .param(org.civicgrid.areas.AreaCodes.levelOf(scope)).param(scope).param(username).update();
        return username;
    }

    private long newDraft(String user, String area) throws Exception {
        JsonNode doc = send(post("/api/planning/drafts"), user, Map.of("areaCode", area, "name", "测试草稿"), 201);
        return doc.path("draft").path("id").asLong();
    }

    private JsonNode document(long draft, String user) throws Exception {
        return send(get("/api/planning/drafts/{id}", draft), user, null, 200);
    }

    private List<Grid> grids(long draft) throws Exception {
        return grids(document(draft, planner));
    }

    private List<Grid> grids(JsonNode doc) throws Exception {
        List<Grid> grids = new ArrayList<>();
        for (JsonNode f : doc.path("features")) {
            JsonNode p = f.path("properties");
            List<Long> owners = new ArrayList<>();
            p.path("owners").forEach(o -> owners.add(o.path("id").asLong()));
            grids.add(new Grid(p.path("key").asLong(), p.path("code").asString(), p.path("name").asString(),
                    (Polygon) geometry(f.path("geometry")), p.path("sourceGridId").isNull() ? null : p.path("sourceGridId").asLong(), owners));
        }
        return grids;
    }

    private JsonNode replace(long draft, long key, Map<String, Object> fields) throws Exception {
        long version = document(draft, planner).path("draft").path("version").asLong();
        return send(put("/api/planning/drafts/{id}/grids/{key}", draft, key).header("If-Match", "\"" + version + "\""), planner, fields, 200);
    }

    private JsonNode validation(long draft) throws Exception {
        return send(get("/api/planning/drafts/{id}/validation", draft), planner, null, 200);
    }

    /** The one fault of a type (optionally of a grid); fails listing all faults otherwise. */
    private static JsonNode onlyFault(JsonNode validation, String type, Long gridKey) {
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode f : validation.path("faults")) {
            if (f.path("type").asString().equals(type) && (gridKey == null || f.path("gridKey").asLong() == gridKey)) {
                matching.add(f);
            }
        }
        assertThat(matching).as("%s faults in %s", type, validation).hasSize(1);
        assertThat(validation.path("valid").asBoolean()).isFalse();
        return matching.get(0);
    }

    private JsonNode send(MockHttpServletRequestBuilder request, String user, Object body, int status) throws Exception {
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body));
        }
        MockHttpServletResponse response = mvc.perform(request.with(TestSignIn.as(jdbc, user)).with(csrf())).andReturn().getResponse();
        String text = response.getContentAsString(StandardCharsets.UTF_8);
        assertThat(response.getStatus()).as(text).isEqualTo(status);
        return text.isEmpty() ? json.createObjectNode() : json.readTree(text);
    }

    private Map<String, Object> geoJson(Geometry g) {
        org.locationtech.jts.io.geojson.GeoJsonWriter writer = new org.locationtech.jts.io.geojson.GeoJsonWriter(12);
        writer.setEncodeCRS(false);
        return json.readValue(writer.write(g), LinkedHashMap.class);
    }

    private static Geometry geometry(JsonNode geoJson) {
        try {
            return new GeoJsonReader().read(geoJson.toString());
        } catch (org.locationtech.jts.io.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> keys(JsonNode array) {
        List<Long> keys = new ArrayList<>();
        array.forEach(n -> keys.add(n.asLong()));
        return keys;
    }

    private static List<Long> keys(JsonNode array, String field) {
        List<Long> keys = new ArrayList<>();
        array.forEach(n -> keys.add(n.path(field).asLong()));
        return keys;
    }

    private static Grid find(List<Grid> grids, long key) {
        return grids.stream().filter(g -> g.key() == key).findFirst().orElseThrow();
    }

    /** Two grids sharing an edge longer than about 50 m. */
    private static Grid[] neighbours(List<Grid> grids) {
        for (int i = 0; i < grids.size(); i++) {
            for (int j = i + 1; j < grids.size(); j++) {
                if (grids.get(i).geometry().getBoundary().intersection(grids.get(j).geometry().getBoundary()).getLength() > 5e-4) {
                    return new Grid[] {grids.get(i), grids.get(j)};
                }
            }
        }
        throw new IllegalStateException("no neighbours");
    }

    /** Square metres of a lon/lat geometry (local equirectangular scale, as the validator measures). */
    private static double sqm(Geometry lonLat) {
        if (lonLat.isEmpty()) {
            return 0;
        }
        double lat = Math.toRadians(lonLat.getEnvelopeInternal().centre().y);
        return lonLat.getArea() * 111_132.954 * 111_412.84 * Math.cos(lat);
    }

    /**
     * Grid a with one vertex it shares with b (inside their common border if there is one, else an end of it) moved
     * towards a's interior, as a slipped drag would: the largest move up to 60 % of the way that keeps a valid and leaves a
     * gap of at most about 4,000 m².
     */
    private static Polygon dragSharedVertexInward(Polygon a, Polygon b) {
        Coordinate[] ring = a.getExteriorRing().getCoordinates();
        int n = ring.length - 1;
        Geometry bBorder = b.getBoundary().buffer(1e-9);
        Coordinate inside = a.getInteriorPoint().getCoordinate();
        Polygon best = null;
        double bestArea = 0;
        // vertices inside the common border first (both edges shared), then its ends (one edge shared)
        for (int pass = 2; pass >= 1 && best == null; pass--) {
            for (int i = 0; i < n; i++) {
                Coordinate prev = ring[(i - 1 + n) % n];
                Coordinate next = ring[(i + 1) % n];
                int shared = (bBorder.contains(GF.createPoint(prev)) ? 1 : 0) + (bBorder.contains(GF.createPoint(next)) ? 1 : 0);
                if (!bBorder.contains(GF.createPoint(ring[i])) || shared != pass) {
                    continue;
                }
                for (double t = 0.6; t > 0.01; t *= 0.8) {
                    Coordinate moved = new Coordinate(ring[i].x + t * (inside.x - ring[i].x), ring[i].y + t * (inside.y - ring[i].y));
                    Coordinate[] cs = ring.clone();
                    cs[i] = moved;
                    if (i == 0) {
                        cs[n] = moved;
                    }
                    // as the page sends it: Leaflet's toGeoJSON() writes 6 decimals
                    for (int k = 0; k < cs.length; k++) {
                        cs[k] = new Coordinate(Math.round(cs[k].x * 1e6) / 1e6, Math.round(cs[k].y * 1e6) / 1e6);
                    }
                    Polygon candidate = GF.createPolygon(cs);
                    double gap = sqm(a.difference(candidate));
                    if (candidate.isValid() && gap <= 4000 && gap > bestArea) {
                        best = candidate;
                        bestArea = gap;
                        break;
                    }
                }
            }
        }
        assertThat(best).as("a vertex of %s inside its border with %s", a, b).isNotNull();
        return best;
    }

    private static Grid farthestFrom(List<Grid> grids, Grid from) {
        return grids.stream().max((x, y) -> Double.compare(x.geometry().distance(from.geometry()), y.geometry().distance(from.geometry())))
                .orElseThrow();
    }

    /** A west–east line through the middle of the polygon that crosses it exactly once. */
    private static LineString cleanSplitLine(Polygon polygon) {
        var env = polygon.getEnvelopeInternal();
        for (double f = 0.5; f > 0.1; f -= 0.05) {
            for (double y : new double[] {env.getMinY() + env.getHeight() * f, env.getMaxY() - env.getHeight() * f}) {
                LineString line = GF.createLineString(new Coordinate[] {new Coordinate(env.getMinX() - 1e-4, y), new Coordinate(env.getMaxX() + 1e-4, y)});
                if (polygon.intersection(line) instanceof LineString) {
                    return line;
                }
            }
        }
        throw new IllegalStateException("no clean split line");
    }

    private static Polygon largest(Geometry g) {
        Polygon best = null;
        for (int i = 0; i < g.getNumGeometries(); i++) {
            if (g.getGeometryN(i) instanceof Polygon p && (best == null || p.getArea() > best.getArea())) {
                best = p;
            }
        }
        return best;
    }

    private Geometry communityBoundary(String code) {
        return jdbc.sql("SELECT ST_AsBinary(boundary) FROM community WHERE code = ?").param(code)
                .query((rs, n) -> GridGeometry.wkb(rs.getBytes(1))).single();
    }

    private long pointsIn(Long gridId) {
        return jdbc.sql("SELECT count(*) FROM measurement_point WHERE grid_id = ?").param(gridId).query(Long.class).single();
    }

    private long problem(Point at, String status) {
        return jdbc.sql("""
                INSERT INTO problem (category_code, status, location, description, reported_at, accepted_at, warning_at, deadline_at, closed_at)
                VALUES ('EXPOSED_GARBAGE', ?, ST_SetSRID(ST_MakePoint(?, ?), 4326), '规划测试问题', now() - interval '1 day',
                        now() - interval '1 day', now() + interval '1 day', now() + interval '2 days',
                        CASE WHEN CAST(? AS text) = 'CLOSED' THEN now() END) RETURNING id""")
                .param(status).param(at.getX()).param(at.getY()).param(status).query(Long.class).single();
    }

    @SuppressWarnings("unused")
    private static Set<Long> set(List<Long> keys) {
        return new HashSet<>(keys);
    }
}
