package dev.dbfault.core.toxiproxy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.internal.text.Json;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Resources;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.testdb.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dbfault's Toxiproxy API over raw HTTP, for what the Java client does not use: PATCH,
 * populate, the exact error answers, the browser check, proxies given by an application,
 * and generated hostile requests.
 */
class ToxiproxyHttpTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final List<FaultProxy> given = new ArrayList<>();

	private ToxiproxyApi api;

	private Upstream upstream;

	private String upstreamAddress;

	@BeforeEach
	void start() {
		this.upstream = Upstream.echo();
		this.upstreamAddress = "127.0.0.1:" + this.upstream.port();
		this.api = ToxiproxyApi.builder().listen("127.0.0.1", 0).proxies(() -> this.given).start();
	}

	@AfterEach
	void stop() {
		this.api.close();
		this.given.forEach(FaultProxy::stop);
		this.upstream.close();
	}

	private Response send(String method, String path, String body) {
		return send(method, path, body, "Java-http-client");
	}

	private Response send(String method, String path, String body, String userAgent) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.api.address().getPort() + path))
			.timeout(TIMEOUT)
			.header("User-Agent", userAgent)
			// the body is JSON whatever the Content-Type says, as Toxiproxy's clients expect
			.header("Content-Type", "application/x-www-form-urlencoded")
			.method(method, (body != null) ? BodyPublishers.ofString(body) : BodyPublishers.noBody())
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(),
					response.headers().firstValue("Content-Type").orElse(""),
					response.headers().firstValue("Allow").orElse(null));
		}
		catch (IOException ex) {
			throw new AssertionError(method + " " + path + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private Map<String, Object> createProxy(String name) {
		Response created = send("POST", "/proxies",
				"{\"name\":\"" + name + "\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + this.upstreamAddress + "\"}");
		assertThat(created.status).as(created.body).isEqualTo(201);
		return created.object();
	}

	@Test
	void errorAnswersCarryToxiproxysBodies() {
		createProxy("db");
		assertError(send("GET", "/proxies/nope", null), 404, "proxy not found");
		assertError(send("GET", "/proxies/db/toxics/nope", null), 404, "toxic not found");
		assertError(send("DELETE", "/proxies/db/toxics/nope", null), 404, "toxic not found");
		assertError(send("POST", "/proxies", "{\"name\":\"db\",\"upstream\":\"" + this.upstreamAddress + "\"}"), 409,
				"proxy already exists");
		assertError(send("POST", "/proxies", "{\"upstream\":\"" + this.upstreamAddress + "\"}"), 400,
				"missing required field: name");
		assertError(send("POST", "/proxies", "{\"name\":\"x\"}"), 400, "missing required field: upstream");
		assertError(send("POST", "/proxies", ""), 400, "bad request body: EOF");
		assertError(send("POST", "/proxies/db/toxics", "{\"type\":\"lag\"}"), 400, "invalid toxic type");
		assertError(send("POST", "/proxies/db/toxics", "{\"type\":\"latency\",\"stream\":\"sideways\"}"), 400,
				"stream was invalid, can be either upstream or downstream");
		send("POST", "/proxies/db/toxics", "{\"type\":\"latency\"}");
		assertError(send("POST", "/proxies/db/toxics", "{\"type\":\"latency\"}"), 409, "toxic already exists");
		Response put = send("PUT", "/proxies/db", "{}");
		assertError(put, 405, "method PUT not allowed");
		assertThat(put.allow).isEqualTo("GET, POST, PATCH, DELETE");
		assertError(send("GET", "/nowhere", null), 404, "no such route");
		assertThat(send("HEAD", "/proxies", null)).extracting(Response::status, Response::body).containsExactly(405, "");
		assertError(send("POST", "/proxies", "{\"name\":"), 400, "bad request body: ");
	}

	private static void assertError(Response response, int status, String messageStart) {
		assertThat(response.status).as(response.body).isEqualTo(status);
		Map<String, Object> error = response.object();
		assertThat(error.keySet()).containsExactly("error", "status");
		assertThat((String) error.get("error")).startsWith(messageStart);
		assertThat(((Number) error.get("status")).intValue()).isEqualTo(status);
	}

	@Test
	void browsersAreTurnedAway() {
		Response response = send("GET", "/proxies", null, "Mozilla/5.0 (X11; Linux x86_64)");
		assertThat(response.status).isEqualTo(403);
		assertThat(response.body).isEqualTo("User agent not allowed\n");
		assertThat(send("GET", "/proxies", null, "curl/8.5.0").status).isEqualTo(200);
	}

	@Test
	void aToxicGetsToxiproxysDefaultsAndEveryAttribute() {
		createProxy("db");
		Response created = send("POST", "/proxies/db/toxics", "{\"type\":\"slicer\",\"attributes\":{\"average_size\":4}}");
		assertThat(created.status).as(created.body).isEqualTo(200);
		assertThat(Json.read(created.body)).isEqualTo(Json.read("""
				{"name":"slicer_downstream","type":"slicer","stream":"downstream","toxicity":1.0,
				 "attributes":{"average_size":4,"size_variation":0,"delay":0}}"""));
		Response upstream = send("POST", "/proxies/db/toxics", "{\"type\":\"latency\",\"stream\":\"UPSTREAM\"}");
		assertThat(upstream.object()).containsEntry("name", "latency_upstream").containsEntry("stream", "upstream");
		Response listed = send("GET", "/proxies/db/toxics", null);
		assertThat(listed.list()).extracting((toxic) -> (Object) ((Map<?, ?>) toxic).get("name"))
			.containsExactly("latency_upstream", "slicer_downstream");
	}

	@Test
	void patchMergesAttributesAndKeepsToxicity() {
		createProxy("db");
		send("POST", "/proxies/db/toxics",
				"{\"name\":\"slow\",\"type\":\"latency\",\"toxicity\":0.5,\"attributes\":{\"latency\":100,\"jitter\":10}}");
		Response patched = send("PATCH", "/proxies/db/toxics/slow", "{\"attributes\":{\"latency\":300}}");
		assertThat(patched.status).as(patched.body).isEqualTo(200);
		assertThat(Json.write(patched.object().get("toxicity"))).isEqualTo("0.5");
		assertThat(Json.write(patched.object().get("attributes"))).isEqualTo("{\"latency\":300,\"jitter\":10}");
		assertThat(this.api.proxy("db").fault("slow").orElseThrow().spec().toMap())
			.containsEntry("latency", "300ms").containsEntry("jitter", "10ms").containsEntry("per", "connection");
		Response disabled = send("PATCH", "/proxies/db", "{\"enabled\":false}");
		assertThat(disabled.object()).containsEntry("enabled", false);
		assertThat(send("GET", "/proxies/db", null).object()).containsEntry("enabled", false);
		assertThat(send("POST", "/proxies/db", "{\"enabled\":true}").object()).containsEntry("enabled", true);
	}

	@Test
	void populateCreatesLeavesTheSameAloneAndMakesNothingHalfway() throws IOException {
		String db = "{\"name\":\"db\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + this.upstreamAddress + "\"}";
		Response populated = send("POST", "/populate", "[" + db + ",{\"name\":\"cache\",\"upstream\":\""
				+ this.upstreamAddress + "\",\"enabled\":false}]");
		assertThat(populated.status).as(populated.body).isEqualTo(201);
		List<?> proxies = (List<?>) populated.object().get("proxies");
		assertThat(proxies).extracting((proxy) -> (Object) ((Map<?, ?>) proxy).get("name")).containsExactly("db", "cache");
		assertThat(send("GET", "/proxies/cache", null).object()).containsEntry("enabled", false);
		String listen = (String) send("GET", "/proxies/db", null).object().get("listen");
		send("POST", "/proxies/db/toxics", "{\"type\":\"latency\"}");
		String same = "{\"name\":\"db\",\"listen\":\"" + listen + "\",\"upstream\":\"" + this.upstreamAddress + "\"}";
		assertThat(send("POST", "/populate", "[" + same + "]").status).isEqualTo(201);
		assertThat(send("GET", "/proxies/db/toxics", null).list()).hasSize(1);
		try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			Response failed = send("POST", "/populate", "[{\"name\":\"new\",\"upstream\":\"" + this.upstreamAddress
					+ "\"},{\"name\":\"clash\",\"listen\":\"127.0.0.1:" + taken.getLocalPort() + "\",\"upstream\":\""
					+ this.upstreamAddress + "\"}]");
			assertThat(failed.status).isEqualTo(409);
			assertThat((String) failed.object().get("error")).contains("127.0.0.1:" + taken.getLocalPort());
		}
		assertThat(send("GET", "/proxies", null).object()).containsOnlyKeys("cache", "db");
		assertError(send("POST", "/populate", "{\"proxies\":[]}"), 400, "populate takes a JSON array");
		assertError(send("POST", "/populate", "[{\"name\":\"a\",\"upstream\":\"" + this.upstreamAddress
				+ "\"},{\"name\":\"a\",\"upstream\":\"" + this.upstreamAddress + "\"}]"), 400, "populate lists proxy");
	}

	@Test
	void unbindableListenIsAConflictNamingTheAddressAndLeavesNothing() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			Response response = send("POST", "/proxies", "{\"name\":\"db\",\"listen\":\"127.0.0.1:"
					+ taken.getLocalPort() + "\",\"upstream\":\"" + this.upstreamAddress + "\"}");
			assertThat(response.status).isEqualTo(409);
			assertThat((String) response.object().get("error")).contains("127.0.0.1:" + taken.getLocalPort());
		}
		assertThat(send("GET", "/proxies", null).object()).isEmpty();
	}

	@Test
	void anApplicationsProxyTakesToxicsBesideItsOwnFaultsButIsNeitherMovedNorDeleted() {
		FaultProxy app = FaultProxy.builder().name("dataSource").upstream("127.0.0.1", this.upstream.port()).start();
		this.given.add(app);
		app.inject("own-latency", Faults.latency(Duration.ofMillis(5)).build());
		Map<String, Object> listed = send("GET", "/proxies/dataSource", null).object();
		assertThat(listed).containsEntry("upstream", this.upstreamAddress).containsEntry("toxics", List.of());
		assertThat(send("POST", "/proxies/dataSource/toxics", "{\"type\":\"bandwidth\",\"attributes\":{\"rate\":100}}")
			.status).isEqualTo(200);
		assertThat(send("GET", "/proxies/dataSource/toxics", null).list()).hasSize(1);
		assertThat(app.faults()).extracting((fault) -> fault.id()).containsExactly("own-latency", "bandwidth_downstream");
		assertError(send("DELETE", "/proxies/dataSource/toxics/own-latency", null), 404, "toxic not found");
		assertError(send("POST", "/proxies/dataSource/toxics", "{\"name\":\"own-latency\",\"type\":\"latency\"}"), 409,
				"toxic already exists");
		assertError(send("DELETE", "/proxies/dataSource", null), 409, "proxy dataSource belongs to the application");
		assertError(send("PATCH", "/proxies/dataSource", "{\"listen\":\"127.0.0.1:0\"}"), 400,
				"proxy dataSource belongs to the application");
		// removed as a fault, the toxic is gone from the list too
		app.remove("bandwidth_downstream");
		assertThat(send("GET", "/proxies/dataSource/toxics", null).list()).isEmpty();
		assertThat(send("POST", "/reset", null).status).isEqualTo(204);
		assertThat(app.faults()).isEmpty();
		app.stop();
		assertThat(send("GET", "/proxies", null).object()).isEmpty();
	}

	@Test
	void whatCannotBeMeantIsRefusedNamingIt() {
		createProxy("db");
		assertError(send("POST", "/proxies/db/toxics", "{\"name\":\"x1\",\"type\":\"latency\",\"toxcity\":0.1}"),
				400, "bad request body: unknown field \"toxcity\" for a toxic (accepted: attributes, name, stream,");
		assertError(send("POST", "/proxies", "{\"name\":\"x\",\"upstream\":\"" + this.upstreamAddress
				+ "\",\"enable\":false}"), 400, "bad request body: unknown field \"enable\" for a proxy");
		assertError(send("POST", "/proxies", "{\"name\":\"\\ud800\",\"upstream\":\"" + this.upstreamAddress + "\"}"),
				400, "proxy name must be 1 to 200 letters");
		assertError(send("POST", "/proxies", "{\"name\":\"..\",\"upstream\":\"" + this.upstreamAddress + "\"}"),
				400, "proxy name must be 1 to 200 letters");
		assertError(send("POST", "/proxies/db/toxics",
				"{\"type\":\"latency\",\"attributes\":{\"latency\":9007199254740993}}"), 400,
				"latency attribute latency must be a whole number from 0 to 86400000 (ms), was the number 9007199254740993");
		assertError(send("POST", "/proxies/db/toxics", "{\"type\":\"bandwidth\",\"attributes\":{\"rate\":1.5}}"),
				400, "bandwidth attribute rate must be a whole number from 0 to 1099511627 (KB/s), was the number 1.5");
		assertError(send("POST", "/proxies/db/toxics",
				"{\"type\":\"slicer\",\"attributes\":{\"average_size\":4,\"size_variation\":4}}"), 400,
				"slicer attribute size_variation must be less than average_size (4), was 4");
		send("POST", "/proxies/db/toxics", "{\"name\":\"slow\",\"type\":\"latency\"}");
		assertError(send("PATCH", "/proxies/db/toxics/slow", "{\"type\":\"bandwidth\"}"), 400,
				"type of toxic slow cannot change");
		assertError(send("PATCH", "/proxies/db/toxics/slow", "{\"stream\":\"upstream\"}"), 400,
				"stream of toxic slow cannot change");
		// what GET shows can be sent back as it is
		String shown = send("GET", "/proxies/db/toxics/slow", null).body;
		assertThat(send("PATCH", "/proxies/db/toxics/slow", shown).status).isEqualTo(200);
		assertThat(send("PATCH", "/proxies/db", send("GET", "/proxies/db", null).body).status).isEqualTo(200);
		assertError(send("POST", "/populate", "[{\"name\":\"a\",\"upstream\":\"" + this.upstreamAddress
				+ "\"},{\"name\":\"b\"}]"), 400, "missing required field: upstream at proxy 2");
		assertThat(send("GET", "/proxies", null).object()).containsOnlyKeys("db");
	}

	@Test
	void toxicNamesAreFaultIds() {
		createProxy("db");
		assertError(send("POST", "/proxies/db/toxics", "{\"name\":\"-x\",\"type\":\"latency\"}"), 400,
				"toxic name must be 1 to 64 letters");
		assertError(send("POST", "/proxies/db/toxics", "{\"name\":\"a b\",\"type\":\"latency\"}"), 400,
				"toxic name must be 1 to 64 letters");
		assertError(send("POST", "/proxies/db/toxics", "{\"name\":\"toxiproxy.disabled\",\"type\":\"latency\"}"),
				400, "toxic name toxiproxy.disabled is reserved");
		assertThat(send("GET", "/proxies/db", null).object()).containsEntry("enabled", true);
	}

	@Test
	void enablingOnATakenAddressIsAConflictAndTheProxyStaysDisabled() throws IOException {
		Map<String, Object> proxy = createProxy("db");
		int port = Integer.parseInt(((String) proxy.get("listen")).substring("127.0.0.1:".length()));
		assertThat(send("PATCH", "/proxies/db", "{\"enabled\":false}").status).isEqualTo(200);
		try (ServerSocket taken = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
			assertError(send("PATCH", "/proxies/db", "{\"enabled\":true}"), 409, "proxy db cannot listen on 127.0.0.1:"
					+ port + " again");
			assertThat(send("GET", "/proxies/db", null).object()).containsEntry("enabled", false);
		}
		assertThat(send("PATCH", "/proxies/db", "{\"enabled\":true}").object()).containsEntry("enabled", true);
	}

	@Test
	void aRefusedMoveLeavesTheProxyAndItsConnectionsAsTheyWere() {
		Map<String, Object> proxy = createProxy("db");
		String listen = (String) proxy.get("listen");
		int port = Integer.parseInt(listen.substring("127.0.0.1:".length()));
		try (Client client = Client.connect(new java.net.InetSocketAddress("127.0.0.1", port))) {
			assertThat(client.echo(new byte[] { 1, 2 }, TIMEOUT)).containsExactly(1, 2);
			assertError(send("PATCH", "/proxies/db", "{\"listen\":\"nosuch.invalid:0\"}"), 400,
					"listen host 'nosuch.invalid' does not resolve");
			assertError(send("PATCH", "/proxies/db", "{\"upstream\":\"127.0.0.1:0\"}"), 400,
					"upstream port must be between 1 and 65535");
			assertThat(client.echo(new byte[] { 3, 4 }, TIMEOUT)).containsExactly(3, 4);
		}
		assertThat(send("GET", "/proxies/db", null).object()).containsEntry("listen", listen);
	}

	@Test
	void anOversizedBodyIsRefusedUnread() {
		String body = "[" + "0,".repeat(ToxiproxyApi.MAX_BODY / 2) + "0]";
		assertError(send("POST", "/populate", body), 413, "bad request body: larger than");
	}

	@Test
	void generatedHostileRequestsGetAnAnswerOfTheFourHundredsOrSuccess() {
		createProxy("db");
		send("POST", "/proxies/db/toxics", "{\"name\":\"t\",\"type\":\"latency\"}");
		Random random = new Random(20261201);
		String[] paths = { "/proxies", "/proxies/db", "/proxies/db/toxics", "/proxies/db/toxics/t", "/populate",
				"/reset", "/version", "/proxies/%25zz", "/proxies/d%C3%A9j%C3%A0", "/proxies/db/toxics/t/x", "/proxies/db%2Fx", "/" };
		String[] methods = { "GET", "POST", "PATCH", "DELETE", "PUT" };
		Set<Integer> allowed = Set.of(200, 201, 204, 400, 404, 405, 409, 413);
		for (int i = 0; i < 1500; i++) {
			String method = methods[random.nextInt(methods.length)];
			String path = paths[random.nextInt(paths.length)];
			String body = hostileBody(random);
			Response response = send(method, path, body);
			assertThat(allowed).as(method + " " + path + " " + body + " -> " + response.body)
				.contains(response.status);
			if (response.status >= 400 && response.status != 405) {
				assertThat(response.object()).containsKeys("error", "status");
			}
		}
		// and it still works as before the storm
		assertThat(send("POST", "/reset", null).status).isEqualTo(204);
		createProxy("after");
		assertThat(send("POST", "/proxies/after/toxics", "{\"type\":\"latency\"}").status).isEqualTo(200);
	}

	private String hostileBody(Random random) {
		String[] values = { "null", "true", "-1", "0", "1e400", "0.5", "2", "18446744073709551616", "\"\"",
				"\"db\"", "\"127.0.0.1:0\"", "\"" + this.upstreamAddress + "\"", "\"localhost:99999\"", "\":\"", "[]",
				"{}", "\"latency\"", "\"timeout\"", "\"slicer\"", "\"upstream\"", "\"x\\u0000y\"",
				"\"" + "a".repeat(300) + "\"", "{\"latency\":-5}", "{\"average_size\":0}", "{\"rate\":1.5}",
				"{\"latency\":99999999999}", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]" };
		String[] keys = { "name", "listen", "upstream", "enabled", "type", "stream", "toxicity", "attributes",
				"latency", "proxies" };
		return switch (random.nextInt(4)) {
			case 0 -> null;
			case 1 -> values[random.nextInt(values.length)];
			case 2 -> {
				StringBuilder body = new StringBuilder("{");
				int members = random.nextInt(5);
				for (int i = 0; i < members; i++) {
					body.append((i > 0) ? "," : "").append('"').append(keys[random.nextInt(keys.length)]).append("\":")
						.append(values[random.nextInt(values.length)]);
				}
				yield body.append(random.nextBoolean() ? "}" : "").toString();
			}
			default -> "[{\"name\":" + values[random.nextInt(values.length)] + ",\"upstream\":"
					+ values[random.nextInt(values.length)] + ",\"listen\":\"127.0.0.1:0\"}]";
		};
	}

	@Test
	void clientsThatNeverFinishTheirRequestDoNotHoldUpOthers() throws IOException {
		List<java.net.Socket> slow = new ArrayList<>();
		try {
			for (int i = 0; i < 24; i++) {
				java.net.Socket socket = new java.net.Socket("127.0.0.1", this.api.address().getPort());
				socket.getOutputStream().write("POST /proxies HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"
					.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
				slow.add(socket);
			}
			long start = System.nanoTime();
			assertThat(send("GET", "/proxies", null).status).isEqualTo(200);
			// far below the 15 s a request may take to arrive: it was not queued behind the slow ones
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
		finally {
			for (java.net.Socket socket : slow) {
				socket.close();
			}
		}
	}

	@Test
	void tooManyProxiesOrToxicsAreRefused() {
		createProxy("db");
		for (int i = 1; i < ProxyRegistry.MAX_TOXICS; i++) {
			assertThat(send("POST", "/proxies/db/toxics", "{\"name\":\"t" + i + "\",\"type\":\"latency\"}").status)
				.isEqualTo(200);
		}
		assertThat(send("POST", "/proxies/db/toxics", "{\"name\":\"last\",\"type\":\"latency\"}").status)
			.isEqualTo(200);
		assertError(send("POST", "/proxies/db/toxics", "{\"name\":\"more\",\"type\":\"latency\"}"), 409,
				"too many toxics");
		StringBuilder many = new StringBuilder("[");
		for (int i = 0; i < ProxyRegistry.MAX_PROXIES; i++) {
			many.append((i > 0) ? "," : "").append("{\"name\":\"p").append(i).append("\",\"upstream\":\"")
				.append(this.upstreamAddress).append("\"}");
		}
		assertError(send("POST", "/populate", many.append("]").toString()), 409, "too many proxies");
		assertThat(send("GET", "/proxies", null).object()).containsOnlyKeys("db");
	}

	@Test
	void closingStopsItsThreadsAndTheProxiesItMade() {
		createProxy("db");
		FaultProxy made = this.api.proxy("db");
		assertThat(Resources.proxyThreads()).anyMatch((name) -> name.startsWith("dbfault-toxiproxy-api"));
		this.api.close();
		assertThat(made.state()).isEqualTo(FaultProxy.State.STOPPED);
		Waits.await("the API's threads to end", TIMEOUT,
				() -> Resources.proxyThreads().stream().noneMatch((name) -> name.startsWith("dbfault-toxiproxy-api")));
	}

	/**
	 * An HTTP answer.
	 */
	private record Response(int status, String body, String contentType, String allow) {

		@SuppressWarnings("unchecked")
		Map<String, Object> object() {
			return (Map<String, Object>) Json.read(this.body);
		}

		List<?> list() {
			return (List<?>) Json.read(this.body);
		}

	}

}
