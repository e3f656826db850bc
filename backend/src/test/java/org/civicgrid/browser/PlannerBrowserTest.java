package org.civicgrid.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The planner workspace (划片规划) as the demo planner uses it: pick a community, create a draft, split its largest
 * grid with a line drawn through Leaflet-Geoman, draw a small grid on top of another (an OVERLAP fault, listed and
 * shown in red on the map), undo it, preview the impact (the points that change grid), publish, and find the new
 * grids live. Every drawing step is real pointer input (Selenium Actions) at pixels the page's Leaflet map computes
 * ({@code window.civicgridPlanner.map.latLngToContainerPoint}). No CSP violation on the way.
 */
@BrowserTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlannerBrowserTest {

    private static final Duration LOAD = Duration.ofSeconds(60);
    private static final By MAP = By.id("planner-map");


    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

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

    /** A community of street 002 with a few live grids, none of which the planning API test publishes. */
    private String community() {
        return jdbc.sql("""
                SELECT community_code FROM grid WHERE valid_to IS NULL AND community_code LIKE '320508002%'
                GROUP BY community_code HAVING count(*) BETWEEN 3 AND 12 ORDER BY community_code LIMIT 1""").query(String.class).single();
    }

    private long liveGrids(String community) {
        return jdbc.sql("SELECT count(*) FROM grid WHERE valid_to IS NULL AND community_code = ?").param(community).query(Long.class).single();
    }

    /** Clicks a page control after centring it: scrolled to an edge, it could sit under the sticky app bar. */
    private void press(WebElement control) {
        js("arguments[0].scrollIntoView({block: 'center'})", control);
        control.click();
    }

    private Object js(String script, Object... args) {
        return browser.script(script, args);
    }

    private String attr(By by, String name) {
        return browser.driver().findElement(by).getDomAttribute(name);
    }

    private int grids() {
        return Integer.parseInt(attr(MAP, "data-draft-grids"));
    }

    private void waitFor(java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> condition, String what) {
        try {
            new WebDriverWait(browser.driver(), LOAD).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.screenshot("planner-failed");
            String message = browser.driver().findElement(By.id("page-message")).getText();
            throw new AssertionError("waiting for " + what + " — page message: " + message, e);
        }
    }

    private void waitValidation() {
        waitFor(d -> "ready".equals(d.findElement(By.id("fault-list")).getDomAttribute("data-state")), "validation");
    }

    /** Container pixel [x, y] of lat/lon on the planner map. */
    @SuppressWarnings("unchecked")
    private List<Number> pixel(double lat, double lon) {
        return (List<Number>) js("const p = window.civicgridPlanner.map.latLngToContainerPoint([arguments[0], arguments[1]]); return [p.x, p.y];",
                lat, lon);
    }

    /** A real click at container pixel (x, y): Selenium offsets are from the element's centre. */
    private void clickAt(double x, double y) {
        WebElement map = browser.driver().findElement(MAP);
        int dx = (int) Math.round(x - map.getSize().getWidth() / 2.0);
        int dy = (int) Math.round(y - map.getSize().getHeight() / 2.0);
        new Actions(browser.driver()).moveToElement(map, dx, dy).pause(Duration.ofMillis(150)).click().pause(Duration.ofMillis(250)).perform();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> fetchJson(String path) {
        return (Map<String, Object>) ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
                  .then(r => r.json()).then(done, e => done({error: String(e)}));""", path);
    }

    @Test
    @SuppressWarnings("unchecked")
    void draftSplitFaultPreviewPublish() {
        String community = community();
        long liveBefore = liveGrids(community);
        browser.open(base + "/planner.html");
        browser.waitForAttribute(By.id("planner-page"), "data-state", "ready", LOAD);
        assertThat(browser.driver().findElement(By.id("nav-planner")).isDisplayed()).as("app bar links the planner page").isTrue();

        // 1. a community and a new draft: a copy of its live grids
        new Select(browser.driver().findElement(By.id("area-select"))).selectByValue(community);
        waitFor(d -> "ready".equals(d.findElement(By.id("draft-list")).getDomAttribute("data-state")), "drafts");
        browser.driver().findElement(By.id("draft-name")).sendKeys("浏览器测试草稿");
        press(browser.driver().findElement(By.id("draft-create")));
        waitFor(d -> d.findElement(MAP).getDomAttribute("data-draft-grids") != null
                && !d.findElement(MAP).getDomAttribute("data-draft-grids").isEmpty(), "the new draft");
        waitValidation();
        assertThat(grids()).isEqualTo((int) liveBefore);
        assertThat(browser.driver().getCurrentUrl()).contains("area=" + community).contains("draft=");
        assertThat(browser.driver().findElements(By.cssSelector("#planner-map .leaflet-plDraft-pane path"))).hasSize((int) liveBefore);
        assertThat(attr(By.id("fault-list"), "data-faults")).as("the live grids copied are valid").isEqualTo("0");
        browser.screenshot("planner-1-draft");

        // 2. split the largest grid with a line drawn across it (real clicks; Geoman's line tool)
        List<Object> target = (List<Object>) js("""
                const P = window.civicgridPlanner;
                const f = P.doc().features.slice().sort((a, b) => b.properties.areaSqm - a.properties.areaSqm)[0];
                const layer = P.layerOf(f.properties.key);
                P.map.fitBounds(layer.getBounds(), {padding: [120, 120], animate: false});
                const c = layer.getCenter();
                return [f.properties.key, c.lat, c.lng, layer.getBounds().getWest(), layer.getBounds().getEast()];""");
        long key = ((Number) target.get(0)).longValue();
        double lat = ((Number) target.get(1)).doubleValue();
        double lon = ((Number) target.get(2)).doubleValue();
        double west = ((Number) target.get(3)).doubleValue();
        double east = ((Number) target.get(4)).doubleValue();
        List<Number> centre = pixel(lat, lon);
        clickAt(centre.get(0).doubleValue(), centre.get(1).doubleValue());
        waitFor(d -> d.findElement(By.id("grid-box")).isDisplayed(), "the grid selected");
        int before = grids();
        press(browser.driver().findElement(By.id("tool-split")));
        assertThat(attr(MAP, "data-drawing")).isEqualTo("Line");
        double margin = (east - west) * 0.12;
        List<Number> from = pixel(lat, west - margin);
        List<Number> to = pixel(lat, east + margin);
        clickAt(from.get(0).doubleValue(), from.get(1).doubleValue());
        clickAt(to.get(0).doubleValue(), to.get(1).doubleValue());
        press(browser.driver().findElement(By.id("draw-finish")));
        waitFor(d -> grids() == before + 1, "the split");
        waitValidation();
        assertThat(attr(By.id("fault-list"), "data-faults")).as("a clean split is valid").isEqualTo("0");

        // 3. a deliberate bad edit: a small grid drawn on top of the kept half → OVERLAP, shown in red
        List<Object> kept = (List<Object>) js("""
                const c = window.civicgridPlanner.layerOf(arguments[0]).getCenter(); return [c.lat, c.lng];""", key);
        List<Number> k = pixel(((Number) kept.get(0)).doubleValue(), ((Number) kept.get(1)).doubleValue());
        double kx = k.get(0).doubleValue();
        double ky = k.get(1).doubleValue();
        press(browser.driver().findElement(By.id("tool-draw")));
        clickAt(kx - 35, ky - 25);
        clickAt(kx + 35, ky - 25);
        clickAt(kx, ky + 35);
        press(browser.driver().findElement(By.id("draw-finish")));
        waitFor(d -> grids() == before + 2, "the drawn grid");
        waitValidation();
        List<WebElement> overlaps = browser.driver().findElements(By.cssSelector("#fault-list li[data-type=OVERLAP]"));
        assertThat(overlaps).as("the overlap is listed").isNotEmpty();
        assertThat(overlaps.get(0).getText()).contains("网格重叠");
        WebElement show = overlaps.get(0).findElement(By.className("pl-fault-show"));
        press(show);
        waitFor(d -> !d.findElements(By.cssSelector("#planner-map .leaflet-plFault-pane path")).isEmpty(), "the fault on the map");
        browser.screenshot("planner-2-fault");

        // 4. undo removes the bad grid; the draft is valid again
        press(browser.driver().findElement(By.id("tool-undo")));
        waitFor(d -> grids() == before + 1, "the undo");
        waitValidation();
        assertThat(attr(By.id("fault-list"), "data-faults")).isEqualTo("0");

        // 5. impact preview lists the points that move to the new grid
        press(browser.driver().findElement(By.id("impact-run")));
        waitFor(d -> "ready".equals(d.findElement(By.id("impact")).getDomAttribute("data-state")), "the impact preview");
        int moved = Integer.parseInt(attr(By.id("impact"), "data-points"));
        Map<String, Object> impact = fetchJson("api/planning/drafts/" + js("return window.civicgridPlanner.doc().draft.id") + "/impact");
        assertThat(moved).isEqualTo(((List<Object>) impact.get("points")).size());
        assertThat(browser.driver().findElements(By.cssSelector("#impact table"))).as("changes and workload tables").isNotEmpty();
        List<WebElement> workloadRows = browser.driver().findElements(By.cssSelector("#impact table:last-of-type tbody tr"));
        assertThat(browser.driver().findElement(By.id("impact")).getText()).contains("各网格工作量");
        assertThat(workloadRows.size()).isGreaterThanOrEqualTo(1);
        js("document.getElementById('impact-box').scrollIntoView()");
        browser.screenshot("planner-3-preview");

        // 6. publish: the live grids of the community gain the new one; history lists the publication
        WebElement publish = browser.driver().findElement(By.id("publish-start"));
        assertThat(publish.isEnabled()).as("publish allowed without faults").isTrue();
        press(publish);
        press(browser.driver().findElement(By.id("publish-confirm")));
        waitFor(d -> d.findElement(By.id("publish-result")).isDisplayed(), "the publish result");
        assertThat(liveGrids(community)).isEqualTo(liveBefore + 1);
        Map<String, Object> history = fetchJson("api/planning/history?areaCode=" + community);
        List<Map<String, Object>> publications = (List<Map<String, Object>>) history.get("publications");
        assertThat(publications).isNotEmpty();
        assertThat(attr(By.id("publish-result"), "data-publication-id")).isEqualTo(String.valueOf(publications.get(0).get("publicationId")));
        waitFor(d -> "ready".equals(d.findElement(By.id("history-list")).getDomAttribute("data-state")), "history");
        assertThat(browser.driver().findElements(By.cssSelector("#history-list li[data-publication]"))).isNotEmpty();
        assertThat(browser.driver().findElement(By.id("draft-status")).getText()).isEqualTo("已发布");
        browser.screenshot("planner-4-published");

        // compare: before (yesterday) and today in two colours
        press(browser.driver().findElement(By.id("compare-run")));
        waitFor(d -> d.findElement(MAP).getDomAttribute("data-compare") != null, "the compare overlay");
        // Date A's count from the database: earlier runs on a kept test database may have published that day already.
        String dateA = (String) js("return document.getElementById('compare-a').value");
        long yesterday = jdbc.sql("""
                SELECT count(*) FROM grid WHERE community_code = ?
                  AND valid_from <= CAST(? AS date) AND (valid_to IS NULL OR valid_to > CAST(? AS date))""")
                .param(community).param(dateA).param(dateA).query(Long.class).single();
        assertThat(attr(MAP, "data-compare")).isEqualTo(yesterday + "," + (liveBefore + 1));
        browser.screenshot("planner-5-compare");

        assertThat(browser.cspViolations()).as("CSP violations").isEmpty();
    }
}
