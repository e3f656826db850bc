package org.civicgrid.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The wall map as the main dashboard (挂图作战), as a district leader uses it: area status by level, drill-down
 * to a community's grids, a grid's summary in the side panel, filters written to the URL and restored from it,
 * the problems layer, the language switch, the offline default (no request leaves the app), print view and
 * a phone-sized screen.
 */
@BrowserTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final Duration LOAD = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final By MAP = By.id("map");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private BrowserSession browser;
    private String base;

    @BeforeAll
    void startBrowser() {
        base = "http://localhost:" + port;
        browser = new BrowserSession(1366, 900);
        browser.signIn(base, "leader", "Demo-2026");
    }

    @AfterAll
    void stopBrowser() {
        browser.close();
    }

    /** A community with grids and open problems: the one drilled into below. */
    private String busyCommunity() {
        return jdbc.sql("""
                select g.community_code from grid g
                join problem p on p.grid_id = g.id
                where g.valid_to is null and problem_is_open(p.status)
                group by 1 order by count(*) desc, 1 limit 1""").query(String.class).single();
    }

    private String attr(String name) {
        return browser.driver().findElement(MAP).getDomAttribute(name);
    }

    private int intAttr(String name) {
        String value = attr(name);
        return value == null ? -1 : Integer.parseInt(value);
    }

    private void waitReady() {
        browser.waitForAttribute(MAP, "data-state", "ready", LOAD);
        waitIdle();
    }

    /** No request in flight: the loading badge is hidden. */
    private void waitIdle() {
        new WebDriverWait(browser.driver(), LOAD).until(d -> !d.findElement(By.id("loading")).isDisplayed());
    }

    private void waitViewContains(String fragment) {
        new WebDriverWait(browser.driver(), WAIT).until(d -> {
            String view = d.findElement(MAP).getDomAttribute("data-view");
            return view != null && view.contains(fragment);
        });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> fetchJson(String path) {
        Object answer = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
                  .then(r => r.json()).then(done, e => done({error: String(e)}));""", path);
        return (Map<String, Object>) answer;
    }

    /** Clicks an SVG area path as Leaflet sees a click (a bubbling DOM click at its centre). */
    private void clickArea(String code) {
        WebElement path = browser.waitFor(By.cssSelector(".leaflet-overlay-pane path[data-code='" + code + "']"), WAIT);
        browser.script("""
                const p = arguments[0]; const r = p.getBoundingClientRect();
                p.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window,
                  clientX: r.left + r.width / 2, clientY: r.top + r.height / 2}));""", path);
    }

    @Test
    @Order(1)
    void everyLayerDraws() {
        browser.open(base + "/");
        waitReady();
        assertThat(attr("data-areas-state")).as("area-stats answered").isEqualTo("ready");
        assertThat(intAttr("data-areas")).as("areas coloured at the zoom's level").isGreaterThan(0);
        assertThat(intAttr("data-grids")).as("grid outlines drawn").isGreaterThan(300);
        assertThat(intAttr("data-points")).as("points or point clusters drawn").isGreaterThan(0);
        assertThat(browser.driver().findElements(By.cssSelector("#legend-classes li"))).as("metric classes in the legend").isNotEmpty();
        assertThat(browser.driver().findElement(By.id("breadcrumb")).getText()).contains("姑苏区");
        browser.screenshot("dashboard-1-overview");

        // Problems layer on (as the layer control does it, through the URL here) → traffic-light clusters or dots.
        browser.open(base + "/?problems=1");
        waitReady();
        new WebDriverWait(browser.driver(), WAIT).until(d -> "ready".equals(d.findElement(MAP).getDomAttribute("data-problems-state")));
        assertThat(intAttr("data-problems")).as("problems or problem clusters drawn").isGreaterThan(0);
        browser.screenshot("dashboard-2-problems");
    }

    @Test
    @Order(2)
    void drillingIntoACommunityAndClickingAGridShowsItsSummary() {
        String community = busyCommunity();
        browser.open(base + "/");
        waitReady();
        // Drill down from the street the community belongs to (clicking it on the map), then into the community.
        String street = community.substring(0, 9);
        browser.open(base + "/?area=" + street);
        waitReady();
        assertThat(attr("data-level")).isEqualTo("community");
        clickArea(community);
        waitViewContains("area=" + community);
        waitIdle();
        new WebDriverWait(browser.driver(), WAIT).until(d -> "grid".equals(d.findElement(MAP).getDomAttribute("data-level")));
        assertThat(browser.driver().findElements(By.cssSelector("#breadcrumb li[data-code]"))).as("区 › 街道 › 社区").hasSize(3);
        assertThat(browser.driver().findElement(By.id("side-panel")).getDomAttribute("data-code")).isEqualTo(community);

        String grid = jdbc.sql("""
                select g.code from grid g join problem p on p.grid_id = g.id
                where g.valid_to is null and g.community_code = :c and problem_is_open(p.status)
                group by g.code order by count(*) desc, g.code limit 1""").param("c", community).query(String.class).single();
        clickArea(grid);
        browser.waitForAttribute(By.id("side-panel"), "data-code", grid, WAIT);
        browser.waitForAttribute(By.id("side-panel"), "data-state", "ready", WAIT);

        Map<String, Object> summary = fetchJson("api/areas/" + grid + "/summary");
        assertThat(summary).containsKey("open");
        for (String key : List.of("open", "overdue", "closed")) {
            String shown = browser.driver().findElement(By.cssSelector("#panel-kpis [data-kpi='" + key + "']")).getDomAttribute("data-value");
            assertThat(Long.parseLong(shown)).as(key + " in the panel = the API's summary").isEqualTo(((Number) summary.get(key)).longValue());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> byStatus = (Map<String, Object>) summary.get("byStatus");
        for (Map.Entry<String, Object> e : byStatus.entrySet()) {
            String shown = browser.driver().findElement(By.cssSelector("#panel-by-status [data-status='" + e.getKey() + "']"))
                    .getDomAttribute("data-count");
            assertThat(Long.parseLong(shown)).as("status " + e.getKey()).isEqualTo(((Number) e.getValue()).longValue());
        }
        long openInDb = jdbc.sql("select count(*) from problem p join grid g on g.id = p.grid_id"
                + " where g.code = :g and g.valid_to is null and problem_is_open(p.status)")
                .param("g", grid).query(Long.class).single();
        assertThat(((Number) summary.get("open")).longValue()).as("open problems of the grid (SQL)").isLessThanOrEqualTo(openInDb);
        assertThat(browser.driver().findElement(By.id("side-panel")).getText()).contains(summary.get("name").toString());
        browser.screenshot("dashboard-3-grid-panel");

        browser.driver().findElement(By.id("side-panel-close")).click();
        assertThat(browser.driver().findElement(By.id("side-panel")).isDisplayed()).isFalse();
    }

    @Test
    @Order(3)
    void aFilterChangesTheMapAndTheUrlAndReloadingRestoresTheView() {
        browser.open(base + "/");
        waitReady();
        String viewBefore = attr("data-view");
        int openBefore = intAttr("data-area-open");
        int pointsBefore = intAttr("data-points");

        new Select(browser.driver().findElement(By.id("metric-select"))).selectByValue("closure");
        waitViewContains("metric=closure");
        browser.driver().findElement(By.id("filters-toggle")).click();
        WebElement red = browser.waitFor(By.id("filter-light-RED"), WAIT);
        red.click();
        waitViewContains("light=RED");
        waitIdle();
        browser.waitForAttribute(MAP, "data-state", "ready", LOAD);
        assertThat(browser.driver().getCurrentUrl()).contains("light=RED").contains("metric=closure");
        assertThat(attr("data-view")).isNotEqualTo(viewBefore);
        assertThat(List.of(intAttr("data-area-open"), intAttr("data-points")))
                .as("what is drawn changes with the filter").isNotEqualTo(List.of(openBefore, pointsBefore));
        browser.screenshot("dashboard-4-filtered");

        String view = attr("data-view");
        String url = browser.driver().getCurrentUrl();
        browser.open(url);
        waitReady();
        assertThat(attr("data-view")).as("the same view after opening its URL").isEqualTo(view);
        assertThat(browser.driver().findElement(By.id("filter-light-RED")).isSelected()).isTrue();
        assertThat(browser.driver().findElement(By.id("filter-light-GREEN")).isSelected()).isFalse();
        assertThat(new Select(browser.driver().findElement(By.id("metric-select"))).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo("closure");
        browser.screenshot("dashboard-5-restored");

        // A drilled view restores to the same area.
        String street = busyCommunity().substring(0, 9);
        browser.open(base + "/?light=RED&area=" + street);
        waitReady();
        String drilledView = attr("data-view");
        assertThat(drilledView).contains("area=" + street).doesNotContain("center=");
        browser.open(browser.driver().getCurrentUrl());
        waitReady();
        assertThat(attr("data-view")).isEqualTo(drilledView);
    }

    @Test
    @Order(4)
    void theLanguageSwitchChangesTheTexts() {
        browser.open(base + "/");
        waitReady();
        assertThat(browser.driver().findElement(By.id("filters-toggle")).getText()).contains("筛选");
        browser.driver().findElement(By.id("lang-toggle")).click();
        new WebDriverWait(browser.driver(), WAIT).until(d -> d.findElement(By.id("filters-toggle")).getText().contains("Filters"));
        assertThat(browser.driver().findElement(By.id("legend")).getText()).contains("Legend");
        assertThat(new Select(browser.driver().findElement(By.id("metric-select"))).getFirstSelectedOption().getText())
                .isEqualTo("Open problems per grid");
        assertThat(browser.driver().findElement(By.id("search")).getDomAttribute("placeholder")).contains("Search");
        waitViewContains("lang=en");
        browser.screenshot("dashboard-6-english");
        browser.driver().findElement(By.id("lang-toggle")).click();
        new WebDriverWait(browser.driver(), WAIT).until(d -> d.findElement(By.id("filters-toggle")).getText().contains("筛选"));
    }

    @Test
    @Order(5)
    void theOfflineDefaultMakesNoRequestOutsideTheAppAndPrints() {
        browser.open(base + "/?problems=1");
        waitReady();
        assertThat(attr("data-basemap")).isEqualTo("offline");
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) browser.script("return performance.getEntriesByType('resource').map(e => e.name)");
        String origin = (String) browser.script("return location.origin");
        assertThat(urls).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith(origin + "/"));

        // Print view: the title, date and legend on paper, no controls.
        browser.script("window.print = () => { document.documentElement.dataset.printCalled = 'yes'; }");
        browser.driver().findElement(By.id("print-view")).click();
        new WebDriverWait(browser.driver(), WAIT)
                .until(d -> "yes".equals(d.findElement(By.tagName("html")).getDomAttribute("data-print-called")));
        assertThat((String) browser.script("return document.getElementById('print-header').textContent")).contains("姑苏区");
        ChromeDriver chrome = (ChromeDriver) browser.driver();
        chrome.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
        assertThat(browser.driver().findElement(By.id("print-header")).isDisplayed()).isTrue();
        assertThat(browser.driver().findElement(By.id("zoom-home")).isDisplayed()).isFalse();
        browser.screenshot("dashboard-7-print");
        chrome.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));
    }

    @Test
    @Order(6)
    void usableOnAPhone() {
        String community = busyCommunity();
        try (BrowserSession phone = new BrowserSession(375, 740)) {
            // Headless Chromium keeps windows at least 500 px wide: emulate the phone's viewport instead.
            ((ChromeDriver) phone.driver()).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", 375, "height", 740, "deviceScaleFactor", 1, "mobile", true));
            phone.signIn(base, "leader", "Demo-2026");
            phone.open(base + "/?area=" + community);
            phone.waitForAttribute(MAP, "data-state", "ready", LOAD);
            phone.waitForAttribute(By.id("side-panel"), "data-state", "ready", WAIT);
            new WebDriverWait(phone.driver(), LOAD).until(d -> !d.findElement(By.id("loading")).isDisplayed());
            WebElement panel = phone.driver().findElement(By.id("side-panel"));
            phone.screenshot("dashboard-8-phone");
            assertThat(panel.getRect().getWidth()).as("a bottom sheet as wide as the phone").isGreaterThanOrEqualTo(370);
            assertThat((Long) phone.script("return window.innerWidth")).isEqualTo(375L);
            // The dashboard's own parts fit the phone's width (the app bar above is drawn by appbar.js).
            Object wide = phone.script("return [...document.querySelectorAll('#dashbar *, #side-panel *, #filters *')]"
                    + ".filter(e => e.getClientRects().length && e.getBoundingClientRect().right > 376)"
                    + ".map(e => e.tagName + '#' + e.id + '.' + e.className).join(' ')");
            assertThat(wide).as("dashboard elements wider than the phone").isEqualTo("");
        }
    }
}
