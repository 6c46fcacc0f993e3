package dev.dbfault.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What {@code /api/dashboard} tells the page about faults that never show up in a list of
 * the faults in effect: an action that is gone when its injection returns, and a fault used
 * up by its one firing. Faults are injected as the page does, through the actuator
 * endpoint.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@AutoConfigureDbFault
class DashboardApiTests {

	@LocalServerPort
	private int port;

	@Autowired
	private DbFault dbFault;

	@Autowired
	private JdbcTemplate jdbc;

	private RestClient http;

	@BeforeEach
	void connect() {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
	}

	@AfterEach
	void heal() {
		this.dbFault.restore(Duration.ofSeconds(10));
	}

	private DocumentContext inject(String type, String body) {
		String fault = this.http.post()
			.uri("/actuator/dbfault/dataSource/{type}", type)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.body(String.class);
		return JsonPath.parse(fault);
	}

	private DocumentContext dashboard() {
		return JsonPath.parse(this.http.get().uri("/api/dashboard").retrieve().body(String.class));
	}

	private static List<Map<String, Object>> recent(DocumentContext dashboard, String id) {
		return dashboard.read("$.recent[?(@.id == '" + id + "')]");
	}

	@Test
	void aResetIsListedAsRecentWithTheConnectionsItActedOn() {
		// a full pool, so that there are connections to reset
		this.dbFault.awaitIdlePool(Duration.ofSeconds(10));
		DocumentContext reset = inject("reset", "{}");
		String id = reset.read("$.id");
		long connections = reset.read("$.fired", Long.class);
		assertThat(connections).isPositive();
		List<Map<String, Object>> recent = recent(dashboard(), id);
		assertThat(recent).singleElement().satisfies((entry) -> {
			assertThat(entry).containsEntry("type", "reset").containsEntry("ending", "acted");
			assertThat(entry.get("summary"))
				.isEqualTo("reset: " + connections + ((connections == 1) ? " connection" : " connections"));
		});
		assertThat(dashboard().<List<Object>>read("$.faults[?(@.id == '" + id + "')]")).isEmpty();
	}

	@Test
	void theJournalShowsWhatFiredWhereNewestFirst() {
		String id = inject("sql-error", "{\"match\": \"dashboard-journal-probe\", \"seed\": 7}").read("$.id");
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> this.jdbc.queryForObject("select 'dashboard-journal-probe'", String.class));
		}
		List<Map<String, Object>> journal = dashboard().read("$.journal[?(@.fault == '" + id + "')]");
		assertThat(journal).hasSize(2).allSatisfy((entry) -> {
			assertThat(entry).containsEntry("type", "sql-error")
				.containsEntry("seed", 7)
				.containsEntry("statement", "select 'dashboard-journal-probe'")
				.containsEntry("action", "40001 instead of the statement");
			assertThat((String) entry.get("connection")).matches("#\\d+ pid \\d+ .*");
		});
		assertThat(((Number) journal.get(0).get("sequence")).longValue())
			.isGreaterThan(((Number) journal.get(1).get("sequence")).longValue());
	}

	@Test
	void aResetMarksTheSecondItActedInOnTheTimeline() {
		String id = inject("reset", "{}").read("$.id");
		await("the second the reset acted in").atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(dashboard().<List<Object>>read("$.timeline[*].acted[*]")).contains(id));
		assertThat(dashboard().<List<Object>>read("$.timeline[*].faults[*]")).doesNotContain(id);
	}

	@Test
	void aFaultUsedUpAtOnceIsListedAsRecentAndShadesItsSecond() {
		String id = inject("sql-error", "{\"match\": \"dashboard-probe\", \"times\": 1}").read("$.id");
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.queryForObject("select 'dashboard-probe'", String.class));
		await("the fault to be used up").atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(recent(dashboard(), id)).singleElement()
				.satisfies((entry) -> assertThat((String) entry.get("summary"))
					.startsWith("sql-error: 1 statement, used up after ")));
		await("the second it lived in").atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(dashboard().<List<Object>>read("$.timeline[*].faults[*]")).contains(id));
	}

	@Test
	void theLoadControlsAnswerBadBodiesWithAMessage() {
		for (String[] request : new String[][] { { "{\"rate\":\"x\"}", "application/json" },
				{ "{\"rate\":20}", "application/x-www-form-urlencoded" }, { "not json", "application/json" } }) {
			String answer = this.http.post()
				.uri("/api/load/start")
				.header("Content-Type", request[1])
				.body(request[0])
				.exchange((req, response) -> response.getStatusCode().value() + " "
						+ new String(response.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
			assertThat(answer).as(request[0]).startsWith("400 ").contains("\"message\"").contains("rate");
		}
	}

}
