package org.civicgrid.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Text people typed is shown as text on the map: an HTML payload in a point's name runs nothing. */
@BrowserTest
class EscapingBrowserTest {

    private static final String PAYLOAD = "<img src=x onerror=alert(1)>";
    private static final String ADDRESS_PAYLOAD = "\"><script>alert(2)</script>";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private Long pointId;

    @AfterEach
    void removePoint() {
        if (pointId != null) {
            jdbc.sql("DELETE FROM measurement_point WHERE id = ?").param(pointId).update();
        }
    }

    @Test
    void aPointNamedWithHtmlShowsTheTextAndRunsNothing() {
        record GridOwner(String username, String gridCode) {
        }
        GridOwner owner = jdbc.sql("""
                SELECT u.username, g.code FROM grid g JOIN grid_owner o ON o.grid_id = g.id JOIN app_user u ON u.id = o.user_id
                WHERE g.valid_to IS NULL AND u.demo_account ORDER BY g.code LIMIT 1""")
                .query((rs, n) -> new GridOwner(rs.getString(1), rs.getString(2))).single();
        pointId = jdbc.sql("""
                INSERT INTO measurement_point (type_code, name, address, geom)
                SELECT 'BANK', ?, ?, ST_PointOnSurface(boundary) FROM grid WHERE code = ? AND valid_to IS NULL RETURNING id""")
                .param(PAYLOAD).param(ADDRESS_PAYLOAD).param(owner.gridCode()).query(Long.class).single();

        try (BrowserSession browser = new BrowserSession(1280, 900)) {
            browser.signIn("http://localhost:" + port, owner.username(), "Demo-2026");
            browser.open("http://localhost:" + port + "/");
            browser.waitForAttribute(By.id("map"), "data-state", "ready", Duration.ofSeconds(60));

            WebElement marker = browser.waitFor(By.cssSelector(".leaflet-marker-icon[title='" + PAYLOAD + "']"), Duration.ofSeconds(20));
            marker.click();
            browser.screenshot("escaped-point-name");
            new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
                    .until(d -> d.findElements(By.cssSelector(".leaflet-popup-content")).stream().anyMatch(p -> p.getText().contains(PAYLOAD)));
            WebElement popup = browser.driver().findElement(By.cssSelector(".leaflet-popup-content"));

            assertThat(popup.getText()).contains(PAYLOAD).contains(ADDRESS_PAYLOAD);
            assertThat(browser.driver().findElements(By.cssSelector("img[src='x']"))).as("no element made from the payload").isEmpty();
            assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
            browser.screenshot("escaped-point-name");
        }
    }
}
