package org.civicgrid.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Point;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One problem through the whole rectification loop (整改闭环), in the browser as people do it: an inspector
 * fails a checklist item with a photo, which opens the problem, and dispatches it to the grid manager; the
 * grid manager (on a phone-sized screen) starts and submits it with an after-photo; the inspector closes it.
 */
@BrowserTest
class LoopBrowserTest {

    private static final String PASSWORD = "Demo-2026";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    /** A point with a checklist in a grid, and the grid's first owner (the one an undirected dispatch goes to). */
    record Stage(String gridCode, long pointId, String pointName, String gridManager) {
    }

    @Test
    void aFailedChecklistItemBecomesAProblemThatIsDispatchedRectifiedAndClosed() throws IOException {
        Stage stage = stage();
        Path before = jpeg("loop-before.jpg", new Color(0x8a, 0x5a, 0x2b));
        Path after = jpeg("loop-after.jpg", new Color(0x3c, 0x9d, 0x5a));
        String base = "http://localhost:" + port;
        long problemId;

        // 1. The inspector inspects the point: one item fails (with a photo), the others pass.
        try (BrowserSession inspector = new BrowserSession(1280, 900)) {
            inspector.signIn(base, "inspector", PASSWORD);
            // From the wall map: the point's popup offers 开始督查.
            inspector.open(base + "/");
            inspector.waitForAttribute(By.id("map"), "data-state", "ready", Duration.ofSeconds(60));
            WebElement marker = inspector.waitFor(By.cssSelector(".leaflet-marker-icon[title='" + stage.pointName() + "']"), WAIT);
            inspector.script("arguments[0].click()", marker);
            WebElement startLink = inspector.waitFor(By.cssSelector(".leaflet-popup-content a[data-point-id='" + stage.pointId() + "']"), WAIT);
            waitVisible(inspector, startLink);
            inspector.screenshot("loop-0-map-popup");
            startLink.click();
            inspector.waitForAttribute(By.id("inspect-page"), "data-state", "ready", WAIT);
            assertThat(inspector.driver().getCurrentUrl()).endsWith("inspect.html?pointId=" + stage.pointId());
            WebElement start = inspector.waitFor(By.id("inspection-start"), WAIT);
            waitVisible(inspector, start);
            start.click();
            inspector.waitForAttribute(By.id("inspection-section"), "data-status", "OPEN", WAIT);

            List<WebElement> items = inspector.driver().findElements(By.cssSelector("#inspection-items .check-item"));
            assertThat(items).as("checklist items of the point's type").isNotEmpty();
            WebElement failed = items.get(0);
            String failedCode = failed.getDomAttribute("data-code");
            click(inspector, failed.findElement(By.cssSelector(".outcome[data-outcome='FAIL']")));
            failed.findElement(By.cssSelector("textarea.item-note")).sendKeys("垃圾桶满溢，周边有散落垃圾");
            inspector.driver().findElement(By.id("item-photo-" + failedCode)).sendKeys(before.toAbsolutePath().toString());
            waitAttribute(inspector, failed.findElement(By.cssSelector(".photo-picker")), "data-uploaded", "1");
            for (WebElement item : items.subList(1, items.size())) {
                click(inspector, item.findElement(By.cssSelector(".outcome[data-outcome='PASS']")));
            }
            waitImagesLoaded(inspector, "#inspection-items .photo-thumb-img");
            scrollTo(inspector, failed);
            inspector.screenshot("loop-1-inspection");

            click(inspector, inspector.driver().findElement(By.id("inspection-submit")));
            inspector.waitForAttribute(By.id("inspection-section"), "data-status", "SUBMITTED", WAIT);
            WebElement link = inspector.waitFor(By.cssSelector("#result-problems a.problem-link"), WAIT);
            assertThat(inspector.driver().findElement(By.id("score-rate")).getText()).endsWith("%");
            problemId = Long.parseLong(link.getDomAttribute("data-problem-id"));
            inspector.screenshot("loop-2-result");

            // 2. Follow the link to the new problem (立案 at once) and dispatch it to the grid's owner.
            click(inspector, link);
            inspector.waitForAttribute(By.id("problem-page"), "data-status", "ACCEPTED", WAIT);
            act(inspector, "dispatch", "请网格员当日整改");
            inspector.waitForAttribute(By.id("problem-page"), "data-status", "DISPATCHED", WAIT);
            assertThat(inspector.driver().findElement(By.id("problem-facts")).getText()).contains(displayName(stage.gridManager()));
            inspector.script("window.scrollTo(0, 0)");
            inspector.screenshot("loop-3-dispatched");
            signOut(inspector);
        }

        // 3. The grid manager finds it in 我的网格 on a phone, starts, and submits it with an after-photo.
        try (BrowserSession manager = new BrowserSession(412, 915)) {
            manager.signIn(base, stage.gridManager(), PASSWORD);
            manager.open(base + "/worklist.html#my-grids");
            manager.waitForAttribute(By.id("worklist-panel"), "data-state", "ready", WAIT);
            WebElement row = manager.waitFor(By.cssSelector("tr.work-row[data-id='" + problemId + "']"), WAIT);
            scrollTo(manager, row);
            manager.screenshot("loop-4-worklist");
            click(manager, row.findElement(By.cssSelector("a.work-link")));
            manager.waitForAttribute(By.id("problem-page"), "data-status", "DISPATCHED", WAIT);

            act(manager, "start", null);
            manager.waitForAttribute(By.id("problem-page"), "data-status", "IN_PROGRESS", WAIT);

            WebElement submit = manager.waitFor(By.id("action-submit"), WAIT);
            click(manager, submit);
            manager.waitFor(By.id("action-photo"), WAIT).sendKeys(after.toAbsolutePath().toString());
            waitAttribute(manager, manager.driver().findElement(By.cssSelector("#action-form .photo-picker")), "data-uploaded", "1");
            manager.driver().findElement(By.id("action-note")).sendKeys("已清运，垃圾桶已更换");
            waitImagesLoaded(manager, "#action-form .photo-thumb-img");
            scrollTo(manager, manager.driver().findElement(By.id("action-form")));
            manager.screenshot("loop-5-submit-form");
            click(manager, manager.driver().findElement(By.id("action-confirm")));
            manager.waitForAttribute(By.id("problem-page"), "data-status", "SUBMITTED", WAIT);
            manager.script("window.scrollTo(0, 0)");
            manager.screenshot("loop-6-submitted-phone");
            signOut(manager);
        }

        // 4. The inspector finds it in 待核查 and closes it; the page shows before and after side by side.
        try (BrowserSession inspector = new BrowserSession(1280, 1000)) {
            inspector.signIn(base, "inspector", PASSWORD);
            inspector.open(base + "/worklist.html#waiting-check");
            inspector.waitForAttribute(By.id("worklist-panel"), "data-state", "ready", WAIT);
            WebElement row = inspector.waitFor(By.cssSelector("tr.work-row[data-id='" + problemId + "']"), WAIT);
            inspector.screenshot("loop-7-waiting-check");
            click(inspector, row.findElement(By.cssSelector("a.work-link")));
            inspector.waitForAttribute(By.id("problem-page"), "data-status", "SUBMITTED", WAIT);

            act(inspector, "close", "复查合格，予以结案");
            inspector.waitForAttribute(By.id("problem-page"), "data-status", "CLOSED", WAIT);
            assertThat(inspector.driver().findElement(By.id("problem-status")).getText()).contains("已结案");

            WebElement beforePhoto = inspector.waitFor(By.cssSelector("#before-photos .photo-thumb-img"), WAIT);
            WebElement afterPhoto = inspector.waitFor(By.cssSelector("#after-photos .photo-thumb-img"), WAIT);
            waitImagesLoaded(inspector, "#photo-compare .photo-thumb-img");
            Point b = beforePhoto.getLocation();
            Point a = afterPhoto.getLocation();
            assertThat(a.getX()).as("after-photo right of the before-photo").isGreaterThan(b.getX() + beforePhoto.getSize().getWidth() / 2);
            assertThat(Math.abs(a.getY() - b.getY())).as("before and after on one row").isLessThan(20);
            assertThat(inspector.driver().findElements(By.cssSelector("#timeline .event")).size())
                    .as("report, accept, dispatch, start, submit, close").isGreaterThanOrEqualTo(6);
            inspector.screenshot("loop-8-closed");
            signOut(inspector);
        }

        assertThat(jdbc.sql("SELECT status FROM problem WHERE id = ?").param(problemId).query(String.class).single()).isEqualTo("CLOSED");
    }

    @Test
    void aProblemReportedOnTheMapWaitsForAcceptance() throws IOException {
        Path photo = jpeg("report-before.jpg", new Color(0xb0, 0x40, 0x30));
        String base = "http://localhost:" + port;
        try (BrowserSession inspector = new BrowserSession(1280, 900)) {
            inspector.signIn(base, "inspector", PASSWORD);
            inspector.open(base + "/");
            inspector.waitForAttribute(By.id("map"), "data-state", "ready", Duration.ofSeconds(60));
            WebElement map = inspector.driver().findElement(By.id("map"));

            // Press 上报问题, then click a place: try a few spots until one is open map (not a marker).
            int[][] offsets = {{40, 60}, {-120, 80}, {150, -90}, {-60, -140}, {220, 160}, {0, 0}};
            WebElement form = null;
            for (int[] offset : offsets) {
                click(inspector, inspector.driver().findElement(By.id("report-button")));
                new Actions(inspector.driver()).moveToElement(map, offset[0], offset[1]).click().perform();
                List<WebElement> forms = waitShort(inspector, By.id("report-form"));
                if (!forms.isEmpty()) {
                    form = forms.get(0);
                    break;
                }
                inspector.script("document.querySelectorAll('.leaflet-popup-close-button').forEach(b => b.click())");
                if ("true".equals(map.getDomAttribute("data-picking"))) {
                    click(inspector, inspector.driver().findElement(By.id("report-button")));
                }
            }
            assertThat(form).as("the report form opened at a clicked place").isNotNull();
            new Select(inspector.driver().findElement(By.id("report-category"))).selectByIndex(1);
            inspector.driver().findElement(By.id("report-description")).sendKeys("人行道上堆放建筑垃圾");
            inspector.driver().findElement(By.id("report-photo")).sendKeys(photo.toAbsolutePath().toString());
            waitAttribute(inspector, form.findElement(By.cssSelector(".photo-picker")), "data-uploaded", "1");
            waitImagesLoaded(inspector, "#report-form .photo-thumb-img");
            inspector.screenshot("report-1-form");
            click(inspector, inspector.driver().findElement(By.id("report-submit")));

            WebElement link = inspector.waitFor(By.id("report-link"), WAIT);
            inspector.screenshot("report-2-done");
            link.click();
            inspector.waitForAttribute(By.id("problem-page"), "data-status", "REPORTED", WAIT);
            act(inspector, "accept", null);
            inspector.waitForAttribute(By.id("problem-page"), "data-status", "ACCEPTED", WAIT);
            waitImagesLoaded(inspector, "#before-photos .photo-thumb-img");
            inspector.script("window.scrollTo(0, 0)");
            inspector.screenshot("report-3-accepted");
        }
    }

    private static List<WebElement> waitShort(BrowserSession browser, By locator) {
        try {
            new WebDriverWait(browser.driver(), Duration.ofSeconds(3)).until(d -> !d.findElements(locator).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            return List.of();
        }
        return browser.driver().findElements(locator);
    }

    private Stage stage() {
        // Far from the grids the other loop tests use; a point (not a line or area) whose type has a checklist.
        return jdbc.sql("""
                SELECT g.code, mp.id, mp.name,
                       (SELECT u.username FROM grid_owner o JOIN app_user u ON u.id = o.user_id
                        WHERE o.grid_id = g.id AND u.enabled ORDER BY u.username LIMIT 1) AS owner
                FROM grid g JOIN measurement_point mp ON mp.grid_id = g.id AND ST_Dimension(mp.geom) = 0
                WHERE g.valid_to IS NULL
                  AND EXISTS (SELECT 1 FROM grid_owner o JOIN app_user u ON u.id = o.user_id
                              WHERE o.grid_id = g.id AND u.enabled AND u.demo_account)
                  AND EXISTS (SELECT 1 FROM checklist_item ci WHERE ci.point_type_code = mp.type_code AND ci.active)
                  AND NOT EXISTS (SELECT 1 FROM inspection i WHERE i.point_id = mp.id AND i.status = 'OPEN')
                  AND NOT EXISTS (SELECT 1 FROM measurement_point other WHERE other.name = mp.name AND other.id <> mp.id)
                  AND position('''' IN mp.name) = 0
                ORDER BY g.code DESC, mp.id LIMIT 1""")
                .query((rs, n) -> new Stage(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4))).single();
    }

    private String displayName(String username) {
        return jdbc.sql("SELECT display_name FROM app_user WHERE username = ?").param(username).query(String.class).single();
    }

    /** Opens the move's form on the problem page, writes the note, confirms. */
    private static void act(BrowserSession browser, String action, String note) {
        click(browser, browser.waitFor(By.id("action-" + action), WAIT));
        browser.waitForAttribute(By.id("action-form"), "data-action", action, WAIT);
        if (note != null) {
            browser.driver().findElement(By.id("action-note")).sendKeys(note);
        }
        click(browser, browser.driver().findElement(By.id("action-confirm")));
    }

    private static void signOut(BrowserSession browser) {
        click(browser, browser.driver().findElement(By.id("logout-button")));
        new WebDriverWait(browser.driver(), WAIT).until(d -> d.getCurrentUrl().contains("login.html"));
    }

    private static void waitVisible(BrowserSession browser, WebElement element) {
        new WebDriverWait(browser.driver(), WAIT).until(d -> element.isDisplayed());
    }

    private static void waitAttribute(BrowserSession browser, WebElement element, String attribute, String value) {
        new WebDriverWait(browser.driver(), WAIT).until(d -> value.equals(element.getDomAttribute(attribute)));
    }

    private static void waitImagesLoaded(BrowserSession browser, String selector) {
        new WebDriverWait(browser.driver(), WAIT).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "const imgs = [...document.querySelectorAll(arguments[0])];"
                        + "return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0);", selector));
    }

    /** Clicks as a person would: after bringing the element to the middle of the screen (clear of sticky bars). */
    private static void click(BrowserSession browser, WebElement element) {
        scrollTo(browser, element);
        element.click();
    }

    private static void scrollTo(BrowserSession browser, WebElement element) {
        browser.script("arguments[0].scrollIntoView({block: 'center'})", element);
    }

    /** A small real JPEG (a "photo" of a coloured scene), written where the browser can pick it. */
    private static Path jpeg(String name, Color color) throws IOException {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0xcf, 0xd8, 0xe3));
        g.fillRect(0, 0, 640, 480);
        g.setColor(new Color(0x9a, 0xa3, 0xad));
        g.fillRect(0, 300, 640, 180);
        g.setColor(color);
        g.fillRoundRect(220, 170, 200, 230, 24, 24);
        g.setColor(color.darker());
        g.fillRect(200, 150, 240, 30);
        g.dispose();
        Path dir = Path.of("target", "loop-photos");
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        ImageIO.write(image, "jpg", file.toFile());
        return file;
    }
}
