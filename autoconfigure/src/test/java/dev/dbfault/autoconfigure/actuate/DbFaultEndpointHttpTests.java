package dev.dbfault.autoconfigure.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code /actuator/dbfault} HTTP contract on a running application against a real
 * PostgreSQL.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbfault.enabled=true", "management.endpoint.dbfault.access=unrestricted",
				"management.endpoints.web.exposure.include=dbfault,health",
				"management.endpoint.health.show-details=always", "spring.datasource.hikari.maximum-pool-size=4",
				"spring.datasource.hikari.connection-timeout=2000", "spring.datasource.hikari.keepalive-time=0" })
class DbFaultEndpointHttpTests {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private DbFaultProxies proxies;

	@Autowired
	private HikariDataSource pool;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.get().springProperties("socketTimeout=5").forEach((name, value) -> registry.add(name, () -> value));
	}

	@AfterEach
	void heal() {
		this.proxies.healAll();
		// connections a test's fault killed stay in the pool until used: start the next test with fresh ones
		this.pool.getHikariPoolMXBean().softEvictConnections();
		// a connection attempt made during a blackhole stays lost until its socket timeout: wait it out
		awaitDataSource(Duration.ofSeconds(15));
		// and let the pool finish refilling, or the next test's refuse or stall-connect counts its connections
		await("the pool to refill").atMost(Duration.ofSeconds(15)).until(this::poolIsSettled);
	}

	private FaultProxy proxy() {
		return this.proxies.proxy("dataSource").orElseThrow();
	}

	private void awaitDataSource(Duration timeout) {
		await("the DataSource to answer").atMost(timeout).until(this::dataSourceAnswers);
	}

	private boolean dataSourceAnswers() {
		try (Connection connection = this.pool.getConnection()) {
			return connection.isValid(1);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private boolean poolIsSettled() {
		HikariPoolMXBean pool = this.pool.getHikariPoolMXBean();
		return pool.getActiveConnections() == 0 && pool.getIdleConnections() >= this.pool.getMinimumIdle()
				&& pool.getTotalConnections() == pool.getIdleConnections();
	}

	private Response request(String method, String path, String body) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10));
		if (body != null) {
			builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			builder.method(method, HttpRequest.BodyPublishers.noBody());
		}
		try {
			HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Response get(String path) {
		return request("GET", path, null);
	}

	/** Sends a body as the bytes given, with the Content-Type given (none when {@code null}). */
	private Response send(String method, String path, byte[] body, String contentType) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
		if (contentType != null) {
			builder.header("Content-Type", contentType);
		}
		try {
			HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Response post(String path, String body) {
		return request("POST", path, body);
	}

	private Response delete(String path) {
		return request("DELETE", path, null);
	}

	record Response(int status, String body) {

		Map<String, Object> json() {
			return JsonParserFactory.getJsonParser().parseMap(this.body);
		}

	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		return (List<Object>) value;
	}

	private int selectOne() {
		return this.jdbc.queryForObject("select 1", Integer.class);
	}

	@Test
	void getWithIncludeFaultTypesDescribesEveryProxyTheAdvisorAndTheFaultTypes() {
		selectOne();
		Response response = get("/actuator/dbfault?include=faultTypes");
		assertThat(response.status()).isEqualTo(200);
		Map<String, Object> proxy = map(map(response.json().get("proxies")).get("dataSource"));
		assertThat(proxy).containsEntry("name", "dataSource")
			.containsEntry("dataSource", "dataSource")
			.containsEntry("protocol", "postgresql")
			.containsEntry("state", "running")
			.containsEntry("upstream", TestDatabase.get().host() + ":" + TestDatabase.get().port());
		assertThat((String) proxy.get("listen")).startsWith("127.0.0.1:");
		assertThat(((Number) map(proxy.get("connections")).get("live")).intValue()).isPositive();
		assertThat(((Number) map(proxy.get("bytes")).get("downstream")).longValue()).isPositive();
		assertThat(list(proxy.get("faults"))).isEmpty();
		// what it found at startup; a test that injected an incident's fault first adds what it found then
		assertThat(list(response.json().get("advice"))).extracting((advice) -> map(advice).get("setting"))
			.startsWith("tcpKeepAlive").doesNotContain("socketTimeout");
		assertThat(list(response.json().get("faultTypes"))).extracting((type) -> map(type).get("type"))
			.contains("reset", "latency", "sql-error", "drop-on", "terminate");
		Map<String, Object> latency = list(response.json().get("faultTypes")).stream()
			.map(DbFaultEndpointHttpTests::map)
			.filter((type) -> type.get("type").equals("latency"))
			.findFirst()
			.orElseThrow();
		assertThat(list(latency.get("parameters"))).extracting((parameter) -> map(parameter).get("range"))
			.contains("0ms to 1d", "0 to 1", "1 to 1000000000", "0 to 1000000000", "0ms to 30d");
	}

	@Test
	void getIsSmallWithoutTheFaultTypesWhichAreAskedForByAQueryParameterNoProxyNameCanCollideWith() {
		selectOne();
		Response response = get("/actuator/dbfault");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).containsOnlyKeys("instance", "proxies", "advice");
		assertThat(map(response.json().get("proxies"))).containsOnlyKeys("dataSource");
		assertThat(response.body().length()).as(response.body()).isLessThan(4 * 1024);
		Response withFaultTypes = get("/actuator/dbfault?include=faultTypes");
		assertThat(withFaultTypes.json()).containsOnlyKeys("instance", "proxies", "advice", "faultTypes");
		assertThat(withFaultTypes.body().length()).isGreaterThan(10 * response.body().length());
		Response misspelt = get("/actuator/dbfault?include=faultType");
		assertThat(misspelt.status()).isEqualTo(400);
		assertThat(misspelt.json()).containsEntry("parameter", "include")
			.containsEntry("message", "include takes faultTypes (the fault types and their parameters), was 'faultType'");
		Response unknown = get("/actuator/dbfault?includes=faultTypes");
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.json()).containsEntry("parameter", "includes")
			.containsEntry("message", "Unknown parameter 'includes' of GET /actuator/dbfault (accepted: include, as in"
					+ " ?include=faultTypes)");
	}

	@Test
	void aFaultGivenStartAfterIsListedScheduledLetsStatementsThroughAndFailsThemOnceStarted() {
		this.jdbc.execute("create table if not exists scheduled_writes (v int)");
		Response created = post("/actuator/dbfault/dataSource/sql-error",
				"{\"id\":\"later\",\"match\":\"(?i)^insert into scheduled_writes\",\"startAfter\":\"1500ms\"}");
		assertThat(created.status()).as(created.body()).isEqualTo(200);
		assertThat(created.json()).containsEntry("id", "later").containsEntry("state", "scheduled");
		assertThat(map(created.json().get("parameters"))).containsEntry("startAfter", "1500ms");
		Instant injectedAt = Instant.parse((String) created.json().get("injectedAt"));
		Instant startsAt = Instant.parse((String) created.json().get("startsAt"));
		assertThat(startsAt).isEqualTo(injectedAt.plusMillis(1500));
		assertThat(((Number) created.json().get("timeLeftMillis")).longValue()).isGreaterThan(1500);
		Map<String, Object> listed = map(list(get("/actuator/dbfault/dataSource").json().get("faults")).get(0));
		assertThat(listed).containsEntry("id", "later").containsEntry("state", "scheduled")
			.containsEntry("startsAt", startsAt.toString());
		assumeTrue(Instant.now().isBefore(startsAt.minusMillis(500)), "the machine stalled past the fault's start");
		assertThat(this.jdbc.update("insert into scheduled_writes values (1)")).isEqualTo(1);
		await("the fault to start").atMost(Duration.ofSeconds(10))
			.until(() -> "active".equals(map(list(get("/actuator/dbfault/dataSource").json().get("faults")).get(0))
				.get("state")));
		assertThat(Instant.now()).isAfterOrEqualTo(startsAt);
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.update("insert into scheduled_writes values (2)"))
			.satisfies((ex) -> assertThat(ex.getMostSpecificCause()).isInstanceOf(SQLException.class)
				.extracting((cause) -> ((SQLException) cause).getSQLState())
				.isEqualTo("40001"));
		assertThat(delete("/actuator/dbfault/dataSource/later").status()).isEqualTo(200);
		assertThat(this.jdbc.update("insert into scheduled_writes values (3)")).isEqualTo(1);
	}

	@Test
	void aLoginErrorRefusesNewLoginsWithItsSqlStateWhileAnOpenConnectionAnswers() throws SQLException {
		try (Connection open = this.pool.getConnection()) {
			assertThat(open.isValid(1)).isTrue();
			Response created = post("/actuator/dbfault/dataSource/login-error", "{\"sqlState\":\"53300\"}");
			assertThat(created.status()).as(created.body()).isEqualTo(200);
			assertThat(map(created.json().get("parameters"))).containsEntry("sqlState", "53300");
			java.util.Properties credentials = TestDatabase.get().credentials();
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> java.sql.DriverManager.getConnection(this.pool.getJdbcUrl(), credentials).close())
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("53300"))
				.withMessageContaining("sorry, too many clients already");
			try (var statement = open.createStatement(); var rs = statement.executeQuery("select 1")) {
				assertThat(rs.next()).isTrue();
			}
		}
		assertThat(delete("/actuator/dbfault/dataSource").status()).isEqualTo(200);
	}

	@Test
	void aReadOnlyConnectionRefusesInsertsAndReadsWhileANewOneWritesAndRemovalRestoresIt() throws SQLException {
		this.jdbc.execute("create table if not exists read_only_writes (v int)");
		try (Connection open = this.pool.getConnection(); var statement = open.createStatement()) {
			Response created = post("/actuator/dbfault/dataSource/read-only", "{}");
			assertThat(created.status()).as(created.body()).isEqualTo(200);
			assertThat(map(created.json().get("parameters"))).containsEntry("connections", "existing");
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> statement.executeUpdate("insert into read_only_writes values (1)"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("25006"))
				.withMessageContaining("cannot execute INSERT in a read-only transaction");
			try (var rs = statement.executeQuery("select count(*) from read_only_writes")) {
				assertThat(rs.next()).isTrue();
			}
			java.util.Properties credentials = TestDatabase.get().credentials();
			try (Connection fresh = java.sql.DriverManager.getConnection(this.pool.getJdbcUrl(), credentials);
					var write = fresh.createStatement()) {
				assertThat(write.executeUpdate("insert into read_only_writes values (2)")).isEqualTo(1);
			}
			assertThat(delete("/actuator/dbfault/dataSource/" + created.json().get("id")).status()).isEqualTo(200);
			assertThat(statement.executeUpdate("insert into read_only_writes values (3)")).isEqualTo(1);
			// the advisor names what would let the pool replace those connections
			assertThat(list(get("/actuator/dbfault").json().get("advice"))).map(DbFaultEndpointHttpTests::map)
				.anySatisfy((advice) -> assertThat(advice).containsEntry("setting", "exceptionOverrideClassName")
					.containsEntry("dataSource", "dataSource"));
		}
	}

	@Test
	void aScenarioWithABadStepIsA400NamingItAndAGoodOneListsEveryStepUntilDeletedByItsId() {
		Response bad = post("/actuator/dbfault/dataSource/scenario", """
				{"id": "failover", "steps": [{"type": "reset"}, {"type": "login-error", "sqlState": "00000"},
				 {"type": "read-only"}]}""");
		assertThat(bad.status()).as(bad.body()).isEqualTo(400);
		assertThat(bad.json()).containsEntry("parameter", "steps[1].sqlState");
		assertThat((String) bad.json().get("message")).startsWith("step 1 (login-error): ");
		assertThat(list(get("/actuator/dbfault/dataSource").json().get("faults"))).isEmpty();
		String good = """
				{"id": "failover", "steps": [{"type": "reset"}, {"type": "login-error", "duration": "30s"},
				 {"type": "read-only", "startAfter": "1h"}]}""";
		Response created = post("/actuator/dbfault/dataSource/scenario", good);
		assertThat(created.status()).as(created.body()).isEqualTo(200);
		assertThat(created.json()).containsEntry("scenario", "failover").containsEntry("proxy", "dataSource");
		assertThat(list(created.json().get("faults"))).extracting((fault) -> map(fault).get("id"))
			.containsExactly("failover.0", "failover.1", "failover.2");
		List<Object> listed = list(get("/actuator/dbfault/dataSource").json().get("faults"));
		assertThat(listed).extracting((fault) -> map(fault).get("id")).containsExactly("failover.1", "failover.2");
		assertThat(listed).allSatisfy((fault) -> assertThat(map(fault)).containsEntry("scenario", "failover"));
		assertThat(map(listed.get(1))).containsEntry("state", "scheduled");
		Response renewed = post("/actuator/dbfault/dataSource/scenario", good);
		assertThat(renewed.status()).as(renewed.body()).isEqualTo(200);
		assertThat(list(renewed.json().get("faults"))).extracting((fault) -> map(fault).get("id"))
			.containsExactly("failover.1", "failover.2");
		Response other = post("/actuator/dbfault/dataSource/scenario",
				"{\"id\": \"failover\", \"steps\": [{\"type\": \"refuse\"}]}");
		assertThat(other.status()).as(other.body()).isEqualTo(409);
		Response removed = delete("/actuator/dbfault/dataSource/failover");
		assertThat(removed.status()).as(removed.body()).isEqualTo(200);
		assertThat(list(removed.json().get("faults"))).extracting((fault) -> map(fault).get("state"))
			.containsExactly("removed", "removed");
		assertThat(list(get("/actuator/dbfault/dataSource").json().get("faults"))).isEmpty();
		// the reset step broke the pool's connections: it replaces them, now that logins succeed
		awaitDataSource(Duration.ofSeconds(15));
		assertThat(selectOne()).isEqualTo(1);
		Response again = delete("/actuator/dbfault/dataSource/failover");
		assertThat(again.status()).as("a scenario removed twice is answered as it ended").isEqualTo(200);
		assertThat(delete("/actuator/dbfault/dataSource/no-such-scenario").status()).isEqualTo(404);
		Response form = send("POST", "/actuator/dbfault/dataSource/scenario",
				"id=x&steps=reset".getBytes(java.nio.charset.StandardCharsets.UTF_8),
				"application/x-www-form-urlencoded");
		assertThat(form.status()).isEqualTo(400);
	}

	@Test
	void aScheduledFaultRemovedBeforeItsStartNeverActs() {
		Response created = post("/actuator/dbfault/dataSource/down", "{\"startAfter\":\"1s\"}");
		assertThat(created.status()).as(created.body()).isEqualTo(200);
		String id = (String) created.json().get("id");
		Response removed = delete("/actuator/dbfault/dataSource/" + id);
		assertThat(removed.status()).isEqualTo(200);
		assertThat(removed.json()).containsEntry("state", "removed").containsEntry("ended", "removed");
		assertThat(((Number) removed.json().get("fired")).longValue()).isZero();
		Response badStart = post("/actuator/dbfault/dataSource/down", "{\"startAfter\":\"10\"}");
		assertThat(badStart.status()).isEqualTo(400);
		assertThat(badStart.json()).containsEntry("parameter", "startAfter");
		assertThat(list(get("/actuator/dbfault/dataSource").json().get("faults"))).isEmpty();
		assertThat(selectOne()).isEqualTo(1);
	}

	@Test
	void anApplicationWithoutANameIsNamedAsSpringBootNamesItsContext() {
		selectOne();
		Map<String, Object> instance = map(get("/actuator/dbfault").json().get("instance"));
		assertThat(instance).containsEntry("application", "application").containsKeys("id", "startedAt");
	}

	@ParameterizedTest(name = "{0} as {1}")
	@CsvSource(delimiter = '|', textBlock = """
			[]            | application/x-www-form-urlencoded | an array
			[1, 2]        | application/json                  | an array
			[             | application/x-www-form-urlencoded | an array
			5             | application/x-www-form-urlencoded | the number 5
			"latency=5ms" | application/x-www-form-urlencoded | the text "latency=5ms"
			"latency=5ms" | text/plain                        | the text "latency=5ms"
			null          | application/x-www-form-urlencoded | null
			true          | application/json                  | true
			""")
	void aBodyThatIsJsonButNotAnObjectIsA400SayingWhatItIsWhateverItsContentType(String body, String contentType,
			String was) {
		selectOne();
		Response response = send("POST", "/actuator/dbfault/dataSource/latency", body.getBytes(StandardCharsets.UTF_8),
				contentType);
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.json()).containsOnlyKeys("status", "message")
			.containsEntry("message", "the body must be a JSON object such as {\"latency\":\"200ms\"}, was " + was);
		assertThat(proxy().faults()).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', nullValues = "none", textBlock = """
			application/json                    | ''
			none                                | ''
			application/json; charset=ISO-8859-1 | ' (it is declared ISO-8859-1; dbfault reads JSON as UTF-8 only)'
			""")
	void aBodyThatIsNotUtf8IsA400SayingWhereItStopsBeingUtf8(String contentType, String declared) {
		selectOne();
		// the ISO-8859-1 e-acute (0xE9) at byte 13 begins no UTF-8 character
		byte[] latin1 = "{\"match\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
		Response response = send("POST", "/actuator/dbfault/dataSource/sql-error", latin1, contentType);
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.json()).containsEntry("status", 400)
			.containsEntry("message", "The request body is not valid UTF-8: byte 13 (0xE9) of 16 does not begin or"
					+ " continue a UTF-8 character" + declared + "; send the parameters as UTF-8 JSON, such as"
					+ " {\"latency\":\"200ms\"}");
		assertThat(proxy().faults()).isEmpty();
		Response cutOff = send("POST", "/actuator/dbfault/dataSource/sql-error",
				java.util.Arrays.copyOf("{\"match\":\"\u00e9".getBytes(StandardCharsets.UTF_8), 11), "application/json");
		assertThat(cutOff.status()).isEqualTo(400);
		assertThat(cutOff.json().get("message").toString()).startsWith(
				"The request body is not valid UTF-8: byte 10 (0xC3) of 11 begins a UTF-8 character that the body cuts off;");
		assertThat(proxy().faults()).isEmpty();
	}

	@Test
	void parametersInTheQueryStringOfAnInjectionAreRefusedByNameNotIgnored() {
		selectOne();
		Response alone = post("/actuator/dbfault/dataSource/latency?latency=5ms", "");
		assertThat(alone.status()).as(alone.body()).isEqualTo(400);
		assertThat(alone.json()).containsEntry("parameter", "latency")
			.containsEntry("message", "Parameters go in the JSON body, not the query string: latency (send"
					+ " {\"latency\":\"5ms\"} as the body, with Content-Type: application/json)");
		Response besideABody = post("/actuator/dbfault/dataSource/latency?jitter=1ms&times=3", "{\"latency\":\"5ms\"}");
		assertThat(besideABody.status()).as(besideABody.body()).isEqualTo(400);
		assertThat(besideABody.json()).containsEntry("parameter", "jitter")
			.containsEntry("message", "Parameters go in the JSON body, not the query string: jitter, times (send"
					+ " {\"jitter\":\"1ms\",\"times\":\"3\"} as the body, with Content-Type: application/json)");
		assertThat(proxy().faults()).isEmpty();
	}

	@Test
	void everyCountParameterStatesItsRangeTheSameWayWhicheverEndIsPassed() {
		selectOne();
		for (String[] bad : List.of(new String[] { "times", "0", "times must be 1 to 1000000000, was 0" },
				new String[] { "times", "2000000000", "times must be 1 to 1000000000, was 2000000000" },
				new String[] { "after", "-1", "after must be 0 to 1000000000, was -1" },
				new String[] { "after", "2000000000", "after must be 0 to 1000000000, was 2000000000" })) {
			Response response = post("/actuator/dbfault/dataSource/latency",
					"{\"latency\":\"5ms\",\"" + bad[0] + "\":" + bad[1] + "}");
			assertThat(response.status()).as(response.body()).isEqualTo(400);
			assertThat(response.json()).containsEntry("parameter", bad[0]).containsEntry("message", bad[2]);
		}
		Map<String, Object> latency = list(get("/actuator/dbfault?include=faultTypes").json().get("faultTypes")).stream()
			.map(DbFaultEndpointHttpTests::map)
			.filter((type) -> type.get("type").equals("latency"))
			.findFirst()
			.orElseThrow();
		assertThat(list(latency.get("parameters")).stream().map(DbFaultEndpointHttpTests::map)
			.filter((parameter) -> parameter.get("name").equals("times"))
			.findFirst()
			.orElseThrow()).containsEntry("range", "1 to 1000000000");
		assertThat(proxy().faults()).isEmpty();
	}

	@Test
	void getOneProxyAndA404ForAnUnknownOne() {
		assertThat(get("/actuator/dbfault/dataSource").json()).containsEntry("name", "dataSource");
		Response unknown = get("/actuator/dbfault/nosuch");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.json().get("message").toString()).contains("nosuch").contains("dataSource");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			reset         | {}
			close         | {}
			refuse        | {"times": 2}
			down          | {"duration": "1s"}
			blackhole     | {"direction": "upstream", "duration": "2s"}
			stall-connect | {"times": 1}
			latency       | {"latency": "20ms", "jitter": "5ms", "direction": "both"}
			bandwidth     | {"rate": "1MB"}
			slow-close    | {"delay": "50ms"}
			timeout       | {"timeout": "10s"}
			reset-peer    | {"timeout": "30s"}
			slicer        | {"averageSize": "64B", "sizeVariation": "32B", "delay": "1ms"}
			limit-data    | {"bytes": "10MB"}
			""")
	void everyTcpFaultCanBePosted(String type, String body) {
		selectOne();
		Response response = post("/actuator/dbfault/dataSource/" + type, body);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Map<String, Object> fault = response.json();
		assertThat(fault.get("id").toString()).startsWith(type + "-");
		assertThat(fault).containsEntry("type", type).containsEntry("proxy", "dataSource");
		List<String> listed = list(map(get("/actuator/dbfault/dataSource").json()).get("faults")).stream()
			.map((each) -> map(each).get("id").toString())
			.toList();
		if (type.equals("reset") || type.equals("close")) {
			assertThat(fault).containsEntry("state", "removed");
			assertThat(((Number) fault.get("fired")).intValue()).isPositive();
			assertThat(listed).isEmpty();
		}
		else {
			assertThat(fault).containsEntry("state", "active");
			assertThat(((Number) fault.get("timeLeftMillis")).longValue()).isPositive();
			assertThat(listed).containsExactly(fault.get("id").toString());
		}
	}

	@Test
	void aPostedResetBreaksLiveConnectionsAndThePoolRecovers() {
		selectOne();
		long before = proxy().stats().totalConnections();
		assertThat(post("/actuator/dbfault/dataSource/reset", "").status()).isEqualTo(200);
		awaitDataSource(Duration.ofSeconds(10));
		assertThat(selectOne()).isEqualTo(1);
		assertThat(proxy().stats().totalConnections()).isGreaterThan(before);
	}

	@Test
	void aPostedLatencySlowsQueriesUntilItIsDeleted() {
		selectOne();
		String id = post("/actuator/dbfault/dataSource/latency", "{\"latency\": \"200ms\"}").json().get("id").toString();
		long start = System.nanoTime();
		selectOne();
		assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(199);
		assertThat(delete("/actuator/dbfault/dataSource/" + id).status()).isEqualTo(200);
		start = System.nanoTime();
		selectOne();
		assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(150);
	}

	@Test
	void aPostedSqlErrorFailsMatchingStatementsWithItsSqlState() {
		assertThat(post("/actuator/dbfault/dataSource/sql-error",
				"{\"match\": \"dbfault_http_probe\", \"sqlState\": \"40001\", \"times\": 1}").status())
			.isEqualTo(200);
		Throwable failure = org.assertj.core.api.Assertions
			.catchThrowable(() -> this.jdbc.queryForObject("select 'dbfault_http_probe'", String.class));
		assertThat(failure).isNotNull();
		Throwable cause = failure;
		while (!(cause instanceof java.sql.SQLException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		assertThat(((java.sql.SQLException) cause).getSQLState()).isEqualTo("40001");
		assertThat(this.jdbc.queryForObject("select 'dbfault_http_probe'", String.class)).isEqualTo("dbfault_http_probe");
	}

	@Test
	void theJournalSaysWhatFiredOnWhichConnectionAndReadsFromAnEntryOrOneFault() {
		Map<String, Object> first = get("/actuator/dbfault/dataSource/journal").json();
		long next = ((Number) first.get("next")).longValue();
		assertThat(first).containsEntry("proxy", "dataSource").containsEntry("size", 1000);
		Response injected = post("/actuator/dbfault/dataSource/sql-error",
				"{\"id\": \"probe-fails\", \"match\": \"dbfault_journal_probe\", \"sqlState\": \"40001\", \"seed\": 42}");
		assertThat(injected.status()).isEqualTo(200);
		assertThat(injected.json()).containsEntry("seed", 42);
		int pid = this.jdbc.queryForObject("select pg_backend_pid()", Integer.class);
		org.assertj.core.api.Assertions
			.catchThrowable(() -> this.jdbc.queryForObject("select 'dbfault_journal_probe'", String.class));
		Map<String, Object> journal = get("/actuator/dbfault/dataSource/journal?since=" + next).json();
		assertThat(list(journal.get("entries"))).singleElement().satisfies((entry) -> {
			assertThat(map(entry)).containsEntry("fault", "probe-fails")
				.containsEntry("type", "sql-error")
				.containsEntry("seed", 42)
				.containsEntry("fired", 1)
				.containsEntry("statement", "select 'dbfault_journal_probe'")
				.containsEntry("action", "40001 instead of the statement");
			assertThat(map(map(entry).get("connection"))).containsKeys("number", "client", "user", "database");
			// the pool has one connection here, so the probe ran on the backend that answered pg_backend_pid()
			assertThat(map(map(entry).get("connection")).get("backendPid")).isEqualTo(pid);
		});
		assertThat(list(get("/actuator/dbfault/dataSource/journal?fault=probe-fails&since=1m").json().get("entries")))
			.hasSize(1);
		assertThat(list(get("/actuator/dbfault/dataSource/journal?fault=other").json().get("entries"))).isEmpty();
		long after = ((Number) journal.get("next")).longValue();
		assertThat(list(get("/actuator/dbfault/dataSource/journal?since=" + after).json().get("entries"))).isEmpty();
		assertThat(list(get("/actuator/dbfault/dataSource/journal?since=2999-01-01T00:00:00Z").json().get("entries")))
			.isEmpty();
		org.assertj.core.api.Assertions
			.catchThrowable(() -> this.jdbc.queryForObject("select 'dbfault_journal_probe'", String.class));
		Map<String, Object> page = get("/actuator/dbfault/dataSource/journal?fault=probe-fails&limit=1").json();
		assertThat(list(page.get("entries"))).hasSize(1);
		assertThat(page).containsEntry("more", true);
		Map<String, Object> rest = get("/actuator/dbfault/dataSource/journal?fault=probe-fails&since=" + page.get("next"))
			.json();
		assertThat(list(rest.get("entries"))).singleElement()
			.satisfies((entry) -> assertThat(map(entry)).containsEntry("fired", 2));
		assertThat(rest).containsEntry("more", false);
		assertThat(get("/actuator/dbfault/dataSource/journal?limit=0").json()).containsEntry("parameter", "limit");
		assertThat(list(get("/actuator/dbfault/dataSource/journal?since=" + "9".repeat(25)).json().get("entries")))
			.isEmpty();
		Response misspelt = get("/actuator/dbfault/dataSource/journal?Since=1");
		assertThat(misspelt.status()).isEqualTo(400);
		assertThat(misspelt.json()).containsEntry("parameter", "Since");
		Response bad = get("/actuator/dbfault/dataSource/journal?since=yesterday");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.json()).containsEntry("parameter", "since");
		assertThat(get("/actuator/dbfault/nosuch/journal").status()).isEqualTo(404);
	}

	@ParameterizedTest(name = "{0}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			latency   | {"latency": "-5ms"}                         | latency          | latency must not be negative
			latency   | {"latency": "10ms", "probability": 2}       | probability      | probability must be between 0 and 1, was 2
			latency   | {"latency": "10ms", "direction": "sideways"}| direction        | direction must be one of upstream, downstream, both
			latency   | {"latency": "soon"}                         | latency          | cannot parse 'soon' as a duration
			latency   | {}                                          | latency          | latency is required for fault latency
			latency   | {"latency": "10ms", "jiter": "1ms"}         | jiter            | Unknown parameter 'jiter' for fault latency
			bandwidth | {"rate": "10ms"}                            | rate             | cannot parse '10ms' as a size
			sql-error | {"match": "(", "sqlState": "40001"}         | match            | match is not a valid regular expression
			sql-error | {"match": "x", "sqlState": "00000"}         | sqlState         | must be an error SQLSTATE
			reset     | {"duration": "1s"}                          | duration         | duration does not apply to reset
			drop-on   | {"match": "x", "when": "during"}            | when             | when must be one of before, after
			""")
	void badInputIsA400NamingTheParameterAndNothingIsApplied(String type, String body, String parameter,
			String message) {
		Response response = post("/actuator/dbfault/dataSource/" + type, body);
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.json()).containsEntry("parameter", parameter).containsEntry("status", 400);
		assertThat(response.json().get("message").toString()).contains(message);
		assertThat(proxy().faults()).isEmpty();
	}

	@Test
	void unknownProxyFaultTypeOrFaultIdIsA404() {
		Response unknownProxy = post("/actuator/dbfault/nosuch/latency", "{\"latency\": \"1ms\"}");
		assertThat(unknownProxy.status()).isEqualTo(404);
		assertThat(unknownProxy.json().get("message").toString()).contains("No proxy named 'nosuch'");
		Response unknownType = post("/actuator/dbfault/dataSource/explode", "{}");
		assertThat(unknownType.status()).isEqualTo(404);
		assertThat(unknownType.json().get("message").toString()).contains("Unknown fault type 'explode'");
		assertThat(delete("/actuator/dbfault/dataSource/latency-999").status()).isEqualTo(404);
		assertThat(delete("/actuator/dbfault/nosuch").status()).isEqualTo(404);
		assertThat(delete("/actuator/dbfault/nosuch/latency-1").status()).isEqualTo(404);
		assertThat(proxy().faults()).isEmpty();
	}

	@Test
	void deleteRemovesOneFaultAllFaultsOfAProxyOrEverything() {
		String first = post("/actuator/dbfault/dataSource/latency", "{\"latency\": \"1ms\"}").json().get("id").toString();
		post("/actuator/dbfault/dataSource/slicer", "{\"averageSize\": \"1000B\"}");
		Response removed = delete("/actuator/dbfault/dataSource/" + first);
		assertThat(removed.status()).isEqualTo(200);
		assertThat(removed.json()).containsEntry("id", first).containsEntry("state", "removed");
		assertThat(proxy().faults()).hasSize(1);
		post("/actuator/dbfault/dataSource/latency", "{\"latency\": \"1ms\"}");
		Response proxyHealed = delete("/actuator/dbfault/dataSource");
		assertThat(proxyHealed.json()).containsEntry("healed", 2);
		assertThat(proxy().faults()).isEmpty();
		post("/actuator/dbfault/dataSource/latency", "{\"latency\": \"1ms\"}");
		Response everything = delete("/actuator/dbfault");
		assertThat(everything.status()).isEqualTo(200);
		assertThat(everything.json()).containsEntry("healed", 1);
	}

	@Test
	void healingEverythingReturnsPromptlyWhileConnectionsAreBlackholedAndStalled() throws Exception {
		selectOne();
		post("/actuator/dbfault/dataSource/blackhole", "{}");
		post("/actuator/dbfault/dataSource/stall-connect", "{}");
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<?> stuck = executor.submit(() -> this.jdbc.queryForObject("select 1", Integer.class));
			long start = System.nanoTime();
			Response healed = delete("/actuator/dbfault");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
			assertThat(healed.json()).containsEntry("healed", 2);
			try {
				stuck.get(10, TimeUnit.SECONDS);
			}
			catch (java.util.concurrent.ExecutionException ex) {
				// the query that was blackholed may time out; what matters is that it ends
			}
		}
		finally {
			executor.shutdownNow();
		}
		awaitDataSource(Duration.ofSeconds(10));
	}

	@Test
	void healthShowsDbfaultAndStaysUpWhileFaultsAreActive() {
		post("/actuator/dbfault/dataSource/latency", "{\"latency\": \"1ms\"}");
		Response health = get("/actuator/health");
		Map<String, Object> dbfault = map(map(health.json().get("components")).get("dbfault"));
		assertThat(dbfault).containsEntry("status", "UP");
		assertThat(map(dbfault.get("details"))).containsEntry("activeFaults", 1);
	}

	@Test
	void concurrentPostsAndDeletesWhileQueriesFlowNeverFail() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger queries = new AtomicInteger();
		AtomicInteger requests = new AtomicInteger();
		List<Integer> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
		ExecutorService executor = Executors.newFixedThreadPool(5);
		List<Future<?>> tasks = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				tasks.add(executor.submit(() -> {
					while (running.get()) {
						assertThat(selectOne()).isEqualTo(1);
						queries.incrementAndGet();
					}
					return null;
				}));
			}
			for (int i = 0; i < 2; i++) {
				tasks.add(executor.submit(() -> {
					while (running.get()) {
						Response posted = post("/actuator/dbfault/dataSource/latency", "{\"latency\": \"2ms\"}");
						if (posted.status() != 200) {
							unexpected.add(posted.status());
							continue;
						}
						Response removed = delete("/actuator/dbfault/dataSource/" + posted.json().get("id"));
						if (removed.status() != 200 && removed.status() != 404) {
							unexpected.add(removed.status());
						}
						Response healed = delete("/actuator/dbfault");
						if (healed.status() != 200) {
							unexpected.add(healed.status());
						}
						requests.addAndGet(3);
					}
					return null;
				}));
			}
			Thread.sleep(2000);
			running.set(false);
			for (Future<?> task : tasks) {
				task.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			running.set(false);
			executor.shutdownNow();
		}
		assertThat(unexpected).isEmpty();
		assertThat(requests.get()).isGreaterThan(100);
		assertThat(queries.get()).isGreaterThan(100);
		FaultProxy proxy = proxy();
		assertThat(proxy.state()).isEqualTo(FaultProxy.State.RUNNING);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
