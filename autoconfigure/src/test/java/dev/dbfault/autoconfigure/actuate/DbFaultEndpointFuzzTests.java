package dev.dbfault.autoconfigure.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.management.MBeanException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Generated bad input for every fault type and every parameter, through the real HTTP
 * endpoint (and JMX) of a running application: every request gets an answer within a
 * second, none is a 5xx, every refusal carries a message (and names the parameter when one
 * was at fault), and after each refusal the proxy has no fault.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbfault.enabled=true", "management.endpoint.dbfault.access=unrestricted",
				"management.endpoints.web.exposure.include=dbfault", "spring.jmx.enabled=true",
				"management.endpoints.jmx.exposure.include=dbfault", "spring.datasource.hikari.maximum-pool-size=2" })
class DbFaultEndpointFuzzTests {

	/** What any client may wait for an answer: the endpoint never makes a caller wait longer. */
	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final String MEGABYTE = "a".repeat(1 << 20);

	/** Bad values of every JSON type, as JSON text; some are good for some parameters. */
	private static final List<String> VALUES = List.of("[1]", "[]", "{}", "{\"a\":1}", "true", "false", "-1", "0",
			"1", "1.5", "123", "1e400", "-1e400", "1e-400", "99999999999999999999", "\"\"", "\" \"", "\"-1\"",
			"\"-1s\"", "\"NaN\"", "\"Infinity\"", "\"10\"", "\"1.5s\"", "\"2 seconds\"", "\"999999999999d\"",
			"\"99999999999999999999d\"", "\"999999999999TB\"", "\"99999999999999999999\"", "\"PT99999999999999999999S\"",
			"\"P-1D\"", "\"\\u65e5\\u672c\"", "\"\\u0000\"", "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"(\"", "\"[a-\"",
			"\"(.*a){12}x\"", "\"both\"", "\"sideways\"", "\"00000\"", "\"" + "a".repeat(1001) + "\"",
			"\"" + "7".repeat(5000) + "\"", "\"" + MEGABYTE + "\"");

	/** Bodies that are not a JSON object of parameters. */
	private static final List<String> BODIES = List.of("{", "}", "[]", "[1,2]", "\"x\"", "1", "null", "true", "{} {}",
			"{\"times\":1,\"times\":2}", "{\"times\":01}", "{times:1}", "{'times':1}", "{\"a\":\"\\x\"}", "\u0000",
			"[".repeat(100_000), "{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}", "{\"" + MEGABYTE + "\":1}",
			"latency=10", "\ufeff{}");

	private static final List<String> CONTENT_TYPES = List.of("", "application/json", "text/plain",
			"application/x-www-form-urlencoded", "application/json; charset=ISO-8859-1", "multipart/form-data",
			"application/xml");

	private static int requests;

	private static int serverErrors;

	private static long slowest;

	@LocalServerPort
	private int port;

	@Autowired
	private DbFaultProxies proxies;

	@Autowired
	private JdbcTemplate jdbc;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.get().springProperties("socketTimeout=5").forEach((name, value) -> registry.add(name, () -> value));
	}

	@BeforeEach
	void warmUp() {
		// the first request initialises the dispatcher servlet; it is not what is measured
		send("GET", "/actuator/dbfault", null, null);
	}

	@AfterAll
	static void report() {
		System.out.println("dbfault endpoint fuzz: " + requests + " requests, " + serverErrors
				+ " answered 5xx, slowest answer " + slowest + " ms");
	}

	@Test
	void everyBadValueOfEveryParameterIsRefusedByNameAndAppliesNothing() {
		int refused = 0;
		for (FaultType type : FaultType.values()) {
			for (FaultParameter parameter : type.allParameters()) {
				for (String value : VALUES) {
					Map<String, String> body = validBody(type);
					body.put(parameter.name(), value);
					Answer answer = post("dataSource/" + type.id(), json(body), "application/json");
					String what = type.id() + " " + parameter.name() + "=" + shorten(value) + " -> " + shorten(answer.body());
					if (mustBeRefused(parameter, value)) {
						assertThat(answer.status()).as(what).isNotEqualTo(200);
					}
					if (answer.status() == 200) {
						this.proxies.healAll();
						continue;
					}
					refused++;
					if (value.length() > DbFaultEndpointRequestFilter.MAX_BODY) {
						assertThat(answer.status()).as(what).isEqualTo(413);
					}
					else {
						assertThat(answer.status()).as(what).isEqualTo(400);
						assertThat(answer.json()).as(what).containsEntry("parameter", parameter.name());
					}
					assertThat((String) answer.json().get("message")).as(what).isNotBlank();
					assertNothingApplied(what);
				}
			}
		}
		assertThat(refused).isGreaterThan(FaultType.values().length * 10);
	}

	@Test
	void everyBadIdIsRefusedByNameAndAppliesNothing() {
		for (String value : VALUES) {
			Answer answer = post("dataSource/latency", "{\"id\":" + value + ",\"latency\":\"5ms\"}", "application/json");
			String what = "id=" + shorten(value) + " -> " + shorten(answer.body());
			boolean goodId = value.matches("\"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}\"");
			if (goodId) {
				assertThat(answer.status()).as(what).isEqualTo(200);
				this.proxies.healAll();
				continue;
			}
			assertThat(answer.status()).as(what).isIn(400, 413);
			if (answer.status() == 400) {
				assertThat(answer.json()).as(what).containsEntry("parameter", "id");
			}
			assertNothingApplied(what);
		}
	}

	@Test
	void malformedBodiesAndEveryContentTypeGetA400WithAMessage() {
		for (String contentType : CONTENT_TYPES) {
			for (String body : BODIES) {
				Answer answer = post("dataSource/latency", body, contentType);
				String what = "[" + contentType + "] " + shorten(body) + " -> " + shorten(answer.body());
				assertThat(answer.status()).as(what).isIn(400, 413);
				assertThat((String) answer.json().get("message")).as(what).isNotBlank();
				assertNothingApplied(what);
			}
			Answer noBody = post("dataSource/reset", null, contentType);
			assertThat(noBody.status()).as("[%s] no body: %s", contentType, noBody.body()).isEqualTo(200);
			Answer good = post("dataSource/latency", "{\"latency\":\"5ms\"}", contentType);
			assertThat(good.status()).as("[%s] %s", contentType, good.body()).isEqualTo(200);
			this.proxies.healAll();
		}
	}

	@Test
	void generatedBodiesNeverGetA5xx() {
		SplittableRandom random = new SplittableRandom(14);
		String alphabet = "{}[]\":,\\ 0123456789.eE+-abcdefghijklmnopqrstuvwxyztruefalsenull\u00e9\u65e5\u0000\n";
		List<String> types = new ArrayList<>(FaultType.values().length);
		for (FaultType type : FaultType.values()) {
			types.add(type.id());
		}
		for (int i = 0; i < 600; i++) {
			StringBuilder body = new StringBuilder();
			if (random.nextBoolean()) {
				body.append("{\"").append(anyName(random)).append("\":");
			}
			int length = random.nextInt(40);
			for (int j = 0; j < length; j++) {
				body.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			String type = types.get(random.nextInt(types.size()));
			Answer answer = post("dataSource/" + type, body.toString(), (random.nextBoolean()) ? "application/json" : "");
			assertThat(answer.status()).as("%s %s -> %s", type, body, answer.body()).isIn(200, 400);
			if (answer.status() == 200) {
				this.proxies.healAll();
			}
			else {
				assertThat((String) answer.json().get("message")).isNotBlank();
				assertNothingApplied(type + " " + body);
			}
		}
	}

	@Test
	void everyBadJournalQueryIsRefusedByNameAndNoneIsAServerError() {
		for (String value : VALUES) {
			String content = (value.startsWith("\"") && value.length() > 1) ? value.substring(1, value.length() - 1)
					: value;
			String encoded = java.net.URLEncoder.encode(content, java.nio.charset.StandardCharsets.UTF_8);
			if (encoded.length() > 4000) {
				// a request line this long is refused by the server (its header limit) before any endpoint
				continue;
			}
			for (String parameter : List.of("since", "fault", "limit")) {
				Answer answer = send("GET", "/actuator/dbfault/dataSource/journal?" + parameter + "=" + encoded, null,
						null);
				String what = parameter + "=" + shorten(content) + " -> " + shorten(answer.body());
				assertThat(answer.status()).as(what).isIn(200, 400, 414);
				assertThat(answer.body()).as(what).startsWith("{");
				if (answer.status() == 400) {
					assertThat(answer.json()).as(what).containsEntry("parameter", parameter);
					assertThat((String) answer.json().get("message")).as(what).isNotBlank();
				}
				else if (answer.status() == 200) {
					assertThat(answer.json()).as(what).containsKeys("proxy", "size", "next", "more", "entries");
				}
			}
		}
	}

	@Test
	void unknownPathsMethodsProxiesAndTypesAreNamed() {
		assertRefused("PUT", "", 405, "PUT is not accepted");
		assertRefused("PATCH", "/dataSource", 405, "POST /actuator/dbfault/{proxy}/{fault} injects a fault");
		assertRefused("POST", "", 405, "POST is not accepted");
		assertRefused("POST", "/dataSource", 405, "POST /actuator/dbfault/{proxy}/{fault}");
		assertRefused("GET", "/dataSource/reset", 404, "has nothing at 'reset' to read: GET .../dataSource/journal");
		assertRefused("PUT", "/dataSource/journal", 405, "GET /actuator/dbfault/{proxy}/journal");
		assertRefused("GET", "/dataSource/reset/now", 404, "No dbfault resource");
		assertRefused("POST", "/dataSource//reset", 404, "No dbfault resource");
		assertRefused("POST", "/nosuch/reset", 404, "No proxy named 'nosuch' (proxies: [dataSource])");
		assertRefused("POST", "/dataSource/explode", 404, "Unknown fault type 'explode' (known: reset,");
		assertRefused("POST", "/dataSource/scenario", 400, "a scenario needs an id");
		assertRefused("POST", "/dataSource/" + "x".repeat(5000), 404, "(5000 characters)");
		assertRefused("DELETE", "/dataSource/latency-99", 404, "has no fault or scenario 'latency-99'");
		assertRefused("GET", "/nosuch", 404, "No proxy named 'nosuch'");
	}

	@Test
	void aPatternThatBacktracksWithoutEndDoesNotStallTheProxy() {
		Answer answer = post("dataSource/sql-error", "{\"match\":\"(.*a){12}x\"}", null);
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		long start = System.nanoTime();
		String statement = "select '" + "a".repeat(40) + "'";
		for (int i = 0; i < 3; i++) {
			assertThat(this.jdbc.queryForObject(statement, String.class)).hasSize(40);
		}
		// unbounded, the first statement would hold the proxy's thread for years; bounded, each
		// search gives up within milliseconds (the allowance is for a loaded machine)
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		this.proxies.healAll();
	}

	@Test
	void jmxRefusesBadValuesWithTheSameMessages() throws Exception {
		MBeanServer server = ManagementFactory.getPlatformMBeanServer();
		ObjectName name = server.queryNames(new ObjectName("org.springframework.boot:type=Endpoint,name=Dbfault,*"), null)
			.iterator()
			.next();
		String[] signature = new String[4];
		java.util.Arrays.fill(signature, String.class.getName());
		int calls = 0;
		for (FaultType type : FaultType.values()) {
			for (FaultParameter parameter : type.allParameters()) {
				for (String value : List.of("10", "-1", "999999999999d", "99999999999999999999", "NaN", "", MEGABYTE)) {
					Map<String, String> body = validBody(type);
					body.put(parameter.name(), value);
					Object[] arguments = jmxArguments(type, body);
					calls++;
					try {
						server.invoke(name, "inject", arguments, signature);
						this.proxies.healAll();
					}
					catch (MBeanException ex) {
						// Spring Boot's JMX face passes the message on in an IllegalStateException
						assertThat(ex.getCause()).as("%s %s=%s", type.id(), parameter.name(), shorten(value))
							.isInstanceOfAny(IllegalArgumentException.class, IllegalStateException.class)
							.hasMessageContaining(parameter.name());
						assertNothingApplied(type.id() + " over JMX");
					}
				}
			}
		}
		requests += calls;
	}

	@Test
	@SuppressWarnings("unchecked")
	void theJournalReadsOverJmxAndRefusesBadQueriesByName() throws Exception {
		MBeanServer server = ManagementFactory.getPlatformMBeanServer();
		ObjectName name = server.queryNames(new ObjectName("org.springframework.boot:type=Endpoint,name=Dbfault,*"), null)
			.iterator()
			.next();
		String[] signature = new String[5];
		java.util.Arrays.fill(signature, String.class.getName());
		Object answer = server.invoke(name, "journal", new Object[] { "dataSource", "journal", null, "1", "5" },
				signature);
		assertThat((Map<String, Object>) answer).containsKeys("proxy", "size", "next", "more", "entries");
		for (String[] bad : List.of(new String[] { "since", "yesterday" }, new String[] { "limit", "0" },
				new String[] { "fault", "bad id!" })) {
			Object[] arguments = { "dataSource", "journal", null, null, null };
			arguments[2 + List.of("fault", "since", "limit").indexOf(bad[0])] = bad[1];
			assertThatExceptionOfType(MBeanException.class)
				.isThrownBy(() -> server.invoke(name, "journal", arguments, signature))
				.satisfies((ex) -> assertThat(ex.getCause()).hasMessageContaining(bad[0]));
		}
	}

	/**
	 * The JMX operation takes the fault's parameters as one JSON object of strings: the
	 * values of the HTTP body, as text.
	 */
	private Object[] jmxArguments(FaultType type, Map<String, String> body) {
		StringBuilder parameters = new StringBuilder("{");
		body.forEach((name, value) -> {
			String text = (value != null && value.startsWith("\"")) ? value.substring(1, value.length() - 1) : value;
			parameters.append((parameters.length() > 1) ? "," : "").append(JsonText.quote(name)).append(':')
				.append((text != null) ? JsonText.quote(text) : "null");
		});
		return new Object[] { "dataSource", type.id(), null, parameters.append('}').toString() };
	}

	private static String anyName(SplittableRandom random) {
		List<String> names = List.of("latency", "jitter", "rate", "times", "after", "probability", "duration", "match",
				"direction", "x");
		return names.get(random.nextInt(names.size()));
	}

	/**
	 * Whether no parameter of this kind may accept the value: the wrong JSON type, text too
	 * long or with a NUL, a duration or size without its unit, an amount beyond any range.
	 */
	private static boolean mustBeRefused(FaultParameter parameter, String value) {
		boolean text = value.startsWith("\"");
		String content = text ? value.substring(1, value.length() - 1) : value;
		boolean bool = value.equals("true") || value.equals("false");
		if (value.startsWith("[") || value.startsWith("{") || (bool && !parameter.choices().contains(value))
				|| content.length() > FaultParameter.MAX_TEXT) {
			return true;
		}
		if (parameter.kind() == FaultParameter.Kind.TEXT && content.equals("\\u0000")) {
			return true;
		}
		return switch (parameter.kind()) {
			case COUNT -> content.startsWith("-") || content.contains(".") || content.contains("e")
					|| content.contains("d") || content.length() > 10 || content.isBlank();
			case RATIO -> !text && !content.matches("0|1|1e-400");
			case DURATION, SIZE -> !text || content.matches("-?[1-9][0-9]*") || content.contains("99999999999");
			case REGEX, TEXT, SQLSTATE -> !text;
			case CHOICE -> !text && !bool;
		};
	}

	private static Map<String, String> validBody(FaultType type) {
		Map<String, String> body = new LinkedHashMap<>();
		for (FaultParameter parameter : type.parameters()) {
			if (parameter.required()) {
				body.put(parameter.name(), switch (parameter.kind()) {
					case DURATION -> "\"5ms\"";
					case SIZE -> "\"1MB\"";
					case COUNT -> "1";
					case REGEX -> "\"never_matches_a_statement\"";
					default -> "\"x\"";
				});
			}
		}
		return body;
	}

	private static String json(Map<String, String> body) {
		StringBuilder json = new StringBuilder("{");
		body.forEach((name, value) -> json.append((json.length() > 1) ? "," : "").append('"').append(name).append("\":")
			.append(value));
		return json.append('}').toString();
	}

	private void assertRefused(String method, String path, int status, String message) {
		Answer answer = send(method, "/actuator/dbfault" + path, null, null);
		assertThat(answer.status()).as("%s %s: %s", method, shorten(path), answer.body()).isEqualTo(status);
		assertThat((String) answer.json().get("message")).as("%s %s: %s", method, shorten(path), answer.body())
			.contains(message);
	}

	private void assertNothingApplied(String what) {
		Answer proxy = send("GET", "/actuator/dbfault/dataSource", null, null);
		assertThat((List<?>) proxy.json().get("faults")).as("faults after %s", what).isEmpty();
	}

	private Answer post(String path, String body, String contentType) {
		return send("POST", "/actuator/dbfault/" + path, body, contentType);
	}

	private Answer send(String method, String path, String body, String contentType) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (contentType != null && !contentType.isEmpty()) {
			builder.header("Content-Type", contentType);
		}
		long start = System.nanoTime();
		try {
			HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
			long millis = (System.nanoTime() - start) / 1_000_000;
			requests++;
			slowest = Math.max(slowest, millis);
			if (response.statusCode() >= 500) {
				serverErrors++;
			}
			assertThat(response.statusCode()).as("%s %s -> %s", method, shorten(path), shorten(response.body()))
				.isLessThan(500);
			assertThat(Duration.ofMillis(millis)).as("answer time of %s %s", method, shorten(path))
				.isLessThan(ANSWER_WITHIN);
			return new Answer(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String shorten(String text) {
		return (text == null || text.length() <= 200) ? text : text.substring(0, 150) + "… (" + text.length() + ")";
	}

	record Answer(int status, String body) {

		Map<String, Object> json() {
			return JsonParserFactory.getJsonParser().parseMap(this.body);
		}

	}

}
