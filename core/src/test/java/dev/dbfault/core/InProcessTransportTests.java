package dev.dbfault.core;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.fault.JournalEntry;
import dev.dbfault.core.testing.Resources;
import dev.dbfault.core.testing.Transport;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import static dev.dbfault.testdb.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What is particular to the in-process transport: connections are the proxy's without its
 * port, their faults have real effects on the database side, and bad names and stopped
 * proxies fail the connection clearly.
 */
class InProcessTransportTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private TestDatabase database;

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		this.database = TestDatabase.get();
		this.proxy = FaultProxy.builder()
			.name("in-process")
			.upstream(this.database.host(), this.database.port())
			.protocol(Protocol.POSTGRESQL)
			.start();
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
	}

	private Connection connect(String url, String... more) throws SQLException {
		Properties properties = this.database.credentials();
		properties.setProperty("socketTimeout", "5");
		properties.setProperty("connectTimeout", "2");
		for (int i = 0; i < more.length; i += 2) {
			properties.setProperty(more[i], more[i + 1]);
		}
		return DriverManager.getConnection(url, properties);
	}

	private Connection connect() throws SQLException {
		return connect(Transport.IN_PROCESS.url(this.database, this.proxy));
	}

	private static int selectOne(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("select 1")) {
			rs.next();
			return rs.getInt(1);
		}
	}

	private boolean backendAlive(int pid) throws SQLException {
		try (Connection direct = connect(this.database.jdbcUrl());
				Statement statement = direct.createStatement();
				ResultSet rs = statement.executeQuery("select count(*) from pg_stat_activity where pid = " + pid)) {
			rs.next();
			return rs.getInt(1) == 1;
		}
	}

	private void awaitBackendGone(int pid) {
		await("the server to end the reset session of backend " + pid, TIMEOUT, () -> {
			try {
				return !backendAlive(pid);
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	@Test
	void connectionsAreTheProxysAndItsJournalNamesThem() throws SQLException {
		try (Connection connection = connect()) {
			assertThat(selectOne(connection)).isEqualTo(1);
			assertThat(this.proxy.stats().liveConnections()).isEqualTo(1);
			int pid = connection.unwrap(PGConnection.class).getBackendPID();
			this.proxy.inject(Faults.sqlError("^select 2", "40001"));
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> connection.createStatement().executeQuery("select 2"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
			List<JournalEntry> journal = this.proxy.journal();
			assertThat(journal).hasSize(1);
			assertThat(journal.get(0).connection().client()).isEqualTo("in-process");
			assertThat(journal.get(0).connection().backendPid()).isEqualTo(pid);
		}
		await("the closed connection to leave the proxy", TIMEOUT, () -> this.proxy.stats().liveConnections() == 0);
		assertThat(this.proxy.stats().totalConnections()).isEqualTo(1);
	}

	@Test
	void resetEndsTheServersSessionAtOnceAndTheDriverHearsConnectionReset() throws SQLException {
		try (Connection connection = connect()) {
			int pid = connection.unwrap(PGConnection.class).getBackendPID();
			this.proxy.resetConnections();
			awaitBackendGone(pid);
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08006"))
				.satisfies((ex) -> assertThat((Throwable) ex).rootCause().hasMessageContaining("Connection reset"));
		}
	}

	@Test
	void aTerminateBehindALatencyEndsTheSessionWhenItFallsDueThoughTheDriverReadsNothing() throws SQLException {
		try (Connection connection = connect()) {
			assertThat(selectOne(connection)).isEqualTo(1);
			int pid = connection.unwrap(PGConnection.class).getBackendPID();
			this.proxy.latency(Duration.ofMillis(300));
			long start = System.nanoTime();
			this.proxy.terminate();
			// the driver is idle: the loop delivers the close behind the delayed FATAL on time
			awaitBackendGone(pid);
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(299L);
		}
	}

	@Test
	void anUnknownProxyNameFailsTheConnectionNamingItAndTheRunningProxies() {
		String url = this.database.jdbcUrlWith("socketFactory=" + FaultSocketFactory.class.getName(),
				"socketFactoryArg=nope");
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect(url).close())
			.satisfies((ex) -> assertThat((Throwable) ex).rootCause()
				.hasMessageContaining("no fault proxy named 'nope'")
				.hasMessageContaining("in-process"));
		String missing = this.database.jdbcUrlWith("socketFactory=" + FaultSocketFactory.class.getName());
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect(missing).close())
			.satisfies((ex) -> assertThat((Throwable) ex).rootCause().hasMessageContaining("socketFactoryArg is missing"));
	}

	/**
	 * Any name a URL can carry, generated: the connect fails with an {@link java.io.IOException}
	 * that names it (printably, its first 200 characters) and the running proxies, never with
	 * another exception, and fast.
	 */
	@Test
	void anyUnknownNameFailsTheConnectWithAnIoExceptionNamingIt() {
		java.util.Random random = new java.util.Random(20);
		java.net.InetSocketAddress database = new java.net.InetSocketAddress(this.database.host(), this.database.port());
		for (int i = 0; i < 300; i++) {
			int length = (i % 50 == 0) ? 10_000 : random.nextInt(40);
			StringBuilder name = new StringBuilder();
			for (int c = 0; c < length; c++) {
				name.append((char) ((i % 3 == 0) ? random.nextInt(0x3000) : ' ' + random.nextInt(95)));
			}
			if (name.toString().equals("in-process")) {
				continue;
			}
			java.net.Socket socket = new FaultSocketFactory(name.toString()).createSocket();
			long start = System.nanoTime();
			assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> socket.connect(database, 1000))
				.withMessageContaining(name.isEmpty() ? "socketFactoryArg is missing"
						: "no fault proxy named '" + JournalEntry.printable(name.substring(0, Math.min(length, 200))))
				.withMessageContaining("in-process");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
			assertThat(socket.isConnected()).isFalse();
		}
		assertThat(this.proxy.stats().totalConnections()).isZero();
	}

	@Test
	void aStoppedProxyFailsItsConnectionsLikeADeadServer() throws SQLException {
		String url = Transport.IN_PROCESS.url(this.database, this.proxy);
		try (Connection connection = connect(url)) {
			this.proxy.stop();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection))
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"))
				.satisfies((ex) -> assertThat((Throwable) ex).rootCause().isNotInstanceOf(NullPointerException.class));
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect(url).close())
				.satisfies((ex) -> assertThat((Throwable) ex).rootCause().hasMessageContaining("no fault proxy named 'in-process'"));
			assertThat(this.proxy.socketFactoryArg()).isNull();
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> FaultSocketFactory.urlParameters(this.proxy))
				.withMessage("Proxy 'in-process' is not running");
		}
	}

	@Test
	void refuseFailsConnectAsARefusedPort() throws SQLException {
		try (Connection open = connect()) {
			this.proxy.refuse();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect().close())
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08001"))
				.satisfies((ex) -> assertThat((Throwable) ex).rootCause().isInstanceOf(ConnectException.class));
			assertThat(selectOne(open)).isEqualTo(1);
		}
		this.proxy.heal();
		try (Connection connection = connect()) {
			assertThat(selectOne(connection)).isEqualTo(1);
		}
	}

	@Test
	void downResetsLiveConnectionsAndRefusesNewOnesUntilHealed() throws SQLException {
		try (Connection open = connect()) {
			int pid = open.unwrap(PGConnection.class).getBackendPID();
			this.proxy.down();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(open))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08006"));
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect().close())
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08001"));
			awaitBackendGone(pid);
		}
		this.proxy.heal();
		try (Connection connection = connect()) {
			assertThat(selectOne(connection)).isEqualTo(1);
		}
	}

	@Test
	void stallConnectBlocksConnectUntilTheDriversConnectTimeout() throws SQLException {
		this.proxy.stallConnect();
		long start = System.nanoTime();
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect().close())
			.satisfies((ex) -> assertThat((Throwable) ex).rootCause().isInstanceOf(SocketTimeoutException.class));
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(2000 + 1500));
		this.proxy.heal();
		try (Connection connection = connect()) {
			assertThat(selectOne(connection)).isEqualTo(1);
		}
	}

	@Test
	void twoRunningProxiesWithOneNameGetSocketFactoryArgsOfTheirOwn() throws SQLException {
		try (FaultProxy twin = FaultProxy.builder()
			.name("in-process")
			.upstream(this.database.host(), this.database.port())
			.protocol(Protocol.POSTGRESQL)
			.start(); Connection connection = connect(Transport.IN_PROCESS.url(this.database, twin))) {
			assertThat(twin.socketFactoryArg()).isEqualTo("in-process@2");
			assertThat(selectOne(connection)).isEqualTo(1);
			assertThat(twin.stats().liveConnections()).isEqualTo(1);
			assertThat(this.proxy.stats().liveConnections()).isZero();
		}
	}

	@Test
	void nothingLeaksOnceConnectionsAndTheProxyAreClosed() throws SQLException {
		int before = Resources.openSockets();
		for (int i = 0; i < 5; i++) {
			try (Connection connection = connect()) {
				selectOne(connection);
			}
		}
		try (Connection connection = connect()) {
			this.proxy.resetConnections();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection));
		}
		await("every socket to close", TIMEOUT, () -> Resources.openSockets() <= before);
		await("the proxy to forget its connections", TIMEOUT, () -> this.proxy.stats().liveConnections() == 0);
	}

}
