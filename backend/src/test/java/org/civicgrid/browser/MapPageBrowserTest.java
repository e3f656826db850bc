package org.civicgrid.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The first visible page, as a person sees it: the demo district's grids and points on the offline map. */
@BrowserTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MapPageBrowserTest {

    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    private BrowserSession browser;

    @BeforeAll
    void startBrowser() {
        browser = new BrowserSession(1280, 900);
    }

    @AfterAll
    void stopBrowser() {
        browser.close();
    }

    @Test
    void theMapDrawsGridsAndPointsOfTheDemoDistrict() throws Exception {
        browser.signIn("http://localhost:" + port, "leader", "Demo-2026");
        browser.open("http://localhost:" + port + "/");
        browser.waitForAttribute(By.id("map"), "data-state", "ready", LOAD_TIMEOUT);

        int grids = Integer.parseInt(browser.driver().findElement(By.id("map")).getDomAttribute("data-grids"));
        int points = Integer.parseInt(browser.driver().findElement(By.id("map")).getDomAttribute("data-points"));
        long drawnPaths = (Long) browser.script("return document.querySelectorAll('.leaflet-overlay-pane path').length");
        assertThat(grids).as("grid polygons drawn").isGreaterThan(300);
        assertThat(points).as("measurement points drawn").isGreaterThan(1000);
        assertThat(drawnPaths).as("SVG paths in the overlay pane").isGreaterThanOrEqualTo(grids);
        assertThat(browser.driver().findElement(By.id("legend")).getText()).contains("网格");
        assertThat(browser.driver().getTitle()).contains("CivicGrid");

        Path screenshot = browser.screenshot("map-page");
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }
}
