package org.civicgrid.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (installed by ./civicgrid test);
 * nothing is downloaded. Screenshots go to target/screenshots and are kept as build artifacts.
 */
public final class BrowserSession implements AutoCloseable {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;
    private final Path userDataDir;

    /** A window of this size that records CSP violations, signed in as this demo account (password Demo-2026). */
    public static BrowserSession signedIn(int width, int height, String baseUrl, String username) {
        BrowserSession browser = new BrowserSession(width, height);
        browser.recordCspViolations();
        browser.signIn(baseUrl, username, "Demo-2026");
        return browser;
    }

    public BrowserSession(int width, int height) {
        try {
            userDataDir = Files.createTempDirectory("civicgrid-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // The flags keep Chromium from calling out: this machine's network is closed and intranets are offline.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=" + width + "," + height, "--user-data-dir=" + userDataDir, "--lang=zh-CN");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Signs in through the real login page and waits until the map page has opened. */
    public void signIn(String baseUrl, String username, String password) {
        driver.get(baseUrl + "/login.html");
        waitFor(By.id("login-form"), Duration.ofSeconds(20));
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login-form")).submit();
        try {
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !d.getCurrentUrl().contains("login.html"));
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("sign-in-failed-" + username);
            throw new IllegalStateException("Signing in as " + username + " did not leave the login page: " + driver.getCurrentUrl()
                    + " — " + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    public WebElement waitFor(By locator, Duration timeout) {
        return new WebDriverWait(driver, timeout).until(d -> d.findElement(locator));
    }

    public WebElement waitForAttribute(By locator, String attribute, String value, Duration timeout) {
        new WebDriverWait(driver, timeout).until(d -> {
            String actual = d.findElement(locator).getDomAttribute(attribute);
            if ("error".equals(actual) && !"error".equals(value)) {
                throw new IllegalStateException("the page reports an error: " + d.findElement(By.id("error-text")).getText());
            }
            return value.equals(actual);
        });
        return driver.findElement(locator);
    }

    /** Collects CSP violations from the first script of every document (CDP scripts are not subject to the CSP). */
    private static final String CSP_RECORDER = """
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation',
              e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));""";

    /** From now on every page records its Content-Security-Policy violations; read them with {@link #cspViolations()}. */
    public void recordCspViolations() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                java.util.Map.of("source", CSP_RECORDER));
    }

    /** The current page's CSP violations ("directive blocked-uri"), after {@link #recordCspViolations()}. */
    @SuppressWarnings("unchecked")
    public java.util.List<String> cspViolations() {
        return (java.util.List<String>) script("return window.__cspViolations || []");
    }

    public Object script(String javascript, Object... args) {
        return driver.executeScript(javascript, args);
    }

    /** Saves a PNG of the current page as target/screenshots/{name}.png and returns its path. */
    public Path screenshot(String name) {
        Path dir = Path.of(System.getProperty("civicgrid.screenshot-dir", "target/screenshots"));
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(name + ".png");
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var paths = Files.walk(userDataDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp profile is harmless
        }
    }
}
