package dev.dbfault.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
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

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium: start the load, break the database with a
 * click, see failures rise, heal, see the service recover; and see the faults that are gone
 * before the next poll (a reset, a fault used up at once) on the chart and in the list of
 * recent ones; and a button for every fault type the endpoint lists. Chromium and its
 * driver come from Debian's packages; the test installs them when it can and is skipped,
 * saying why, only where no browser can be installed.
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
		DebianPackages.installIfMissing("the dashboard's browser test", List.of(CHROMIUM, CHROMEDRIVER), "chromium",
				"chromium-driver");
	}

	private long number(String id) {
		String text = browser.findElement(By.id(id)).getText().trim();
		return text.matches("\\d+") ? Long.parseLong(text) : -1;
	}

	private void waitUntil(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
		new WebDriverWait(browser, timeout).withMessage(what).until((driver) -> condition.getAsBoolean());
	}

	private String injectedFaultId() {
		String message = browser.findElement(By.id("message")).getText().trim();
		return message.matches("[a-z-]+-\\d+ injected") ? message.substring(0, message.indexOf(' ')) : null;
	}

	private String recentSummary(String faultId) {
		return browser.findElements(By.cssSelector("#recent-faults li[data-fault-id='" + faultId + "'] .summary"))
			.stream()
			.map(WebElement::getText)
			.findFirst()
			.orElse("");
	}

	private List<String> actedOnTheChart() {
		String acted = browser.findElement(By.id("timeline")).getDomAttribute("data-acted");
		return (acted != null) ? List.of(acted.split(" ")) : List.of();
	}

	private void screenshot(String name) throws IOException {
		File screenshot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
		Path saved = Path.of("target", name);
		Files.createDirectories(saved.getParent());
		Files.copy(screenshot.toPath(), saved, StandardCopyOption.REPLACE_EXISTING);
		assertThat(Files.size(saved)).isGreaterThan(10_000);
	}

	// The buttons are made from the endpoint's catalog, read once the page has loaded.
	private void openDashboard() {
		browser.get("http://127.0.0.1:" + this.port + "/");
		waitUntil("the first poll", Duration.ofSeconds(10), () -> number("successes-total") >= 0);
		waitUntil("the fault buttons", Duration.ofSeconds(10),
				() -> "ready".equals(browser.findElement(By.id("fault-groups")).getDomAttribute("data-state")));
	}

	private void click(String id) {
		WebElement element = browser.findElement(By.id(id));
		((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})",
				element);
		element.click();
	}

	@Test
	void aClickedFaultMakesFailuresRiseAndHealingLetsTheServiceRecover() throws IOException {
		openDashboard();
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
		screenshot("dashboard.png");
		click("load-stop");
		waitUntil("the load to stop", Duration.ofSeconds(10),
				() -> browser.findElement(By.id("load-status")).getText().contains("stopped"));
	}

	@Test
	void faultsThatActAtOnceOrUseThemselvesUpShowOnTheChartAndInTheRecentList() throws IOException {
		openDashboard();
		long successesBefore = number("successes-total");
		click("load-start");
		waitUntil("orders to succeed", Duration.ofSeconds(20), () -> number("successes-total") >= successesBefore + 10);

		click("fault-reset");
		waitUntil("the reset to be injected", Duration.ofSeconds(10), () -> injectedFaultId() != null);
		String reset = injectedFaultId();
		assertThat(reset).startsWith("reset-");
		waitUntil("the reset in the recent list", Duration.ofSeconds(10),
				() -> recentSummary(reset).matches("reset: [1-9]\\d* connections?"));
		waitUntil("the reset marked on the chart", Duration.ofSeconds(10), () -> actedOnTheChart().contains(reset));
		// an action is gone when its injection returns: never a row of the active faults
		assertThat(browser.findElements(By.cssSelector("#active-faults tr[data-fault-id='" + reset + "']"))).isEmpty();

		WebElement times = browser.findElement(By.id("param-sql-error-times"));
		times.clear();
		times.sendKeys("1");
		click("fault-sql-error");
		waitUntil("the sql-error to be injected", Duration.ofSeconds(10),
				() -> String.valueOf(injectedFaultId()).startsWith("sql-error-"));
		String sqlError = injectedFaultId();
		waitUntil("the used-up sql-error in the recent list", Duration.ofSeconds(20),
				() -> recentSummary(sqlError).startsWith("sql-error: 1 statement, used up after "));
		assertThat(browser.findElement(By.cssSelector("#recent-faults li")).getDomAttribute("data-fault-id"))
			.as("newest first")
			.isEqualTo(sqlError);
		waitUntil("the sql-error's firing in the journal", Duration.ofSeconds(10),
				() -> browser.findElements(By.cssSelector("#fault-journal li .summary"))
					.stream()
					.map(WebElement::getText)
					.anyMatch((text) -> text.startsWith(sqlError + " on #") && text.contains("instead of the statement")));

		((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
		screenshot("dashboard-recent.png");
		click("load-stop");
		waitUntil("the load to stop", Duration.ofSeconds(10),
				() -> browser.findElement(By.id("load-status")).getText().contains("stopped"));
	}

	@Test
	void everyTypeTheEndpointListsHasAButtonOnThePage() {
		List<String> types = JsonPath.parse(RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/actuator/dbfault?include=faultTypes")
			.retrieve()
			.body(String.class)).read("$.faultTypes[*].type");
		assertThat(types).hasSizeGreaterThan(10);
		openDashboard();
		assertThat(browser.findElements(By.cssSelector("#fault-groups form.fault")))
			.extracting((form) -> form.getDomAttribute("data-fault-type"))
			.containsExactlyInAnyOrderElementsOf(types);
		for (String type : types) {
			assertThat(browser.findElements(By.id("fault-" + type))).as("the %s button", type).hasSize(1);
		}
		assertThat(browser.findElements(By.cssSelector("#fault-groups .fault-group h3"))).extracting(WebElement::getText)
			.containsExactly("Connections", "Network", "SQL");
	}

	@Test
	void badInputIsExplainedOnThePageAndNothingIsInjected() {
		openDashboard();
		WebElement latency = browser.findElement(By.id("param-latency-latency"));
		latency.clear();
		latency.sendKeys("-5ms");
		click("fault-latency");
		waitUntil("the error message", Duration.ofSeconds(10),
				() -> browser.findElement(By.id("message")).getText().contains("latency must not be negative"));
		assertThat(browser.findElements(By.cssSelector("#active-faults tr[data-fault-id]"))).isEmpty();
	}

}
