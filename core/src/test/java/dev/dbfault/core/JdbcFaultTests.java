package dev.dbfault.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Transport;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * TCP faults seen through the real PostgreSQL JDBC driver against a real PostgreSQL.
 */
class JdbcFaultTests {

	private static final long TOLERANCE_MS = 500;

	private TestDatabase database;

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		this.database = TestDatabase.get();
		this.proxy = FaultProxy.builder()
			.name("jdbc")
			.upstream(this.database.host(), this.database.port())
			.protocol(Protocol.POSTGRESQL)
			.start();
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
	}

	/**
	 * Returns how the driver reaches the proxy's faults; {@link JdbcFaultInProcessTests} runs
	 * every test here without the relay.
	 * @return the transport
	 */
	Transport transport() {
		return Transport.PROXY;
	}

	private Connection connect(int socketTimeoutSeconds) throws SQLException {
		Properties properties = this.database.credentials();
		properties.setProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
		properties.setProperty("connectTimeout", "5");
		return DriverManager.getConnection(transport().url(this.database, this.proxy), properties);
	}

	private static int selectOne(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("select 1")) {
			rs.next();
			return rs.getInt(1);
		}
	}

	@Test
	void queriesPassThroughUnchanged() throws SQLException {
		try (Connection connection = connect(0);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select string_agg(md5(i::text), ',') from generate_series(1, 2000) i")) {
			rs.next();
			assertThat(rs.getString(1)).hasSize(2000 * 33 - 1);
		}
		assertThat(this.proxy.stats().bytesDownstream()).isGreaterThan(66_000);
	}

	@Test
	void resetMakesTheNextStatementFailWithAnSqlExceptionNotAHang() throws SQLException {
		try (Connection connection = connect(30)) {
			assertThat(selectOne(connection)).isEqualTo(1);
			this.proxy.resetConnections();
			long start = System.nanoTime();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection))
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(TOLERANCE_MS);
			assertThat(connection.isValid(1)).isFalse();
		}
	}

	@Test
	void blackholeFailsWithinTheDriversSocketTimeout() throws SQLException {
		try (Connection connection = connect(1)) {
			assertThat(selectOne(connection)).isEqualTo(1);
			this.proxy.blackhole();
			long start = System.nanoTime();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection))
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
			long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
			assertThat(elapsed).isBetween(1000L - 10, 1000L + TOLERANCE_MS);
		}
	}

	@Test
	void refuseFailsANewConnectionFastWhileAnOpenOneKeepsWorking() throws SQLException {
		try (Connection open = connect(5)) {
			this.proxy.refuse();
			long start = System.nanoTime();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect(5).close())
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08001"));
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(TOLERANCE_MS);
			assertThat(selectOne(open)).isEqualTo(1);
		}
	}

	@Test
	void afterHealingNewConnectionsWork() throws SQLException {
		this.proxy.down();
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect(5).close());
		this.proxy.heal();
		try (Connection connection = connect(5)) {
			assertThat(selectOne(connection)).isEqualTo(1);
		}
	}

	/**
	 * A result of many reads (about 2 MB, the driver reads 8 KB at a time) is late by the
	 * latency once, not once per read: what the database sends while the first bytes wait is
	 * on its way too.
	 */
	@Test
	void latencyDelaysALargeResultOnceNotPerRead() throws SQLException {
		try (Connection connection = connect(30); Statement statement = connection.createStatement()) {
			selectOne(connection);
			this.proxy.latency(Duration.ofMillis(100));
			long start = System.nanoTime();
			long characters = 0;
			try (ResultSet rs = statement.executeQuery("select repeat('x', 1000) from generate_series(1, 2000)")) {
				while (rs.next()) {
					characters += rs.getString(1).length();
				}
			}
			long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
			assertThat(characters).isEqualTo(2_000_000);
			assertThat(elapsedMs).isBetween(100L - 1, 100L + 1500);
		}
	}

	@ParameterizedTest(name = "{0}, {1}")
	@MethodSource("directionsAndEndings")
	void healingOrRemovingALatencyReleasesTheQueryItHoldsAtOnce(Direction direction, String ending) throws Exception {
		try (Connection connection = connect(0)) {
			selectOne(connection);
			ActiveFault latency = this.proxy.inject(Faults.latency(Duration.ofMillis(2500)).direction(direction).build());
			long start = System.nanoTime();
			ScheduledFuture<?> end = later(Duration.ofMillis(300), ending.equals("heal") ? this.proxy::heal : latency::close);
			assertThat(selectOne(connection)).isEqualTo(1);
			long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
			end.get();
			assertThat(elapsedMs).as("the query, held by 2.5 s, freed at 300 ms").isBetween(300L - 1, 1200L);
		}
	}

	static Stream<Arguments> directionsAndEndings() {
		return Stream.of(Arguments.of(Direction.UPSTREAM, "heal"), Arguments.of(Direction.UPSTREAM, "remove"),
				Arguments.of(Direction.DOWNSTREAM, "heal"), Arguments.of(Direction.DOWNSTREAM, "remove"));
	}

	@ParameterizedTest
	@EnumSource(value = Direction.class, names = { "UPSTREAM", "DOWNSTREAM" })
	void removingOneOfTwoLatenciesTakesAwayItsShareOnly(Direction direction) throws Exception {
		try (Connection connection = connect(0)) {
			selectOne(connection);
			this.proxy.inject(Faults.latency(Duration.ofMillis(1500)).direction(direction).build());
			ActiveFault small = this.proxy.inject(Faults.latency(Duration.ofMillis(100)).direction(direction).build());
			long start = System.nanoTime();
			ScheduledFuture<?> removal = later(Duration.ofMillis(200), small::close);
			assertThat(selectOne(connection)).isEqualTo(1);
			long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
			removal.get();
			// 1.5 s stays: the removal takes 100 ms away, never the other fault's share
			assertThat(elapsedMs).isBetween(1300L, 2400L);
		}
	}

	private static ScheduledFuture<?> later(Duration delay, Runnable action) {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
		try {
			return scheduler.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		finally {
			// runs what is scheduled, then its thread ends
			scheduler.shutdown();
		}
	}

	@Test
	void latencySlowsEveryRoundTrip() throws SQLException {
		try (Connection connection = connect(5)) {
			selectOne(connection);
			this.proxy.latency(Duration.ofMillis(100));
			long start = System.nanoTime();
			for (int i = 0; i < 3; i++) {
				selectOne(connection);
			}
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(300L, 300L + TOLERANCE_MS);
		}
	}

	@Test
	void resetPeerBreaksAConnectionIdleInThePool() throws SQLException {
		try (Connection idle = connect(5)) {
			selectOne(idle);
			this.proxy.resetPeer(Duration.ofMillis(100));
			dev.dbfault.testdb.Waits.await("the idle connection to be reset", Duration.ofSeconds(5),
					() -> this.proxy.stats().liveConnections() == 0);
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(idle));
		}
	}

}
