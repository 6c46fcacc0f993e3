package dev.dbfault.autoconfigure.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint as a chaos engine drives it: a fault created under the engine's id is safe to
 * send twice and renews as a lease, a rollback succeeds however often it runs and after the
 * fault ended on its own, answers are plain {@code application/json} when asked, form bodies
 * work, and every answer says which instance gave it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbfault.enabled=true", "management.endpoint.dbfault.access=unrestricted",
				"management.endpoints.web.exposure.include=dbfault", "spring.application.name=ledger",
				"dbfault.instance-id=ledger-1" })
class DbFaultEndpointLeaseTests {

	private static final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private DbFaultProxies proxies;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.get().springProperties("socketTimeout=5").forEach((name, value) -> registry.add(name, () -> value));
	}

	@AfterEach
	void heal() {
		this.proxies.healAll();
	}

	@Test
	void theSameIdTwiceIsOneFaultAndRenewsItsLease() {
		String lease = "{\"id\":\"engine-latency\",\"latency\":\"5ms\",\"duration\":\"2s\"}";
		Answer first = send("POST", "/actuator/dbfault/dataSource/latency", lease, "application/json");
		assertThat(first.status()).as(first.body()).isEqualTo(200);
		assertThat(first.json()).containsEntry("id", "engine-latency").containsEntry("state", "active");
		Answer again = send("POST", "/actuator/dbfault/dataSource/latency", lease, "application/json");
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json()).containsEntry("id", "engine-latency")
			.containsEntry("injectedAt", first.json().get("injectedAt"));
		assertThat(proxy().faults()).hasSize(1);
	}

	@Test
	void anotherFaultUnderATakenIdIsA409NamingIt() {
		send("POST", "/actuator/dbfault/dataSource/latency", "{\"id\":\"taken\",\"latency\":\"5ms\"}", "application/json");
		Answer conflict = send("POST", "/actuator/dbfault/dataSource/latency", "{\"id\":\"taken\",\"latency\":\"9ms\"}",
				"application/json");
		assertThat(conflict.status()).isEqualTo(409);
		assertThat(conflict.json()).containsEntry("parameter", "id");
		assertThat((String) conflict.json().get("message")).contains("Fault 'taken' is in effect with other parameters");
		assertThat(proxy().faults()).singleElement()
			.satisfies((fault) -> assertThat(fault.spec().toMap()).containsEntry("latency", "5ms"));
	}

	@Test
	void aRollbackSucceedsTwiceAndAfterTheFaultExpired() {
		send("POST", "/actuator/dbfault/dataSource/blackhole", "{\"id\":\"partition\",\"duration\":\"10s\"}", null);
		Answer first = send("DELETE", "/actuator/dbfault/dataSource/partition", null, null);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json()).containsEntry("state", "removed").containsEntry("ended", "removed");
		Answer second = send("DELETE", "/actuator/dbfault/dataSource/partition", null, null);
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.json()).containsEntry("ended", "removed");
		send("POST", "/actuator/dbfault/dataSource/latency", "{\"id\":\"brief\",\"latency\":\"1ms\",\"duration\":\"200ms\"}",
				null);
		await("the fault to expire").atMost(Duration.ofSeconds(5)).until(() -> proxy().faults().isEmpty());
		assertThat(send("DELETE", "/actuator/dbfault/dataSource/brief", null, null).json()).containsEntry("ended",
				"expired");
		Answer never = send("DELETE", "/actuator/dbfault/dataSource/never-injected", null, null);
		assertThat(never.status()).isEqualTo(404);
		Answer healAll = send("DELETE", "/actuator/dbfault", null, null);
		assertThat(healAll.status()).isEqualTo(200);
		assertThat(healAll.json()).containsEntry("healed", 0);
	}

	@Test
	void formBodiesWorkAndAnswersArePlainJsonWhenAskedFor() {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/dbfault/dataSource/latency"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("id=form-lease&latency=5ms&duration=30s"))
			.build();
		HttpResponse<String> response = call(request);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(new Answer(200, response.body()).json()).containsEntry("id", "form-lease");
		HttpResponse<String> bad = call(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/dbfault/dataSource/latency"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("latency=5"))
			.build());
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/json");
	}

	@Test
	void everyListingSaysWhichInstanceAnswers() {
		Map<String, Object> instance = map(send("GET", "/actuator/dbfault", null, null).json().get("instance"));
		assertThat(instance).containsEntry("application", "ledger").containsEntry("id", "ledger-1");
		assertThat((String) instance.get("startedAt")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
	}

	private FaultProxy proxy() {
		return this.proxies.proxy("dataSource").orElseThrow();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	private Answer send(String method, String path, String body, String contentType) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (contentType != null) {
			builder.header("Content-Type", contentType);
		}
		HttpResponse<String> response = call(builder.build());
		return new Answer(response.statusCode(), response.body());
	}

	private static HttpResponse<String> call(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	record Answer(int status, String body) {

		Map<String, Object> json() {
			return JsonParserFactory.getJsonParser().parseMap(this.body);
		}

	}


}
