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
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The leader dashboard (领导看板) as the district leader uses it: the hexagon heatmap and the weekly trend draw,
 * the indicator cards show the API's numbers with their formulas, and clicking a bar of the breakdown chart
 * filters the page — the URL gains category= and the heatmap is requested again with that category — and the
 * URL restores the filter. No CSP violation and no request leaves the app. A phone gets one stacked column.
 *
 * <p>The chart click is a real pointer click (Selenium Actions) on the canvas at the pixel of the chosen bar;
 * the pixel comes from the ECharts instance the page exposes for tests ({@code window.civicgridCharts.breakdown},
 * {@code convertToPixel}), the bar's category code from {@code window.civicgridCharts.breakdownRows()}.
 */
@BrowserTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaderDashboardBrowserTest {

    private static final Duration LOAD = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final By MAP = By.id("leader-map");
    private static final By HEXAGONS = By.cssSelector("#leader-map .leaflet-heatmap-pane path");


    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private BrowserSession browser;
    private String base;

    @BeforeAll
    void startBrowser() {
        base = "http://localhost:" + port;
        browser = BrowserSession.signedIn(1440, 1000, base, "leader");
    }

    @AfterAll
    void stopBrowser() {
        browser.close();
    }

    /** The Monday (Asia/Shanghai) of the week with the most reported problems: a week the heatmap has cells for. */
    private String busiestWeek() {
        return jdbc.sql("""
                select date_trunc('week', reported_at at time zone 'Asia/Shanghai')::date::text from problem
                group by 1 order by count(*) desc, 1 desc limit 1""").query(String.class).single();
    }

    private String mapAttr(String name) {
        return browser.driver().findElement(MAP).getDomAttribute(name);
    }

    private void waitHeatmapReady() {
        new WebDriverWait(browser.driver(), LOAD).until(d -> {
            String state = d.findElement(MAP).getDomAttribute("data-heatmap-state");
            if ("error".equals(state)) {
                throw new IllegalStateException("the heatmap failed: " + d.findElement(By.id("map-error")).getText());
            }
            return "ready".equals(state);
        });
    }

    private void waitState(String id, String value) {
        browser.waitForAttribute(By.id(id), "data-state", value, LOAD);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> fetchJson(String path) {
        Object answer = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
                  .then(r => r.json()).then(done, e => done({error: String(e)}));""", path);
        return (Map<String, Object>) answer;
    }

    private void openDashboard(String query) {
        browser.open(base + "/leader.html" + query);
        waitState("leader-page", "ready");
        waitHeatmapReady();
    }

    @Test
    @Order(1)
    void heatmapTrendAndIndicatorsDraw() {
        String week = busiestWeek();
        openDashboard("?week=" + week);
        new WebDriverWait(browser.driver(), WAIT).until(d -> !d.findElements(HEXAGONS).isEmpty());
        assertThat(Integer.parseInt(mapAttr("data-heatmap-cells"))).as("hexagon cells drawn").isGreaterThan(0);
        assertThat(browser.driver().findElements(HEXAGONS)).hasSize(Integer.parseInt(mapAttr("data-heatmap-cells")));
        assertThat(mapAttr("data-heatmap-query")).contains("from=" + week);
        waitState("hotspots", "ready");
        assertThat(browser.driver().findElements(By.cssSelector("#hotspot-items li"))).as("hotspot list").isNotEmpty();

        waitState("trend-chart", "ready");
        assertThat(browser.driver().findElements(By.cssSelector("#trend-chart canvas, #trend-chart svg"))).as("trend chart drawn").isNotEmpty();
        assertThat(browser.driver().findElement(By.id("trend-chart")).getDomAttribute("data-weeks")).isEqualTo("12");

        waitState("indicators", "ready");
        List<WebElement> cards = browser.driver().findElements(By.cssSelector("#indicators .ld-card"));
        assertThat(cards).as("indicator cards").hasSizeGreaterThanOrEqualTo(10);
        for (WebElement card : cards) {
            String key = card.getDomAttribute("data-key");
            assertThat(card.findElement(By.className("ld-card-formula")).getText()).as("formula of " + key).isNotBlank();
        }
        String area = browser.driver().findElement(By.id("area-crumbs")).getDomAttribute("data-area");
        Map<String, Object> answer = fetchJson("api/indicators?area=" + area + "&from=" + week + "&to="
                + java.time.LocalDate.parse(week).plusDays(6));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> indicators = (List<Map<String, Object>>) answer.get("indicators");
        assertThat(indicators).as("the indicators API answered: " + answer).isNotNull();
        Map<String, Object> reported = indicators.stream().filter(i -> "reported".equals(i.get("key"))).findFirst().orElseThrow();
        long reportedCount = ((Number) reported.get("value")).longValue();
        assertThat(reportedCount).as("problems reported in the busiest week").isGreaterThan(0);
        WebElement reportedCard = browser.driver().findElement(By.cssSelector("#indicators .ld-card[data-key='reported']"));
        assertThat(reportedCard.findElement(By.className("ld-card-value")).getText().replaceAll("[^0-9]", ""))
                .as("the reported card shows the API's number").isEqualTo(String.valueOf(reportedCount));
        assertThat(reportedCard.findElement(By.className("ld-card-formula")).getText()).isEqualTo(reported.get("formulaZh"));
        WebElement closure = browser.driver().findElement(By.cssSelector("#indicators .ld-card[data-key='closureRate']"));
        String closureText = closure.findElement(By.className("ld-card-value")).getText();
        assertThat(closureText).as("a rate as a percentage or — without a denominator").matches("\\d+(\\.\\d)?%|—");

        waitState("ranking-table", "ready");
        assertThat(browser.driver().findElements(By.cssSelector("#ranking-body tr[data-code]"))).as("ranking rows").isNotEmpty();
        waitState("clearance-table", "ready");
        assertThat(browser.driver().findElement(By.id("bulletin-pdf")).getDomAttribute("href"))
                .contains("api/bulletins/" + week).contains("area=" + area).contains("format=pdf");
        browser.screenshot("leader-1-overview");
    }

    @Test
    @Order(2)
    void clickingABreakdownBarFiltersTheMapAndTheUrl() {
        String week = busiestWeek();
        openDashboard("?week=" + week);
        waitState("breakdown-chart", "ready");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) browser.script("return window.civicgridCharts.breakdownRows()");
        assertThat(rows).as("breakdown rows (by category)").isNotEmpty();
        // The bars are drawn bottom-up sorted by count: the last row is the longest bar, the easiest to hit.
        int index = rows.size() - 1;
        Map<String, Object> row = rows.get(index);
        String code = (String) row.get("code");
        double total = ((Number) row.get("closed")).doubleValue() + ((Number) row.get("open")).doubleValue();
        assertThat(total).as("the chosen bar has a length").isGreaterThan(0);
        int requestsBefore = Integer.parseInt(mapAttr("data-heatmap-requests"));

        @SuppressWarnings("unchecked")
        List<Number> pixel = (List<Number>) browser.script(
                "return window.civicgridCharts.breakdown.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [arguments[0], arguments[1]])",
                total / 2, index);
        WebElement chart = browser.driver().findElement(By.id("breakdown-chart"));
        int dx = (int) Math.round(pixel.get(0).doubleValue() - chart.getRect().getWidth() / 2.0);
        int dy = (int) Math.round(pixel.get(1).doubleValue() - chart.getRect().getHeight() / 2.0);
        browser.script("arguments[0].scrollIntoView({block: 'center'})", chart);
        new Actions(browser.driver()).moveToElement(chart, dx, dy).click().perform();

        new WebDriverWait(browser.driver(), WAIT).until(d -> d.getCurrentUrl().contains("category=" + code));
        new WebDriverWait(browser.driver(), WAIT).until(d -> Integer.parseInt(d.findElement(MAP).getDomAttribute("data-heatmap-requests")) > requestsBefore);
        assertThat(mapAttr("data-heatmap-query")).as("the heatmap asked again, for the category").contains("category=" + code);
        waitHeatmapReady();
        assertThat(new Select(browser.driver().findElement(By.id("filter-category"))).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo(code);
        browser.screenshot("leader-2-category-filtered");

        // The URL restores the filter.
        String url = browser.driver().getCurrentUrl();
        browser.open(url);
        waitState("leader-page", "ready");
        waitHeatmapReady();
        assertThat(mapAttr("data-heatmap-query")).contains("category=" + code);
        assertThat(new Select(browser.driver().findElement(By.id("filter-category"))).getFirstSelectedOption().getDomAttribute("value"))
                .isEqualTo(code);

        @SuppressWarnings("unchecked")
        List<String> violations = browser.cspViolations();
        assertThat(violations).as("CSP violations").isEmpty();
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) browser.script("return performance.getEntriesByType('resource').map(e => e.name)");
        String origin = (String) browser.script("return location.origin");
        assertThat(urls).as("ECharts and Leaflet come from the app").anySatisfy(u -> assertThat(u).contains("/webjars/echarts/"))
                .allSatisfy(u -> assertThat(u).startsWith(origin + "/"));
    }

    @Test
    @Order(3)
    void aPhoneGetsOneStackedColumn() {
        try (BrowserSession phone = new BrowserSession(390, 844)) {
            ((ChromeDriver) phone.driver()).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
            phone.signIn(base, "leader", "Demo-2026");
            phone.open(base + "/leader.html?week=" + busiestWeek());
            phone.waitForAttribute(By.id("leader-page"), "data-state", "ready", LOAD);
            phone.waitForAttribute(By.id("indicators"), "data-state", "ready", LOAD);
            WebElement controls = phone.driver().findElement(By.id("controls"));
            WebElement map = phone.driver().findElement(MAP);
            assertThat(controls.getRect().getY() + controls.getRect().getHeight()).as("controls above the map")
                    .isLessThanOrEqualTo(map.getRect().getY());
            Object wide = phone.script("return [...document.querySelectorAll('#leader-page *')]"
                    + ".filter(e => e.getClientRects().length && !e.closest('.table-wrap, .leaflet-container')"
                    + " && e.getBoundingClientRect().right > 391)"
                    + ".map(e => e.tagName + '#' + e.id + '.' + e.className).join(' ')");
            assertThat(wide).as("page elements wider than the phone (tables scroll in their box, the map clips its panes)").isEqualTo("");
            phone.screenshot("leader-3-phone");
        }
    }
}
