package dev.dbfault.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.core.testing.Upstream.Peer;
import dev.dbfault.testdb.TestDatabase;
import dev.dbfault.testdb.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The corners of the PostgreSQL protocol a proxy meets less often than a query, each
 * through the PostgreSQL-aware proxy against the real server of this JVM, whichever
 * PostgreSQL from 14 to 18 that is: protocol 3.2 with its long cancel keys, the server's
 * NegotiateProtocolVersion, GSSENCRequest, TLS opened directly, and replication's
 * COPY BOTH. A corner is skipped only where the server or the driver lacks the feature.
 *
 * <p>Several tests speak the protocol over a plain socket, since that is the only way to
 * send exactly the startup packet a corner needs.
 */
class PostgresProtocolCornersTests {

	/** How long a cancelled or refused statement may take to fail; a cancel takes a few ms. */
	private static final Duration PROMPTLY = Duration.ofSeconds(2);

	/** Deadline of every read of the raw protocol sessions. */
	private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

	/** The code of a StartupMessage asking for protocol 3.0 and 3.2, and of a GSSENCRequest. */
	private static final int PROTOCOL_3_0 = 196608;

	private static final int PROTOCOL_3_2 = 196610;

	private static final int GSSENC_REQUEST = 80877104;

	private static TestDatabase database;

	/** {@code server_version_num}, such as 170011. */
	private static int serverVersion;

	/** Major, minor and patch of the PostgreSQL JDBC driver on the class path. */
	private static int[] driverVersion;

	private FaultProxy proxy;

	@BeforeAll
	static void readVersions() throws SQLException {
		database = TestDatabase.get();
		try (Connection direct = database.connect(); Statement statement = direct.createStatement();
				ResultSet rs = statement.executeQuery("show server_version_num")) {
			rs.next();
			serverVersion = Integer.parseInt(rs.getString(1));
			Matcher version = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)").matcher(direct.getMetaData().getDriverVersion());
			assertThat(version.find()).as(direct.getMetaData().getDriverVersion()).isTrue();
			driverVersion = new int[] { Integer.parseInt(version.group(1)), Integer.parseInt(version.group(2)),
					Integer.parseInt(version.group(3)) };
		}
	}

	@BeforeEach
	void startProxy() {
		this.proxy = proxy(TlsHandling.PASS_THROUGH);
	}

	@AfterEach
	void stopProxy() {
		this.proxy.stop();
	}

	private static FaultProxy proxy(TlsHandling tls) {
		return FaultProxy.builder()
			.name("corners")
			.upstream(database.host(), database.port())
			.protocol(Protocol.POSTGRESQL)
			.tls(tls)
			.start();
	}

	private Connection connect(String... properties) throws SQLException {
		return connect(this.proxy, properties);
	}

	private static Connection connect(FaultProxy proxy, String... properties) throws SQLException {
		Properties props = database.credentials();
		props.setProperty("socketTimeout", "10");
		props.setProperty("connectTimeout", "5");
		for (int i = 0; i < properties.length; i += 2) {
			props.setProperty(properties[i], properties[i + 1]);
		}
		return DriverManager.getConnection(database.jdbcUrl("127.0.0.1", proxy.listenAddress().getPort()), props);
	}

	/**
	 * Returns the connection properties that ask for a protocol version: none for 3.0, which
	 * every driver speaks, so that the 3.0 tests run with the oldest driver too.
	 */
	private static String[] asking(String protocol) {
		return "3.2".equals(protocol) ? new String[] { "protocolVersion", "3.2" } : new String[0];
	}

	private static void assumeProtocolSupported(String protocol) {
		if ("3.2".equals(protocol)) {
			assumeTrue(serverVersion >= 180000, "protocol 3.2 needs PostgreSQL 18, the server is " + serverVersion);
			assumeDriverAtLeast(42, 7, 6, "protocolVersion=3.2");
		}
	}

	private static void assumeDriverAtLeast(int major, int minor, int patch, String feature) {
		int[] wanted = { major, minor, patch };
		boolean atLeast = Arrays.compare(driverVersion, wanted) >= 0;
		assumeTrue(atLeast, feature + " needs pgjdbc " + major + "." + minor + "." + patch + ", the driver is "
				+ driverVersion[0] + "." + driverVersion[1] + "." + driverVersion[2]);
	}

	/**
	 * Returns the minor protocol version the driver settled on, read reflectively because
	 * drivers before 42.7.6 (which speak only 3.0) have no such method.
	 */
	private static int negotiatedMinor(Connection connection) throws Exception {
		Object executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
		Object version = executor.getClass().getMethod("getProtocolVersion").invoke(executor);
		return (int) version.getClass().getMethod("getMinor").invoke(version);
	}

	private static int selectInt(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getInt(1);
		}
	}

	private static void assertFailsWith(Connection connection, String sql, String sqlState) {
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectInt(connection, sql))
			.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo(sqlState));
	}

	private static int activeBackendsRunning(String sql) {
		try (Connection direct = database.connect();
				PreparedStatement statement = direct.prepareStatement(
						"select count(*) from pg_stat_activity where state = 'active' and query = ?")) {
			statement.setString(1, sql);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getInt(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// --- 1. protocol 3.2 and its long cancel keys

	@Test
	void protocol32SessionWorksThroughTheProxyAndStatementFaultsApplyToIt() throws Exception {
		assumeProtocolSupported("3.2");
		try (Connection connection = connect("protocolVersion", "3.2")) {
			assertThat(negotiatedMinor(connection)).isEqualTo(2);
			assertThat(selectInt(connection, "select 41 + 1")).isEqualTo(42);
			ActiveFault fault = this.proxy.inject(Faults.sqlError("select 42", "40001"));
			assertFailsWith(connection, "select 42", "40001");
			assertThat(fault.fired()).isEqualTo(1);
			assertThat(selectInt(connection, "select 43")).isEqualTo(43);
			assertThat(this.proxy.stats().encryptedConnections()).isZero();
		}
	}

	@ParameterizedTest(name = "protocol {0}")
	@ValueSource(strings = { "3.0", "3.2" })
	void aCancelThroughTheProxyEndsARunningStatementWith57014Promptly(String protocol) throws Exception {
		assumeProtocolSupported(protocol);
		String sleep = "select pg_sleep(30)";
		try (Connection connection = connect(asking(protocol)); Statement statement = connection.createStatement()) {
			CompletableFuture<SQLException> outcome = CompletableFuture.supplyAsync(() -> {
				try {
					statement.execute(sleep);
					return null;
				}
				catch (SQLException ex) {
					return ex;
				}
			});
			Waits.await("the statement to run on the server", Duration.ofSeconds(10),
					() -> activeBackendsRunning(sleep) == 1);
			long start = System.nanoTime();
			statement.cancel();
			SQLException failure = outcome.get(10, TimeUnit.SECONDS);
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat((failure != null) ? failure.getSQLState() : "no error").isEqualTo("57014");
			assertThat(took).isLessThan(PROMPTLY);
			assertThat(selectInt(connection, "select 1")).isEqualTo(1);
		}
	}

	/**
	 * The proxy answers a cancel of a statement it holds back itself, finding the connection
	 * by the backend key of the CancelRequest: under protocol 3.2 PostgreSQL 18's keys are
	 * longer than the 4 bytes of 3.0, and a lookup that assumed 4 would let the statement
	 * wait out its 30 s.
	 */
	@ParameterizedTest(name = "protocol {0}")
	@ValueSource(strings = { "3.0", "3.2" })
	void aCancelOfAStatementTheProxyHoldsIsAnsweredByTheProxyWhateverTheKeyLength(String protocol) throws Exception {
		assumeProtocolSupported(protocol);
		try (Connection connection = connect(asking(protocol)); Statement statement = connection.createStatement()) {
			ActiveFault held = this.proxy.inject(Faults.sqlLatency("select 7", Duration.ofSeconds(30)));
			CompletableFuture<SQLException> outcome = CompletableFuture.supplyAsync(() -> {
				try {
					statement.execute("select 7");
					return null;
				}
				catch (SQLException ex) {
					return ex;
				}
			});
			Waits.await("the proxy to hold the statement", Duration.ofSeconds(10), () -> held.fired() == 1);
			long start = System.nanoTime();
			statement.cancel();
			SQLException failure = outcome.get(40, TimeUnit.SECONDS);
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat((failure != null) ? failure.getSQLState() : "no error").isEqualTo("57014");
			assertThat(took).isLessThan(PROMPTLY);
			this.proxy.heal();
			assertThat(selectInt(connection, "select 8")).isEqualTo(8);
		}
	}

	// --- 2. NegotiateProtocolVersion

	@Test
	void aDriverAskingForProtocol32GoesOnWith30WhenAnOlderServerNegotiatesItDown() throws Exception {
		assumeTrue(serverVersion < 180000, "PostgreSQL 18 speaks 3.2: it has no reason to negotiate");
		assumeDriverAtLeast(42, 7, 6, "protocolVersion=3.2");
		try (Connection connection = connect("protocolVersion", "3.2")) {
			assertThat(negotiatedMinor(connection)).isZero();
			this.proxy.sqlError("select 42", "40001");
			assertFailsWith(connection, "select 42", "40001");
			assertThat(selectInt(connection, "select 43")).isEqualTo(43);
			assertThat(this.proxy.stats().encryptedConnections()).isZero();
		}
	}

	/**
	 * A raw StartupMessage with an option the server does not know: the server answers
	 * NegotiateProtocolVersion naming it, with the newest minor version it speaks up to the
	 * one asked for, and the session goes on.
	 */
	@ParameterizedTest(name = "protocol 3.{0}")
	@ValueSource(ints = { 0, 2 })
	void aStartupOptionTheServerDoesNotKnowIsNegotiatedAwayAndTheSessionWorks(int minor) {
		this.proxy.sqlError("'faulted'", "40001");
		try (RawSession session = RawSession.open(this.proxy)) {
			session.startup((minor == 0) ? PROTOCOL_3_0 : PROTOCOL_3_2, "user", database.username(), "database",
					database.database(), "_pq_.dbfault_test", "1");
			Message negotiate = session.read();
			assertThat(negotiate.type()).isEqualTo('v');
			int expectedMinor = (serverVersion >= 180000) ? minor : 0;
			// the whole version number, 3 in the upper half, as the StartupMessage's code
			assertThat(negotiate.body().getInt()).as("newest version").isEqualTo((3 << 16) | expectedMinor);
			assertThat(negotiate.body().getInt()).as("options not recognised").isEqualTo(1);
			assertThat(negotiate.string()).isEqualTo("_pq_.dbfault_test");
			Message key = session.awaitReady().stream().filter((m) -> m.type() == 'K').findFirst().orElseThrow();
			int secretLength = key.body().remaining() - 4;
			if (expectedMinor == 2) {
				assertThat(secretLength).as("protocol 3.2's longer cancel key").isGreaterThan(4).isLessThanOrEqualTo(256);
			}
			else {
				assertThat(secretLength).isEqualTo(4);
			}
			assertThat(session.query("select 41 + 1")).containsExactly("42");
			assertThatExceptionOfType(ServerError.class).isThrownBy(() -> session.query("select 'faulted'"))
				.satisfies((ex) -> assertThat(ex.sqlState).isEqualTo("40001"));
			assertThat(this.proxy.stats().encryptedConnections()).isZero();
			session.terminate();
		}
	}

	// --- 3. GSSENCRequest

	@ParameterizedTest
	@EnumSource(TlsHandling.class)
	void aGssEncRequestIsAnsweredNoAndTheStartupAfterItWorksOnTheSameConnection(TlsHandling tls) {
		try (FaultProxy gss = proxy(tls); RawSession session = RawSession.open(gss)) {
			gss.sqlError("'faulted'", "40001");
			session.send(ByteBuffer.allocate(8).putInt(8).putInt(GSSENC_REQUEST).array());
			assertThat((char) session.readByte()).isEqualTo('N');
			session.startup(PROTOCOL_3_0, "user", database.username(), "database", database.database());
			session.awaitReady();
			assertThat(session.query("select 41 + 1")).containsExactly("42");
			assertThatExceptionOfType(ServerError.class).isThrownBy(() -> session.query("select 'faulted'"))
				.satisfies((ex) -> assertThat(ex.sqlState).isEqualTo("40001"));
			assertThat(gss.stats().encryptedConnections()).isZero();
			session.terminate();
		}
	}

	/**
	 * The driver asks for GSS encryption, then (sslmode=prefer) for TLS, and is told 'N'
	 * twice on the same connection before its StartupMessage.
	 */
	@ParameterizedTest
	@EnumSource(TlsHandling.class)
	void aDriverThatPrefersGssEncryptionConnectsInPlaintextAndStatementFaultsApply(TlsHandling tls)
			throws SQLException {
		try (FaultProxy gss = proxy(tls); Connection connection = connect(gss, "gssEncMode", "prefer")) {
			gss.sqlError("select 42", "40001");
			assertFailsWith(connection, "select 42", "40001");
			assertThat(selectInt(connection, "select 43")).isEqualTo(43);
			assertThat(gss.stats().encryptedConnections()).isZero();
		}
	}

	// --- 4. TLS opened directly (sslnegotiation=direct)

	@Test
	void aDirectTlsHelloIsRelayedUnreadWhenTlsPassesThrough() throws Exception {
		byte[] hello = clientHello();
		try (Upstream upstream = Upstream.manual();
				FaultProxy relay = FaultProxy.builder()
					.name("direct-tls")
					.upstream("127.0.0.1", upstream.port())
					.protocol(Protocol.POSTGRESQL)
					.start();
				RawSession session = RawSession.open(relay)) {
			session.send(hello);
			Peer server = upstream.awaitConnection(READ_TIMEOUT);
			assertThat(server.read(hello.length, READ_TIMEOUT)).isEqualTo(hello);
			Waits.await("the connection to be counted as unread", READ_TIMEOUT,
					() -> relay.stats().encryptedConnections() == 1);
			server.write(new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 });
			assertThat(session.readBytes(7)).as("a TLS alert, relayed unread").startsWith((byte) 0x15);
		}
	}

	@Test
	void aDirectTlsHelloToAServerWithoutTlsEndsPromptlyAndTheProxyKeepsServing() throws Exception {
		byte[] hello = clientHello();
		try (RawSession session = RawSession.open(this.proxy)) {
			long start = System.nanoTime();
			session.send(hello);
			assertThat(session.awaitEnd(Duration.ofSeconds(10))).isNotEqualTo(Peer.End.OPEN);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
		}
		assertThat(this.proxy.stats().bytesUpstream()).isGreaterThanOrEqualTo(hello.length);
		Waits.await("the connection to be gone", READ_TIMEOUT, () -> this.proxy.stats().liveConnections() == 0);
		try (Connection connection = connect()) {
			this.proxy.sqlError("select 42", "40001");
			assertFailsWith(connection, "select 42", "40001");
		}
	}

	/**
	 * A proxy that declines TLS must not let a client open it directly: the client could
	 * not fall back to plaintext anyway, and relaying the hello to a server with TLS would
	 * give an encrypted connection that statement faults cannot read.
	 */
	@Test
	void aDirectTlsHelloIsRefusedPromptlyWhenTheProxyDeclinesTls() throws Exception {
		byte[] hello = clientHello();
		try (Upstream upstream = Upstream.manual();
				FaultProxy declining = FaultProxy.builder()
					.name("direct-tls")
					.upstream("127.0.0.1", upstream.port())
					.protocol(Protocol.POSTGRESQL)
					.tls(TlsHandling.DECLINE)
					.start();
				RawSession session = RawSession.open(declining)) {
			long start = System.nanoTime();
			session.send(hello);
			assertThat(session.awaitEnd(Duration.ofSeconds(10))).isNotEqualTo(Peer.End.OPEN);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
			if (upstream.connectionArrives(Duration.ZERO)) {
				assertThat(bytesBeforeEnd(upstream.connections().get(0))).as("bytes the server got").isZero();
			}
		}
		try (FaultProxy declining = proxy(TlsHandling.DECLINE); Connection connection = connect(declining)) {
			assertThat(selectInt(connection, "select 43")).isEqualTo(43);
		}
	}

	@ParameterizedTest
	@EnumSource(TlsHandling.class)
	void aDriverOpeningTlsDirectlyToAServerWithoutTlsFailsPromptly(TlsHandling tls) {
		try (FaultProxy direct = proxy(tls)) {
			long start = System.nanoTime();
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> connect(direct, "sslmode", "require", "sslNegotiation", "direct").close());
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
		}
	}

	private static byte[] clientHello() throws NoSuchAlgorithmException, SSLException {
		SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 5432);
		engine.setUseClientMode(true);
		ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
		engine.wrap(ByteBuffer.allocate(0), out);
		out.flip();
		byte[] hello = new byte[out.remaining()];
		out.get(hello);
		assertThat(hello[0]).as("a TLS handshake record").isEqualTo((byte) 0x16);
		return hello;
	}

	private static int bytesBeforeEnd(Peer peer) throws IOException {
		Socket socket = peer.socket();
		socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
		int total = 0;
		byte[] buffer = new byte[1024];
		try {
			int read;
			while ((read = socket.getInputStream().read(buffer)) >= 0) {
				total += read;
			}
		}
		catch (SocketException ex) {
			// reset: what counts is what came before it
		}
		return total;
	}

	// --- 5. replication and COPY BOTH

	@Test
	void aPhysicalReplicationStreamIsRelayedUntouchedWhileStatementFaultsWatch() throws Exception {
		ActiveFault watching = this.proxy.inject(Faults.sqlError("no statement has this text", "40001"));
		try (Connection replication = connect("replication", "true", "assumeMinServerVersion", "9.4",
				"preferQueryMode", "simple")) {
			LogSequenceNumber start = identifySystem(replication);
			ProxyStats before = this.proxy.stats();
			PGReplicationStream stream = replication.unwrap(PGConnection.class)
				.getReplicationAPI()
				.replicationStream()
				.physical()
				.withStartPosition(start)
				.start();
			try (Connection direct = database.connect(); Statement statement = direct.createStatement()) {
				statement.execute("drop table if exists corners_wal");
				statement.execute("create table corners_wal (id int)");
				statement.execute("insert into corners_wal select generate_series(1, 100)");
			}
			AtomicReference<ByteBuffer> wal = new AtomicReference<>();
			Waits.await("WAL to stream through the proxy", Duration.ofSeconds(10), () -> {
				try {
					ByteBuffer received = stream.readPending();
					if (received != null) {
						wal.set(received);
					}
					return received != null;
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			});
			assertThat(wal.get().remaining()).isPositive();
			assertThat(stream.getLastReceiveLSN().asLong()).isGreaterThanOrEqualTo(start.asLong());
			stream.setFlushedLSN(stream.getLastReceiveLSN());
			stream.forceUpdateStatus();
			stream.close();
			ProxyStats after = this.proxy.stats();
			assertThat(after.bytesUpstream()).as("standby status and CopyDone").isGreaterThan(before.bytesUpstream());
			assertThat(after.bytesDownstream()).as("WAL").isGreaterThan(before.bytesDownstream());
			// back in command mode: the proxy followed the stream's end
			assertThat(identifySystem(replication).asLong()).isGreaterThanOrEqualTo(start.asLong());
		}
		assertThat(watching.fired()).isZero();
		assertThat(this.proxy.stats().encryptedConnections()).isZero();
	}

	private static LogSequenceNumber identifySystem(Connection replication) throws SQLException {
		try (Statement statement = replication.createStatement();
				ResultSet rs = statement.executeQuery("IDENTIFY_SYSTEM")) {
			assertThat(rs.next()).isTrue();
			return LogSequenceNumber.valueOf(rs.getString("xlogpos"));
		}
	}

	// --- the protocol over a plain socket

	/** One message from the server: its type byte and body. */
	private record Message(char type, ByteBuffer body) {

		String string() {
			int start = this.body.position();
			int end = start;
			while (this.body.get(end) != 0) {
				end++;
			}
			String value = new String(this.body.array(), this.body.arrayOffset() + start, end - start,
					StandardCharsets.UTF_8);
			this.body.position(end + 1);
			return value;
		}

	}

	/** An ErrorResponse the server sent. */
	@Test
	void readOnlysCommandNeverGoesBetweenExtendedMessagesThatNoSyncHasEndedYet() {
		try (RawSession session = RawSession.open(this.proxy)) {
			session.startup(PROTOCOL_3_0, "user", database.username(), "database", database.database());
			session.awaitReady();
			this.proxy.inject(Faults.readOnly().connections("all"));
			// a pipeline flushed without a Sync, whose Execute fails: every message is answered
			session.send(extended("select 1 / (random() * 0)::int", false));
			// ParameterStatus messages (the session's default_transaction_read_only) may come at any point
			assertThat(session.readSkippingStatus().type()).isEqualTo('1');
			assertThat(session.readSkippingStatus().type()).isEqualTo('2');
			assertThat(session.readSkippingStatus().type()).isEqualTo('E');
			// the server skips to the Sync: a command of dbfault's sent before this one would get no answer
			session.send(extended("select 2", true));
			assertThat(session.readSkippingStatus().type()).as("the Sync's ReadyForQuery, the rest skipped")
				.isEqualTo('Z');
			assertThat(session.query("select 3")).containsExactly("3");
			assertThatExceptionOfType(ServerError.class)
				.isThrownBy(() -> session.query("create table read_only_probe_" + ProcessHandle.current().pid() + " (x int)"))
				.satisfies((ex) -> assertThat(ex.sqlState).isEqualTo("25006"));
			session.terminate();
		}
	}

	/** Parse, Bind and Execute of one unnamed statement, then a Sync or a Flush. */
	private static byte[] extended(String sql, boolean sync) {
		byte[] text = sql.getBytes(StandardCharsets.UTF_8);
		ByteBuffer out = ByteBuffer.allocate(64 + text.length);
		out.put((byte) 'P').putInt(4 + 1 + text.length + 1 + 2).put((byte) 0).put(text).put((byte) 0).putShort((short) 0);
		out.put((byte) 'B').putInt(4 + 1 + 1 + 2 + 2 + 2).put((byte) 0).put((byte) 0).putShort((short) 0)
			.putShort((short) 0).putShort((short) 0);
		out.put((byte) 'E').putInt(4 + 1 + 4).put((byte) 0).putInt(0);
		out.put((byte) (sync ? 'S' : 'H')).putInt(4);
		return Arrays.copyOf(out.array(), out.position());
	}

	private static final class ServerError extends RuntimeException {

		final String sqlState;

		ServerError(String sqlState, String message) {
			super(sqlState + ": " + message);
			this.sqlState = sqlState;
		}

	}

	/**
	 * A client that speaks the protocol itself, with a deadline on every read. It expects
	 * trust authentication, which the embedded server uses for local connections.
	 */
	private static final class RawSession implements AutoCloseable {

		private final Socket socket;

		private RawSession(Socket socket) {
			this.socket = socket;
		}

		static RawSession open(FaultProxy proxy) {
			Socket socket = new Socket();
			try {
				socket.setTcpNoDelay(true);
				socket.connect(new InetSocketAddress("127.0.0.1", proxy.listenAddress().getPort()), 5000);
				return new RawSession(socket);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		void send(byte[] data) {
			try {
				this.socket.getOutputStream().write(data);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		void startup(int code, String... parameters) {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			for (String parameter : parameters) {
				body.writeBytes(parameter.getBytes(StandardCharsets.UTF_8));
				body.write(0);
			}
			body.write(0);
			send(ByteBuffer.allocate(8 + body.size()).putInt(8 + body.size()).putInt(code).put(body.toByteArray()).array());
		}

		byte[] readBytes(int length) {
			return Upstream.Streams.readFully(this.socket, length, READ_TIMEOUT);
		}

		int readByte() {
			return readBytes(1)[0];
		}

		Message read() {
			ByteBuffer header = ByteBuffer.wrap(readBytes(5));
			char type = (char) header.get();
			return new Message(type, ByteBuffer.wrap(readBytes(header.getInt() - 4)));
		}

		Message readSkippingStatus() {
			Message message = read();
			while (message.type() == 'S') {
				message = read();
			}
			return message;
		}

		/**
		 * Reads the rest of the startup: authentication, parameters, backend key, up to
		 * ReadyForQuery.
		 * @return the messages read
		 */
		List<Message> awaitReady() {
			List<Message> messages = new ArrayList<>();
			Message message;
			do {
				message = read();
				messages.add(message);
				if (message.type() == 'R') {
					assertThat(message.body().getInt(0)).as("AuthenticationOk: the embedded server trusts local users")
						.isZero();
				}
				else if (message.type() == 'E') {
					throw error(message);
				}
			}
			while (message.type() != 'Z');
			return messages;
		}

		/**
		 * Runs a simple Query of one row and column.
		 * @param sql the query
		 * @return the values of its rows
		 */
		List<String> query(String sql) {
			byte[] text = sql.getBytes(StandardCharsets.UTF_8);
			send(ByteBuffer.allocate(1 + 4 + text.length + 1).put((byte) 'Q').putInt(4 + text.length + 1).put(text)
				.put((byte) 0)
				.array());
			List<String> values = new ArrayList<>();
			ServerError failure = null;
			Message message;
			do {
				message = read();
				if (message.type() == 'D') {
					ByteBuffer row = message.body();
					row.getShort();
					byte[] value = new byte[row.getInt()];
					row.get(value);
					values.add(new String(value, StandardCharsets.UTF_8));
				}
				else if (message.type() == 'E') {
					failure = error(message);
				}
			}
			while (message.type() != 'Z');
			if (failure != null) {
				throw failure;
			}
			return values;
		}

		void terminate() {
			send(new byte[] { 'X', 0, 0, 0, 4 });
			assertThat(awaitEnd(READ_TIMEOUT)).isEqualTo(Peer.End.EOF);
		}

		Peer.End awaitEnd(Duration timeout) {
			return Upstream.Streams.awaitEnd(this.socket, timeout);
		}

		private static ServerError error(Message message) {
			String sqlState = null;
			String text = null;
			ByteBuffer body = message.body();
			while (body.hasRemaining()) {
				byte field = body.get();
				if (field == 0) {
					break;
				}
				String value = message.string();
				if (field == 'C') {
					sqlState = value;
				}
				else if (field == 'M') {
					text = value;
				}
			}
			return new ServerError(sqlState, text);
		}

		@Override
		public void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

	}

}
