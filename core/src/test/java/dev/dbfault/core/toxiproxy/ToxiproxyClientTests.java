package dev.dbfault.core.toxiproxy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.core.testing.Upstream.Peer;
import dev.dbfault.testdb.TestDatabase;
import dev.dbfault.testdb.Waits;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The published Toxiproxy Java client, unchanged, against dbfault's Toxiproxy API: every
 * toxic, enabling and disabling, reset, errors and updates, on sockets driven by hand and on
 * real JDBC traffic to PostgreSQL.
 */
class ToxiproxyClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	/** Scheduling slack allowed around a toxic's own timing on a loaded 2-core machine. */
	private static final long TOLERANCE_MS = 150;

	private ToxiproxyApi api;

	private ToxiproxyClient client;

	private Upstream upstream;

	@BeforeEach
	void start() {
		this.api = ToxiproxyApi.builder().listen("127.0.0.1", 0).start();
		this.client = new ToxiproxyClient("127.0.0.1", this.api.address().getPort());
		this.upstream = Upstream.manual();
	}

	@AfterEach
	void stop() {
		this.api.close();
		this.upstream.close();
	}

	private Proxy createProxy(String name) throws IOException {
		return this.client.createProxy(name, "127.0.0.1:0", "127.0.0.1:" + this.upstream.port());
	}

	private static InetSocketAddress address(Proxy proxy) {
		String listen = proxy.getListen();
		int colon = listen.lastIndexOf(':');
		return new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
	}

	/** A client connected through the proxy and its peer upstream, with one byte each way behind them. */
	private Connected connect(Proxy proxy) {
		Client client = Client.connect(address(proxy));
		Peer peer = this.upstream.awaitConnection(TIMEOUT);
		Connected connected = new Connected(client, peer);
		// one byte each way, so that the connection is set up before any toxic
		connected.upstreamTransit(1);
		connected.downstreamTransit(1);
		return connected;
	}

	@Test
	void versionNamesTheToxiproxyApiItFollows() throws IOException {
		assertThat(this.client.version()).isEqualTo("{\"version\": \"2.12.0+dbfault\"}");
	}

	@Test
	void createdProxyListensOnAFreePortAndIsListedUnderItsName() throws IOException {
		Proxy proxy = createProxy("db");
		assertThat(proxy.getName()).isEqualTo("db");
		assertThat(proxy.getListen()).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:0");
		assertThat(proxy.getUpstream()).isEqualTo("127.0.0.1:" + this.upstream.port());
		assertThat(proxy.isEnabled()).isTrue();
		createProxy("cache");
		assertThat(this.client.getProxies()).extracting(Proxy::getName).containsExactly("cache", "db");
		assertThat(this.client.getProxy("db").getListen()).isEqualTo(proxy.getListen());
		try (Connected connected = connect(proxy)) {
			assertThat(connected.upstreamTransit(1000)).isLessThan(TOLERANCE_MS);
		}
	}

	@Test
	void errorsAreToxiproxysAnswers() throws IOException {
		Proxy proxy = createProxy("db");
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> createProxy("db"))
			.withMessage("[409] proxy already exists");
		assertThat(this.client.getProxyOrNull("nope")).isNull();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.client.getProxy("nope"))
			.withMessage("[404] proxy not found");
		proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 10);
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> proxy.toxics().latency("slow", ToxicDirection.UPSTREAM, 10))
			.withMessage("[409] toxic already exists");
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> proxy.toxics().get("fast"))
			.withMessage("[404] toxic not found");
	}

	@Test
	void latencyDelaysItsStreamOnAConnectionAlreadyOpen() throws IOException {
		Proxy proxy = createProxy("db");
		try (Connected connected = connect(proxy)) {
			Latency latency = proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 300);
			assertThat(latency.getLatency()).isEqualTo(300);
			assertThat(latency.getJitter()).isZero();
			assertThat(connected.downstreamTransit(10)).isBetween(300L, 300 + TOLERANCE_MS);
			assertThat(connected.upstreamTransit(10)).isLessThan(TOLERANCE_MS);
			latency.setLatency(100);
			assertThat(proxy.toxics().get("slow", Latency.class).getLatency()).isEqualTo(100);
			assertThat(connected.downstreamTransit(10)).isBetween(100L, 100 + TOLERANCE_MS);
			latency.remove();
			assertThat(proxy.toxics().getAll()).isEmpty();
			assertThat(connected.downstreamTransit(10)).isLessThan(TOLERANCE_MS);
		}
	}

	@Test
	void upstreamLatencyDelaysWhatTheClientSends() throws IOException {
		Proxy proxy = createProxy("db");
		try (Connected connected = connect(proxy)) {
			proxy.toxics().latency("slow-up", ToxicDirection.UPSTREAM, 250);
			assertThat(connected.upstreamTransit(10)).isBetween(250L, 250 + TOLERANCE_MS);
			assertThat(connected.downstreamTransit(10)).isLessThan(TOLERANCE_MS);
		}
	}

	@Test
	void bandwidthPacesInKilobytesPerSecond() throws IOException {
		Proxy proxy = createProxy("db");
		try (Connected connected = connect(proxy)) {
			proxy.toxics().bandwidth("narrow", ToxicDirection.DOWNSTREAM, 50);
			// 25,000 bytes at 50 KB/s: half a second
			assertThat(connected.downstreamTransit(25_000)).isBetween(500L - TOLERANCE_MS, 500 + 2 * TOLERANCE_MS);
		}
	}

	@Test
	void bandwidthOfZeroHoldsDataUntilRemoved() throws IOException {
		Proxy proxy = createProxy("db");
		try (Connected connected = connect(proxy)) {
			Toxic held = proxy.toxics().bandwidth("held", ToxicDirection.DOWNSTREAM, 0);
			byte[] data = randomBytes(100);
			connected.peer.write(data);
			assertThat(connected.client.awaitEnd(Duration.ofMillis(300))).isEqualTo(Peer.End.OPEN);
			held.remove();
			assertThat(connected.client.read(100, TIMEOUT)).isEqualTo(data);
		}
	}

	@Test
	void bandwidthOfZeroHoldsThroughTheRemovalOfOtherToxics() throws IOException {
		Proxy proxy = createProxy("db");
		try (Connected connected = connect(proxy)) {
			Latency other = proxy.toxics().latency("other", ToxicDirection.DOWNSTREAM, 50);
			Toxic held = proxy.toxics().bandwidth("held", ToxicDirection.DOWNSTREAM, 0);
			proxy.toxics().bandwidth("paced", ToxicDirection.DOWNSTREAM, 1000);
			byte[] data = randomBytes(100);
			connected.peer.write(data);
			other.setLatency(10);
			other.remove();
			assertThat(connected.client.awaitEnd(Duration.ofMillis(300))).isEqualTo(Peer.End.OPEN);
			held.remove();
			assertThat(connected.client.read(100, TIMEOUT)).isEqualTo(data);
			// and what follows is paced as before, not held for good by the pacing of the held bytes
			assertThat(connected.downstreamTransit(100)).isLessThan(TOLERANCE_MS);
		}
	}

	@Test
	void slicerDeliversEveryByteInOrder() throws IOException {
		Proxy proxy = createProxy("db");
		try (Connected connected = connect(proxy)) {
			// 10 byte slices, 1,000 microseconds apart: 200 slices take at least 199 ms
			proxy.toxics().slicer("sliced", ToxicDirection.DOWNSTREAM, 10, 1000);
			assertThat(connected.downstreamTransit(2_000)).isGreaterThanOrEqualTo(199);
			proxy.toxics().slicer("sliced-up", ToxicDirection.UPSTREAM, 3, 0);
			connected.upstreamTransit(10_000);
		}
	}

	@Test
	void limitDataClosesAfterItsBytes() throws IOException {
		Proxy proxy = createProxy("db");
		try (Connected connected = connect(proxy)) {
			proxy.toxics().limitData("limited", ToxicDirection.DOWNSTREAM, 100);
			byte[] data = randomBytes(150);
			connected.peer.write(data);
			assertThat(connected.client.read(100, TIMEOUT)).isEqualTo(Arrays.copyOf(data, 100));
			// not one byte more: the next read sees the end
			connected.client.socket().setSoTimeout((int) TIMEOUT.toMillis());
			assertThat(readAfterEnd(connected.client.socket().getInputStream())).isEqualTo(-1);
		}
	}

	@Test
	void timeoutStopsDataClosesAfterItsTimeAndItsRemovalClosesWhatItHeld() throws IOException {
		Proxy proxy = createProxy("db");
		try (Connected first = connect(proxy)) {
			// the time counts from when the toxic meets the connection, within the call
			long beforeAdding = System.nanoTime();
			Toxic timeout = proxy.toxics().timeout("cut", ToxicDirection.DOWNSTREAM, 300);
			long afterAdding = System.nanoTime();
			first.peer.write(randomBytes(10));
			assertThat(first.client.awaitEnd(TIMEOUT)).isNotEqualTo(Peer.End.OPEN);
			long now = System.nanoTime();
			assertThat(Duration.ofNanos(now - beforeAdding).toMillis()).isGreaterThanOrEqualTo(300L - 1);
			assertThat(Duration.ofNanos(now - afterAdding).toMillis()).isLessThanOrEqualTo(300L + TOLERANCE_MS);
			timeout.remove();
		}
		try (Connected second = connect(proxy)) {
			Toxic forever = proxy.toxics().timeout("forever", ToxicDirection.DOWNSTREAM, 0);
			second.peer.write(randomBytes(10));
			assertThat(second.client.awaitEnd(Duration.ofMillis(300))).isEqualTo(Peer.End.OPEN);
			forever.remove();
			assertThat(second.client.awaitEnd(TIMEOUT)).isNotEqualTo(Peer.End.OPEN);
		}
	}

	@Test
	void resetPeerResetsAfterItsTimeout() throws IOException {
		Proxy proxy = createProxy("db");
		try (Connected connected = connect(proxy)) {
			long beforeAdding = System.nanoTime();
			proxy.toxics().resetPeer("rst", ToxicDirection.DOWNSTREAM, 200);
			long afterAdding = System.nanoTime();
			assertThat(connected.client.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
			long now = System.nanoTime();
			assertThat(Duration.ofNanos(now - beforeAdding).toMillis()).isGreaterThanOrEqualTo(200L - 1);
			assertThat(Duration.ofNanos(now - afterAdding).toMillis()).isLessThanOrEqualTo(200L + TOLERANCE_MS);
		}
	}

	@Test
	void slowCloseHoldsTheCloseBack() throws IOException {
		Proxy proxy = createProxy("db");
		try (Connected connected = connect(proxy)) {
			proxy.toxics().slowClose("lingering", ToxicDirection.DOWNSTREAM, 300);
			long start = System.nanoTime();
			connected.peer.socket().close();
			assertThat(connected.client.awaitEnd(TIMEOUT)).isNotEqualTo(Peer.End.OPEN);
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(300L - 1,
					300 + TOLERANCE_MS);
		}
	}

	@Test
	void toxicityIsTheChancePerConnection() throws IOException {
		Proxy proxy = createProxy("db");
		Latency latency = proxy.toxics().latency("some", ToxicDirection.DOWNSTREAM, 300);
		latency.setToxicity(0.5f);
		assertThat(proxy.toxics().get("some").getToxicity()).isEqualTo(0.5f);
		int slow = 0;
		int connections = 24;
		for (int i = 0; i < connections; i++) {
			try (Connected connected = new Connected(Client.connect(address(proxy)),
					this.upstream.awaitConnection(TIMEOUT))) {
				// a transit of at least half the latency met it: a stall on a loaded machine is shorter
				boolean first = connected.downstreamTransit(10) >= 150;
				// whatever the first chunk met, every later chunk of the connection meets too
				assertThat(connected.downstreamTransit(10) >= 150).isEqualTo(first);
				slow += first ? 1 : 0;
			}
		}
		// 24 draws at 0.5: all alike has a chance of 2 in 16 million
		assertThat(slow).isBetween(1, connections - 1);
	}

	@Test
	void disableRefusesAndClosesAndEnableListensOnTheSameAddress() throws IOException {
		Proxy proxy = createProxy("db");
		InetSocketAddress address = address(proxy);
		try (Connected connected = connect(proxy)) {
			proxy.disable();
			assertThat(this.client.getProxy("db").isEnabled()).isFalse();
			assertThat(connected.client.awaitEnd(TIMEOUT)).isNotEqualTo(Peer.End.OPEN);
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new Socket(address.getAddress(),
					address.getPort()).close());
		}
		proxy.enable();
		assertThat(this.client.getProxy("db").getListen()).isEqualTo(proxy.getListen());
		try (Connected connected = connect(proxy)) {
			assertThat(connected.upstreamTransit(100)).isLessThan(TOLERANCE_MS);
		}
	}

	@Test
	void resetEnablesEveryProxyAndRemovesEveryToxic() throws IOException {
		Proxy db = createProxy("db");
		Proxy cache = createProxy("cache");
		db.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 500);
		cache.toxics().timeout("cut", ToxicDirection.UPSTREAM, 0);
		cache.disable();
		this.client.reset();
		assertThat(this.client.getProxy("cache").isEnabled()).isTrue();
		assertThat(db.toxics().getAll()).isEmpty();
		assertThat(cache.toxics().getAll()).isEmpty();
		try (Connected connected = connect(db)) {
			assertThat(connected.downstreamTransit(10)).isLessThan(TOLERANCE_MS);
		}
	}

	@Test
	void movedProxyKeepsItsToxics() throws IOException {
		Proxy proxy = createProxy("db");
		proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 100);
		String before = proxy.getListen();
		proxy.setListen("127.0.0.1:0");
		Proxy moved = this.client.getProxy("db");
		assertThat(moved.getListen()).isNotEqualTo(before);
		assertThat(moved.toxics().getAll()).extracting(Toxic::getName).containsExactly("slow");
		try (Connected connected = connect(moved)) {
			assertThat(connected.downstreamTransit(10)).isBetween(100L, 100 + TOLERANCE_MS);
		}
	}

	@Test
	void deletedProxyStopsListening() throws IOException {
		Proxy proxy = createProxy("db");
		InetSocketAddress address = address(proxy);
		proxy.delete();
		assertThat(this.client.getProxyOrNull("db")).isNull();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new Socket(address.getAddress(),
				address.getPort()).close());
	}

	@Test
	void toxicsActOnJdbcTrafficToPostgres() throws Exception {
		TestDatabase database = TestDatabase.get();
		Proxy proxy = this.client.createProxy("postgres", "127.0.0.1:0", database.host() + ":" + database.port());
		InetSocketAddress address = address(proxy);
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.jdbcUrl(address.getHostString(), address.getPort()));
		config.setUsername(database.username());
		config.setPassword(database.password());
		config.setMaximumPoolSize(2);
		config.setConnectionTimeout(2000);
		try (HikariDataSource pool = new HikariDataSource(config)) {
			assertThat(selectOne(pool)).isEqualTo(1);
			Latency latency = proxy.toxics().latency("slow-db", ToxicDirection.DOWNSTREAM, 200);
			long start = System.nanoTime();
			assertThat(selectOne(pool)).isEqualTo(1);
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(200);
			latency.remove();
			proxy.toxics().resetPeer("rst", ToxicDirection.DOWNSTREAM, 0);
			Waits.await("the pool's connections to be reset", TIMEOUT, () -> {
				try {
					selectOne(pool);
					return false;
				}
				catch (SQLException ex) {
					return true;
				}
			});
			this.client.reset();
			Waits.await("the pool to recover", TIMEOUT, () -> {
				try {
					return selectOne(pool) == 1;
				}
				catch (SQLException ex) {
					return false;
				}
			});
		}
	}

	private static int selectOne(HikariDataSource pool) throws SQLException {
		try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT 1")) {
			result.next();
			return result.getInt(1);
		}
	}

	/** Reads one byte: -1 at the end of the stream, and a reset counts as an end too. */
	private static int readAfterEnd(java.io.InputStream in) throws IOException {
		try {
			return in.read();
		}
		catch (java.net.SocketException ex) {
			return -1;
		}
	}

	private static byte[] randomBytes(int size) {
		byte[] data = new byte[size];
		ThreadLocalRandom.current().nextBytes(data);
		return data;
	}

	/**
	 * One connection through a proxy, with both its ends.
	 */
	private record Connected(Client client, Peer peer) implements AutoCloseable {

		/** Milliseconds from the client's write to the upstream's read of {@code size} bytes. */
		long upstreamTransit(int size) {
			byte[] data = randomBytes(size);
			long start = System.nanoTime();
			this.client.send(data);
			assertThat(this.peer.read(size, TIMEOUT)).isEqualTo(data);
			return Duration.ofNanos(System.nanoTime() - start).toMillis();
		}

		/** Milliseconds from the upstream's write to the client's read of {@code size} bytes. */
		long downstreamTransit(int size) {
			byte[] data = randomBytes(size);
			long start = System.nanoTime();
			this.peer.write(data);
			assertThat(this.client.read(size, TIMEOUT)).isEqualTo(data);
			return Duration.ofNanos(System.nanoTime() - start).toMillis();
		}

		@Override
		public void close() {
			this.client.close();
			try {
				this.peer.socket().close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

	}

}
