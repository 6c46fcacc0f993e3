package dev.dbfault.autoconfigure.toxiproxy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.testdb.TestDatabase;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
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

/**
 * A running application driven by the published Toxiproxy Java client: toxics on the
 * {@code dataSource} proxy act on the application's real JDBC traffic, show on
 * {@code /actuator/dbfault}, and sit beside dbfault's own faults.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbfault.enabled=true", "dbfault.toxiproxy-api.enabled=true", "dbfault.toxiproxy-api.port=0",
				"management.endpoint.dbfault.access=unrestricted", "management.endpoints.web.exposure.include=dbfault",
				"spring.datasource.hikari.maximum-pool-size=2", "spring.datasource.hikari.connection-timeout=2000" })
class DbFaultToxiproxyApiApplicationTests {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Value("${local.dbfault.toxiproxy-api.port}")
	private int toxiproxyPort;

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
	void reset() throws IOException {
		new ToxiproxyClient("127.0.0.1", this.toxiproxyPort).reset();
		if (this.pool.getHikariPoolMXBean() != null) {
			this.pool.getHikariPoolMXBean().softEvictConnections();
		}
		await("the DataSource to answer").atMost(Duration.ofSeconds(15)).until(this::dataSourceAnswers);
	}

	private boolean dataSourceAnswers() {
		try (Connection connection = this.pool.getConnection()) {
			return connection.isValid(1);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private Proxy dataSource() throws IOException {
		return new ToxiproxyClient("127.0.0.1", this.toxiproxyPort).getProxy("dataSource");
	}

	@Test
	void aLatencyToxicSlowsTheApplicationsQueriesAndShowsOnTheEndpoint() throws IOException {
		Latency latency = dataSource().toxics().latency("slow-db", ToxicDirection.DOWNSTREAM, 300);
		long start = System.nanoTime();
		assertThat(this.jdbc.queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
		assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(300);
		Map<String, Object> fault = onlyFault(get("/actuator/dbfault/dataSource"));
		assertThat(fault).containsEntry("id", "slow-db").containsEntry("type", "latency");
		latency.remove();
		assertThat(get("/actuator/dbfault/dataSource")).contains("\"faults\":[]");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> onlyFault(String json) {
		List<Object> faults = (List<Object>) JsonParserFactory.getJsonParser().parseMap(json).get("faults");
		assertThat(faults).hasSize(1);
		return (Map<String, Object>) faults.get(0);
	}

	@Test
	void aToxicAndAnSqlErrorOfDbfaultsActOnTheSameProxy() throws IOException {
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS toxiproxy_demo (id int)");
		dataSource().toxics().latency("slow-db", ToxicDirection.DOWNSTREAM, 100);
		String injected = post("/actuator/dbfault/dataSource/sql-error", "{\"match\":\"(?i)^\\\\s*insert\",\"sqlState\":\"40001\"}");
		assertThat(injected).as(injected).contains("\"type\":\"sql-error\"");
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.update("INSERT INTO toxiproxy_demo VALUES (1)"))
			.havingRootCause()
			.isInstanceOfSatisfying(SQLException.class, (ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
		long start = System.nanoTime();
		assertThat(this.jdbc.queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
		assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(100);
		// Toxiproxy's list shows only the toxic; Toxiproxy's reset heals both
		assertThat(dataSource().toxics().getAll()).hasSize(1);
		new ToxiproxyClient("127.0.0.1", this.toxiproxyPort).reset();
		assertThat(this.proxies.proxy("dataSource").orElseThrow().faults()).isEmpty();
	}

	@Test
	void aTimeoutToxicFailsQueriesUntilRemovedAndThePoolRecovers() throws IOException {
		this.jdbc.queryForObject("SELECT 1", Integer.class);
		dataSource().toxics().timeout("cut", ToxicDirection.DOWNSTREAM, 500);
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.queryForObject("SELECT 1", Integer.class));
		dataSource().toxics().get("cut").remove();
		await("the pool to recover").atMost(Duration.ofSeconds(15))
			.ignoreExceptions()
			.until(() -> this.jdbc.queryForObject("SELECT 1", Integer.class) == 1);
	}

	private String get(String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).GET());
	}

	private String post(String path, String body) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private static String send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isLessThan(300);
			return response.body();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
