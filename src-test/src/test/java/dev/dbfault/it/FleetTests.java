package dev.dbfault.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dbfault.it.app.LedgerService;
import dev.dbfault.it.app.ResilienceApplication;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;

import static dev.dbfault.testdb.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A simulated fleet driven as a chaos engine drives it: three instances of the service (three
 * applications on random ports, one PostgreSQL), and a driver that runs the Chaos Toolkit
 * experiment in {@code docs/chaostoolkit/experiment.json} as Chaos Toolkit's {@code http}
 * provider would (the same methods, headers and bodies, with its {@code ${...}} substitution).
 * A lease-bound fault is injected on every instance, renewed, then left to run out: every
 * instance heals itself. A driver killed mid-experiment leaves nothing broken, and no write an
 * instance acknowledged is lost.
 */
class FleetTests {

	private static final Path EXPERIMENT = Path.of("..", "docs", "chaostoolkit", "experiment.json");

	private static final Duration LEASE = Duration.ofSeconds(2);

	/** Scheduling slack allowed on top of a lease on a loaded 2-core machine. */
	private static final Duration TOLERANCE = Duration.ofMillis(1500);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private static final List<String> urls = new ArrayList<>();

	@BeforeAll
	static void startTheFleet() {
		for (int i = 1; i <= 3; i++) {
			ConfigurableApplicationContext instance = new SpringApplicationBuilder(ResilienceApplication.class)
				.properties("server.port=0", "server.address=127.0.0.1", "dbfault.enabled=true",
						"management.endpoint.dbfault.access=unrestricted",
						"management.endpoints.web.exposure.include=health,dbfault", "spring.application.name=ledger",
						"dbfault.instance-id=ledger-" + i, "spring.datasource.hikari.data-source-properties.socketTimeout=5")
				.run();
			instances.add(instance);
			urls.add("http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port"));
		}
	}

	@AfterAll
	static void stopTheFleet() {
		instances.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void theExperimentInjectsOnEveryInstanceRenewsItsLeaseAndEveryInstanceHealsWhenItRunsOut() throws IOException {
		Experiment experiment = Experiment.load(urls, Map.of("fault_id", "fleet-latency", "latency", "20ms", "lease",
				LEASE.toMillis() + "ms"));
		experiment.steadyState().forEach((probe) -> assertThat(experiment.run(probe).status()).isEqualTo(200));
		List<Map<String, Object>> injections = experiment.method("slow-database-on-instance-");
		List<String> injectedAt = new ArrayList<>();
		for (Map<String, Object> action : injections) {
			Answer answer = experiment.run(action);
			assertThat(answer.status()).as(answer.body()).isEqualTo(200);
			assertThat(answer.contentType()).isEqualTo("application/json");
			assertThat(answer.json()).containsEntry("id", "fleet-latency").containsEntry("state", "active");
			injectedAt.add((String) answer.json().get("injectedAt"));
		}
		List<Map<String, Object>> listed = experiment.method("fault-listed-on-instance-");
		for (int i = 0; i < 3; i++) {
			assertThat(faultIds(experiment.run(listed.get(i)))).containsExactly("fleet-latency");
			Map<?, ?> identity = (Map<?, ?>) get(urls.get(i) + "/actuator/dbfault").json().get("instance");
			assertThat(identity.get("id")).isEqualTo("ledger-" + (i + 1));
		}
		// renew each lease whenever it runs low, for longer than a lease: the faults stay, the same faults
		long renewingSince = System.nanoTime();
		List<Map<String, Object>> renewals = experiment.method("renew-lease-on-instance-");
		while (Duration.ofNanos(System.nanoTime() - renewingSince).compareTo(LEASE.plus(LEASE)) < 0) {
			await("a lease to run low", LEASE, () -> timeLeft(urls.get(0)) < LEASE.toMillis() / 2);
			for (Map<String, Object> renewal : renewals) {
				assertThat(experiment.run(renewal).status()).isEqualTo(200);
			}
		}
		long lastRenewal = System.nanoTime();
		for (int i = 0; i < 3; i++) {
			Answer listing = experiment.run(listed.get(i));
			assertThat(faultIds(listing)).as("instance %d after renewals", i + 1).containsExactly("fleet-latency");
			assertThat(faultField(listing, "injectedAt")).isEqualTo(injectedAt.get(i));
		}
		// the engine stops renewing: every instance heals itself within the lease
		for (String url : urls) {
			await("the lease on " + url + " to run out", LEASE.plus(TOLERANCE),
					() -> faultIds(get(url + "/actuator/dbfault/dataSource")).isEmpty());
		}
		assertThat(Duration.ofNanos(System.nanoTime() - lastRenewal)).isLessThan(LEASE.plus(TOLERANCE));
		// rollbacks run after the lease ran out, twice: each answers how the fault ended
		for (int round = 0; round < 2; round++) {
			for (Map<String, Object> rollback : experiment.rollbacks()) {
				Answer answer = experiment.run(rollback);
				assertThat(answer.status()).as(answer.body()).isEqualTo(200);
				assertThat(answer.json()).containsEntry("ended", "expired");
			}
		}
		experiment.steadyState().forEach((probe) -> assertThat(experiment.run(probe).status()).isEqualTo(200));
	}

	@Test
	void aDriverKilledMidExperimentLeavesNothingBrokenAndNoAcknowledgedWriteIsLost() throws Exception {
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		List<AtomicLong> successes = new ArrayList<>();
		AtomicBoolean writing = new AtomicBoolean(true);
		List<Thread> writers = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			LedgerService ledger = instances.get(i).getBean(LedgerService.class);
			AtomicLong done = new AtomicLong();
			successes.add(done);
			String prefix = "fleet-" + i + "-" + System.nanoTime() + "-";
			Thread writer = new Thread(() -> {
				for (long n = 0; writing.get(); n++) {
					try {
						ledger.record(1, 1, prefix + n);
						acknowledged.add(prefix + n);
						done.incrementAndGet();
					}
					catch (DataAccessException ex) {
						// failed under the fault: not acknowledged
					}
				}
			}, "fleet-writer-" + i);
			writer.start();
			writers.add(writer);
		}
		// a driver that injects failing inserts on every instance under a lease and renews it, until killed
		String body = "{\"id\":\"fleet-sql-error\",\"match\":\"insert into ledger\",\"sqlState\":\"40001\",\"duration\":\""
				+ LEASE.toMillis() + "ms\"}";
		AtomicLong renewals = new AtomicLong();
		Thread driver = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				for (String url : urls) {
					post(url + "/actuator/dbfault/dataSource/sql-error", body);
				}
				renewals.incrementAndGet();
				try {
					Thread.sleep(LEASE.toMillis() / 4);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "fleet-driver");
		driver.start();
		await("the driver to renew twice", Duration.ofSeconds(10), () -> renewals.get() >= 3);
		for (String url : urls) {
			assertThat(faultIds(get(url + "/actuator/dbfault/dataSource"))).containsExactly("fleet-sql-error");
		}
		driver.interrupt();
		driver.join(5000);
		long killedAt = System.nanoTime();
		List<Long> before = successes.stream().map(AtomicLong::get).toList();
		for (int i = 0; i < 3; i++) {
			String url = urls.get(i);
			await("instance " + (i + 1) + " to heal", LEASE.plus(TOLERANCE),
					() -> faultIds(get(url + "/actuator/dbfault/dataSource")).isEmpty());
			AtomicLong done = successes.get(i);
			long had = before.get(i);
			await("instance " + (i + 1) + " to write again", Duration.ofSeconds(10), () -> done.get() > had + 10);
		}
		assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(15));
		writing.set(false);
		for (Thread writer : writers) {
			writer.join(10_000);
		}
		assertThat(acknowledged).hasSizeGreaterThan(30);
		assertThat(missing(acknowledged)).as("acknowledged writes missing from the ledger").isEmpty();
	}

	private static List<String> missing(Set<String> keys) throws SQLException {
		List<String> missing = new ArrayList<>();
		try (Connection connection = TestDatabase.get().connect();
				PreparedStatement statement = connection
					.prepareStatement("select count(*) from ledger where idempotency_key = ?")) {
			for (String key : keys) {
				statement.setString(1, key);
				try (ResultSet rs = statement.executeQuery()) {
					rs.next();
					if (rs.getLong(1) != 1) {
						missing.add(key);
					}
				}
			}
		}
		return missing;
	}

	private static long timeLeft(String url) {
		Object left = faultField(get(url + "/actuator/dbfault/dataSource"), "timeLeftMillis");
		return (left instanceof Number number) ? number.longValue() : 0;
	}

	@SuppressWarnings("unchecked")
	private static List<String> faultIds(Answer listing) {
		return ((List<Map<String, Object>>) listing.json().get("faults")).stream()
			.map((fault) -> (String) fault.get("id"))
			.toList();
	}

	@SuppressWarnings("unchecked")
	private static Object faultField(Answer listing, String field) {
		List<Map<String, Object>> faults = (List<Map<String, Object>>) listing.json().get("faults");
		return faults.isEmpty() ? null : faults.get(0).get(field);
	}

	private static Answer get(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET().build());
	}

	private static Answer post(String url, String json) {
		return send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private static Answer send(HttpRequest request) {
		try {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
					response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	record Answer(int status, String contentType, String body) {

		Map<String, Object> json() {
			return JsonParserFactory.getJsonParser().parseMap(this.body);
		}

	}

	/**
	 * A Chaos Toolkit experiment, run as its {@code http} provider runs one: {@code ${name}}
	 * replaced from the configuration, {@code arguments} sent as a JSON body when the
	 * {@code Content-Type} header says JSON and as a form otherwise.
	 */
	record Experiment(Map<String, Object> document, Map<String, String> configuration) {

		private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z_0-9]+)}");

		static Experiment load(List<String> instances, Map<String, String> settings) throws IOException {
			Map<String, Object> document = JsonParserFactory.getJsonParser().parseMap(Files.readString(EXPERIMENT));
			Map<String, String> configuration = new LinkedHashMap<>(settings);
			for (int i = 0; i < instances.size(); i++) {
				configuration.put("instance_" + (i + 1), instances.get(i));
			}
			return new Experiment(document, configuration);
		}

		@SuppressWarnings("unchecked")
		List<Map<String, Object>> steadyState() {
			return (List<Map<String, Object>>) ((Map<String, Object>) this.document.get("steady-state-hypothesis"))
				.get("probes");
		}

		@SuppressWarnings("unchecked")
		List<Map<String, Object>> method(String namePrefix) {
			return ((List<Map<String, Object>>) this.document.get("method")).stream()
				.filter((activity) -> ((String) activity.get("name")).startsWith(namePrefix))
				.toList();
		}

		@SuppressWarnings("unchecked")
		List<Map<String, Object>> rollbacks() {
			return (List<Map<String, Object>>) this.document.get("rollbacks");
		}

		@SuppressWarnings("unchecked")
		Answer run(Map<String, Object> activity) {
			Map<String, Object> provider = (Map<String, Object>) activity.get("provider");
			assertThat(provider.get("type")).isEqualTo("http");
			String method = (String) provider.getOrDefault("method", "GET");
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(substitute((String) provider.get("url"))));
			Map<String, String> headers = (Map<String, String>) provider.getOrDefault("headers", Map.of());
			headers.forEach(request::header);
			Map<String, Object> arguments = (Map<String, Object>) provider.get("arguments");
			if (arguments == null) {
				request.method(method, HttpRequest.BodyPublishers.noBody());
			}
			else {
				boolean json = headers.entrySet().stream()
					.anyMatch((header) -> header.getKey().equalsIgnoreCase("Content-Type")
							&& header.getValue().contains("json"));
				request.method(method, HttpRequest.BodyPublishers.ofString(json ? json(arguments) : form(arguments)));
			}
			return send(request.build());
		}

		private String json(Map<String, Object> arguments) {
			StringBuilder json = new StringBuilder("{");
			arguments.forEach((name, value) -> json.append((json.length() > 1) ? "," : "").append('"').append(name)
				.append("\":\"").append(substitute(value.toString())).append('"'));
			return json.append('}').toString();
		}

		private String form(Map<String, Object> arguments) {
			StringBuilder form = new StringBuilder();
			arguments.forEach((name, value) -> form.append((form.length() > 0) ? "&" : "")
				.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
				.append('=')
				.append(URLEncoder.encode(substitute(value.toString()), StandardCharsets.UTF_8)));
			return form.toString();
		}

		private String substitute(String text) {
			Matcher matcher = VARIABLE.matcher(text);
			StringBuilder out = new StringBuilder();
			while (matcher.find()) {
				String value = this.configuration.get(matcher.group(1));
				assertThat(value).as("configuration value %s", matcher.group(1)).isNotNull();
				matcher.appendReplacement(out, Matcher.quoteReplacement(value));
			}
			return matcher.appendTail(out).toString();
		}

	}

}
