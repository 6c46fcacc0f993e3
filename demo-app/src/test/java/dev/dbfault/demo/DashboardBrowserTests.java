package dev.dbfault.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.opentest4j.TestAbortedException;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium: start the load, break the database with a
 * click, see failures rise, heal, see the service recover. Chromium and its driver come from
 * Debian's packages; the test installs them when it can and is skipped, saying why, only
 * where no browser can be installed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class DashboardBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static WebDriver browser;

	@TempDir
	static Path profile;

	@LocalServerPort
	private int port;

	@BeforeAll
	static void startBrowser() {
		installBrowserIfMissing();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		// no background traffic: this machine has no network beyond loopback
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=1280,1000", "--user-data-dir=" + profile.resolve("chromium"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.build();
		browser = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	private static void installBrowserIfMissing() {
		if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
			return;
		}
		String reason;
		try {
			Process install = new ProcessBuilder("apt-get", "install", "-y", "--no-install-recommends", "chromium",
					"chromium-driver")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			reason = install.waitFor(10, TimeUnit.MINUTES) ? "apt-get exited with " + install.exitValue()
					: "apt-get did not finish in 10 minutes";
		}
		catch (IOException ex) {
			reason = "apt-get could not run: " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			reason = "interrupted";
		}
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			throw new TestAbortedException("No Chromium could be installed for the dashboard test (Debian packages"
					+ " chromium and chromium-driver; " + reason + ")");
		}
	}

	private long number(String id) {
		String text = browser.findElement(By.id(id)).getText().trim();
		return text.matches("\\d+") ? Long.parseLong(text) : -1;
	}

	private void waitUntil(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
		new WebDriverWait(browser, timeout).withMessage(what).until((driver) -> condition.getAsBoolean());
	}

	private void click(String id) {
		WebElement element = browser.findElement(By.id(id));
		((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})",
				element);
		element.click();
	}

	@Test
	void aClickedFaultMakesFailuresRiseAndHealingLetsTheServiceRecover() throws IOException {
		browser.get("http://127.0.0.1:" + this.port + "/");
		waitUntil("the first poll", Duration.ofSeconds(10), () -> number("successes-total") >= 0);
		click("load-start");
		waitUntil("orders to succeed", Duration.ofSeconds(20), () -> number("successes-total") >= 10);
		long failuresBefore = number("failures-total");
		click("fault-sql-error");
		waitUntil("the fault to show", Duration.ofSeconds(10),
				() -> !browser.findElements(By.cssSelector("#active-faults tr[data-fault-id^='sql-error']")).isEmpty());
		waitUntil("failures to rise", Duration.ofSeconds(30), () -> number("failures-total") >= failuresBefore + 5);
		assertThat(browser.findElement(By.id("failures-by-type")).getText()).contains("CannotAcquireLockException");
		click("heal-all");
		waitUntil("the fault to go", Duration.ofSeconds(10),
				() -> browser.findElements(By.cssSelector("#active-faults tr[data-fault-id]")).isEmpty());
		long successesAfterHeal = number("successes-total");
		long failuresAfterHeal = number("failures-total");
		waitUntil("the service to recover", Duration.ofSeconds(30),
				() -> number("successes-total") >= successesAfterHeal + 20);
		// orders already in their retries when the fault went may still fail; new ones do not
		waitUntil("a second without failures", Duration.ofSeconds(20),
				() -> number("last-failures") == 0 && number("rps") > 0);
		assertThat(number("failures-total")).isLessThan(failuresAfterHeal + 20);
		File screenshot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
		Path saved = Path.of("target", "dashboard.png");
		Files.createDirectories(saved.getParent());
		Files.copy(screenshot.toPath(), saved, StandardCopyOption.REPLACE_EXISTING);
		assertThat(Files.size(saved)).isGreaterThan(10_000);
		click("load-stop");
		waitUntil("the load to stop", Duration.ofSeconds(10),
				() -> browser.findElement(By.id("load-status")).getText().contains("stopped"));
	}

	@Test
	void badInputIsExplainedOnThePageAndNothingIsInjected() {
		browser.get("http://127.0.0.1:" + this.port + "/");
		waitUntil("the first poll", Duration.ofSeconds(10), () -> number("successes-total") >= 0);
		WebElement latency = browser.findElement(By.id("param-latency-latency"));
		latency.clear();
		latency.sendKeys("-5ms");
		click("fault-latency");
		waitUntil("the error message", Duration.ofSeconds(10),
				() -> browser.findElement(By.id("message")).getText().contains("latency must not be negative"));
		assertThat(browser.findElements(By.cssSelector("#active-faults tr[data-fault-id]"))).isEmpty();
	}

}
