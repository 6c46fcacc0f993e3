package dev.dbfault.demo;

import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard with dbfault switched off: there is no proxy to listen to, and the page
 * still gets its numbers, an empty list of faults and a timeline that goes on.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "dbfault.enabled=false" })
class DashboardWithoutDbFaultTests {

	@LocalServerPort
	private int port;

	private DocumentContext dashboard() {
		return JsonPath.parse(RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/api/dashboard")
			.retrieve()
			.body(String.class));
	}

	@Test
	void theDashboardAnswersWithNoFaultsAndATimelineThatGoesOn() {
		// the timeline grows once a second only while closing a second does not fail
		await("two seconds of timeline").atMost(Duration.ofSeconds(10))
			.until(() -> dashboard().<List<Object>>read("$.timeline").size() >= 2);
		DocumentContext dashboard = dashboard();
		assertThat(dashboard.<Object>read("$.proxy")).isNull();
		assertThat(dashboard.<List<Object>>read("$.faults")).isEmpty();
		assertThat(dashboard.<List<Object>>read("$.recent")).isEmpty();
		assertThat(dashboard.<List<Object>>read("$.timeline[*].acted[*]")).isEmpty();
	}

}
