package org.civicgrid.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.locationtech.jts.algorithm.construct.MaximumInscribedCircle;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.geojson.GeoJsonReader;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The planner workspace's editing tools as the demo planner uses them, each on a fresh draft: merging two adjacent
 * grids (click, Shift-click, Merge), importing a GeoJSON file through the page's file input, the English UI, and
 * the slip the GAP fix is for — a shared vertex dragged (real pointer input on Leaflet-Geoman's vertex marker) into
 * its grid, leaving a gap that the fault list's Fix button closes. Screenshots in target/screenshots/planner-edit-*.
 */
@BrowserTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlannerEditingBrowserTest {

    private static final Duration LOAD = Duration.ofSeconds(60);
    private static final By MAP = By.id("planner-map");
    private static final Pattern CJK = Pattern.compile("[\\u4e00-\\u9fff]");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    private BrowserSession browser;
    private String base;

    @BeforeAll
    void startBrowser() {
        base = "http://localhost:" + port;
        browser = BrowserSession.signedIn(1600, 1000, base, "planner");
    }

    @AfterAll
    void stopBrowser() {
        browser.close();
    }

    // ---- the tests ------------------------------------------------------------------------------------------------

    @Test
    void mergingTwoAdjacentGridsLeavesOneGridFewer() throws Exception {
        String community = community(0);
        newDraft(community, "zh-CN");
        int before = grids();
        JsonNode doc = doc();
        Grid[] pair = neighbours(features(doc));
        fitTo(pair[0].key(), pair[1].key());
        clickInside(pair[0], false);
        waitFor(d -> d.findElement(By.id("grid-box")).isDisplayed(), "the first grid selected");
        clickInside(pair[1], true);
        waitFor(d -> d.findElement(By.id("tool-merge")).isEnabled(), "two grids selected (Shift-click)");
        press(By.id("tool-merge"));
        waitFor(d -> grids() == before - 1, "the merge");
        waitValidation();
        List<Grid> after = features(doc());
        assertThat(after).extracting(Grid::key).contains(pair[0].key()).doesNotContain(pair[1].key());
        Grid merged = after.stream().filter(g -> g.key() == pair[0].key()).findFirst().orElseThrow();
        assertThat(merged.geometry().getArea()).isCloseTo(pair[0].geometry().getArea() + pair[1].geometry().getArea(),
                org.assertj.core.data.Percentage.withPercentage(0.001));
        assertThat(browser.driver().findElements(By.cssSelector("#planner-map .leaflet-plDraft-pane path"))).hasSize(before - 1);
        assertThat(attr(By.id("fault-list"), "data-faults")).as("a merge of neighbours is valid").isEqualTo("0");
        shot("planner-edit-1-merged");
        assertThat(browser.cspViolations()).as("CSP violations").isEmpty();
    }

    @Test
    void aGeoJsonFileImportedThroughTheFileInputIsDrawn() throws Exception {
        String community = community(1);
        newDraft(community, "zh-CN");
        JsonNode doc = doc();
        // a file of three of the grids, one renamed: the draft then holds exactly these
        ObjectNode file = json.createObjectNode().put("type", "FeatureCollection");
        ArrayNode features = file.putArray("features");
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode f = doc.path("features").get(i);
            ObjectNode feature = features.addObject().put("type", "Feature");
            feature.set("geometry", f.path("geometry"));
            feature.putObject("properties").put("code", f.path("properties").path("code").asString())
                    .put("name", i == 0 ? "导入的网格" : f.path("properties").path("name").asString());
            codes.add(f.path("properties").path("code").asString());
        }
        Path path = Files.createTempFile("planner-import", ".geojson");
        Files.writeString(path, json.writeValueAsString(file), StandardCharsets.UTF_8);
        try {
            browser.driver().findElement(By.id("import-file")).sendKeys(path.toAbsolutePath().toString());
            new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("import-mode"))).selectByValue("replace");
            press(By.id("import-submit"));
            waitFor(d -> grids() == 3, "the imported grids");
        } finally {
            Files.deleteIfExists(path);
        }
        waitValidation();
        List<Grid> drawn = features(doc());
        assertThat(drawn).extracting(Grid::code).containsExactlyInAnyOrderElementsOf(codes);
        assertThat(drawn).extracting(Grid::name).contains("导入的网格");
        assertThat(browser.driver().findElements(By.cssSelector("#planner-map .leaflet-plDraft-pane path"))).hasSize(3);
        // the rest of the community is now uncovered: validation says so
        assertThat(browser.driver().findElements(By.cssSelector("#fault-list li[data-type=GAP]"))).isNotEmpty();
        browser.script("window.civicgridPlanner.map.fitBounds(window.civicgridPlanner.layerOf(arguments[0]).getBounds().pad(2), {animate: false})",
                drawn.get(0).key());
        shot("planner-edit-2-imported");
        assertThat(browser.cspViolations()).as("CSP violations").isEmpty();
    }

    @Test
    void theEnglishSwitchShowsThePlannerInEnglish() throws Exception {
        String community = community(2);
        newDraft(community, "zh-CN");
        assertThat(browser.driver().findElement(By.id("tool-draw")).getText()).isEqualTo("绘制网格");
        press(By.id("lang-toggle"));
        waitFor(d -> "en".equals(d.findElement(By.tagName("html")).getDomAttribute("lang"))
                && "Draw grid".equals(d.findElement(By.id("tool-draw")).getText()), "the English page");
        waitValidation();
        assertThat(browser.driver().findElement(By.id("tool-split")).getText()).isEqualTo("Split with a line");
        assertThat(browser.driver().findElement(By.id("tool-merge")).getText()).isEqualTo("Merge two grids");
        assertThat(browser.driver().findElement(By.id("draft-status")).getText()).isEqualTo("Open");
        assertThat(browser.driver().findElement(By.id("validation-summary")).getText()).isEqualTo("Valid: no faults.");
        assertThat(browser.driver().getTitle()).contains("Grid planning");
        // the draft's title frames its (Chinese) name and area in English
        assertThat(browser.driver().findElement(By.id("draft-title")).getText()).contains("version");
        // every translated label of the page is in English (names of places and drafts are data, not labels)
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) browser.script("""
                return [...document.querySelectorAll('#planner-page [data-i18n], #app-bar [data-i18n]')]
                  .filter((n) => n.id !== 'lang-toggle' && n.id !== 'draft-title')
                  .map((n) => n.dataset.i18n + ' = ' + n.textContent);""");
        assertThat(labels).hasSizeGreaterThan(40);
        assertThat(labels).noneMatch(l -> CJK.matcher(l).find()).noneMatch(l -> l.endsWith("= " + l.substring(0, l.indexOf(' '))));
        // lists drawn from data are drawn again in English: drafts, history, and a preview asked for now
        waitFor(d -> d.findElements(By.cssSelector("#draft-list button[data-draft]")).stream().allMatch(b -> b.getText().equals("Open"))
                && !CJK.matcher(d.findElement(By.id("history-list")).getText()).find(), "the drafts and history in English");
        assertThat(browser.driver().findElement(By.id("draft-list")).getText()).contains(" grids · updated ");
        press(By.id("impact-run"));
        waitFor(d -> "ready".equals(d.findElement(By.id("impact")).getDomAttribute("data-state")), "the impact preview");
        assertThat(browser.driver().findElement(By.cssSelector("#impact p")).getText()).endsWith("change grid.");
        assertThat(browser.driver().findElements(By.cssSelector("#impact h3, #impact th"))).isNotEmpty()
                .allMatch(h -> !CJK.matcher(h.getText()).find());
        shot("planner-edit-3-english");
        // back to Chinese for the other tests (the choice is kept in the browser)
        press(By.id("lang-toggle"));
        waitFor(d -> "绘制网格".equals(d.findElement(By.id("tool-draw")).getText()), "the Chinese page again");
        assertThat(browser.cspViolations()).as("CSP violations").isEmpty();
    }

    @Test
    void aSharedVertexDraggedIntoItsGridLeavesAGapThatTheFixButtonCloses() throws Exception {
        String community = community(3);
        newDraft(community, "zh-CN");
        int before = grids();
        Grid[] pair = neighbours(features(doc()));
        Grid a = pair[0];
        Coordinate vertex = sharedVertex(a.geometry(), pair[1].geometry());
        MaximumInscribedCircle circle = new MaximumInscribedCircle(a.geometry(), 1e-7);
        Coordinate centre = circle.getCenter().getCoordinate();
        Coordinate moved = new Coordinate(vertex.x + 0.45 * (centre.x - vertex.x), vertex.y + 0.45 * (centre.y - vertex.y));

        // select grid A and turn on vertex editing (Leaflet-Geoman puts a marker on each vertex)
        fitTo(a.key());
        clickInside(a, false);
        waitFor(d -> d.findElement(By.id("grid-box")).isDisplayed(), "the grid selected");
        press(By.id("tool-edit"));
        waitFor(d -> "true".equals(d.findElement(By.id("tool-edit")).getDomAttribute("aria-pressed"))
                && !d.findElements(By.cssSelector("#planner-map .marker-icon:not(.marker-icon-middle)")).isEmpty(), "the vertex markers");
        // drag the shared vertex into the grid, in small steps as a hand would (the map centred in the window first:
        // pressing a tool button may have scrolled it under the sticky app bar)
        centreMap();
        List<Number> from = pixel(vertex.y, vertex.x);
        List<Number> to = pixel(moved.y, moved.x);
        WebElement map = browser.driver().findElement(MAP);
        int x0 = (int) Math.round(from.get(0).doubleValue() - map.getSize().getWidth() / 2.0);
        int y0 = (int) Math.round(from.get(1).doubleValue() - map.getSize().getHeight() / 2.0);
        double dx = to.get(0).doubleValue() - from.get(0).doubleValue();
        double dy = to.get(1).doubleValue() - from.get(1).doubleValue();
        assertThat(Math.hypot(dx, dy)).as("the drag is far beyond the 20 px snapping distance").isGreaterThan(60);
        Actions drag = new Actions(browser.driver()).moveToElement(map, x0, y0).pause(Duration.ofMillis(200)).clickAndHold()
                .pause(Duration.ofMillis(200));
        int steps = 12;
        int doneX = 0;
        int doneY = 0;
        for (int i = 1; i <= steps; i++) {
            int stepX = (int) Math.round(dx * i / steps) - doneX;
            int stepY = (int) Math.round(dy * i / steps) - doneY;
            drag.moveByOffset(stepX, stepY).pause(Duration.ofMillis(40));
            doneX += stepX;
            doneY += stepY;
        }
        String version = attr(MAP, "data-draft-version");
        drag.release().perform();
        waitFor(d -> !version.equals(d.findElement(MAP).getDomAttribute("data-draft-version")), "the dragged grid saved");
        waitValidation();
        List<WebElement> gaps = browser.driver().findElements(By.cssSelector("#fault-list li[data-type=GAP]"));
        assertThat(gaps).as("the slip leaves a gap: %s", browser.driver().findElement(By.id("fault-list")).getText()).hasSize(1);
        assertThat(gaps.get(0).getText()).contains("网格间空隙").contains("m²");
        press(gaps.get(0).findElement(By.className("pl-fault-show")));
        waitFor(d -> !d.findElements(By.cssSelector("#planner-map .leaflet-plFault-pane path")).isEmpty(), "the gap on the map");
        shot("planner-edit-4-gap");

        // one click on its Fix button: the gap leaves the list and the draft is valid again
        press(gaps.get(0).findElement(By.cssSelector("button[data-fix]")));
        waitFor(d -> "ready".equals(d.findElement(By.id("fault-list")).getDomAttribute("data-state"))
                && d.findElements(By.cssSelector("#fault-list li[data-type=GAP]")).isEmpty(), "the gap fixed");
        assertThat(attr(By.id("fault-list"), "data-faults")).as(browser.driver().findElement(By.id("fault-list")).getText()).isEqualTo("0");
        assertThat(grids()).isEqualTo(before);
        shot("planner-edit-5-gap-fixed");
        assertThat(browser.cspViolations()).as("CSP violations").isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    record Grid(long key, String code, String name, Polygon geometry) {
    }

    /** The n-th community (by code) of street 320508003 with 4 to 12 live grids: each test edits its own. */
    private String community(int n) {
        return jdbc.sql("""
                SELECT community_code FROM grid WHERE valid_to IS NULL AND community_code LIKE '320508003%'
                GROUP BY community_code HAVING count(*) BETWEEN 4 AND 12 ORDER BY community_code OFFSET ? LIMIT 1""")
                .param(n).query(String.class).single();
    }

    /** Opens the planner on a community in the given language and creates a draft: a copy of its live grids. */
    private void newDraft(String community, String lang) {
        browser.open(base + "/planner.html?lang=" + lang + "&area=" + community);
        browser.waitForAttribute(By.id("planner-page"), "data-state", "ready", LOAD);
        waitFor(d -> "ready".equals(d.findElement(By.id("draft-list")).getDomAttribute("data-state")), "drafts");
        press(By.id("draft-create"));
        waitFor(d -> d.findElement(MAP).getDomAttribute("data-draft-grids") != null
                && !d.findElement(MAP).getDomAttribute("data-draft-grids").isEmpty(), "the new draft");
        waitValidation();
        assertThat(attr(By.id("fault-list"), "data-faults")).as("the live grids copied are valid").isEqualTo("0");
    }

    private JsonNode doc() {
        return json.readTree((String) browser.script("return JSON.stringify(window.civicgridPlanner.doc())"));
    }

    private List<Grid> features(JsonNode doc) throws Exception {
        List<Grid> grids = new ArrayList<>();
        for (JsonNode f : doc.path("features")) {
            JsonNode p = f.path("properties");
            grids.add(new Grid(p.path("key").asLong(), p.path("code").asString(), p.path("name").asString(),
                    (Polygon) new GeoJsonReader().read(f.path("geometry").toString())));
        }
        return grids;
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

    /** A vertex of a that is also a vertex of b, preferring one with both of its edges on b's border. */
    private static Coordinate sharedVertex(Polygon a, Polygon b) {
        Coordinate[] ring = a.getExteriorRing().getCoordinates();
        List<Coordinate> bs = List.of(b.getCoordinates());
        Geometry border = b.getBoundary().buffer(1e-9);
        Coordinate fallback = null;
        for (int i = 0; i < ring.length - 1; i++) {
            if (!bs.contains(ring[i])) {
                continue;
            }
            Coordinate prev = ring[(i - 1 + ring.length - 1) % (ring.length - 1)];
            Coordinate next = ring[i + 1];
            boolean both = border.contains(a.getFactory().createPoint(prev)) && border.contains(a.getFactory().createPoint(next));
            if (both) {
                return ring[i];
            }
            if (fallback == null) {
                fallback = ring[i];
            }
        }
        assertThat(fallback).as("a vertex shared by both grids").isNotNull();
        return fallback;
    }

    private void fitTo(long... keys) {
        browser.script("""
                const P = window.civicgridPlanner;
                const b = window.L.latLngBounds([]);
                for (const k of arguments[0]) b.extend(P.layerOf(k).getBounds());
                P.map.fitBounds(b, {padding: [140, 140], animate: false});""", java.util.Arrays.stream(keys).boxed().toList());
    }

    /** A real click (Shift-click when additive) inside a grid, at the centre of its largest inscribed circle. */
    private void clickInside(Grid grid, boolean additive) {
        centreMap();
        Coordinate c = new MaximumInscribedCircle(grid.geometry(), 1e-7).getCenter().getCoordinate();
        List<Number> p = pixel(c.y, c.x);
        WebElement map = browser.driver().findElement(MAP);
        int dx = (int) Math.round(p.get(0).doubleValue() - map.getSize().getWidth() / 2.0);
        int dy = (int) Math.round(p.get(1).doubleValue() - map.getSize().getHeight() / 2.0);
        Actions click = new Actions(browser.driver()).moveToElement(map, dx, dy).pause(Duration.ofMillis(150));
        if (additive) {
            click.keyDown(Keys.SHIFT).click().keyUp(Keys.SHIFT);
        } else {
            click.click();
        }
        click.pause(Duration.ofMillis(250)).perform();
    }

    /** A screenshot with the map in the middle of the window, once Leaflet has redrawn. */
    private void shot(String name) throws InterruptedException {
        centreMap();
        Thread.sleep(500);
        browser.screenshot(name);
    }

    private void centreMap() {
        browser.script("arguments[0].scrollIntoView({block: 'center'})", browser.driver().findElement(MAP));
    }

    @SuppressWarnings("unchecked")
    private List<Number> pixel(double lat, double lon) {
        return (List<Number>) browser.script(
                "const p = window.civicgridPlanner.map.latLngToContainerPoint([arguments[0], arguments[1]]); return [p.x, p.y];", lat, lon);
    }

    /** Clicks a page control after centring it: scrolled to an edge, it could sit under the sticky app bar. */
    private void press(By by) {
        press(browser.driver().findElement(by));
    }

    private void press(WebElement control) {
        browser.script("arguments[0].scrollIntoView({block: 'center'})", control);
        control.click();
    }

    private String attr(By by, String name) {
        return browser.driver().findElement(by).getDomAttribute(name);
    }

    private int grids() {
        return Integer.parseInt(attr(MAP, "data-draft-grids"));
    }

    private void waitValidation() {
        waitFor(d -> "ready".equals(d.findElement(By.id("fault-list")).getDomAttribute("data-state")), "validation");
    }

    private void waitFor(java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> condition, String what) {
        try {
            new WebDriverWait(browser.driver(), LOAD).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.screenshot("planner-edit-failed");
            String message = browser.driver().findElement(By.id("page-message")).getText();
            throw new AssertionError("waiting for " + what + " — page message: " + message, e);
        }
    }
}
