package dev.dbfault.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.RecordingRelay;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.core.testing.Upstream.Peer;
import dev.dbfault.testdb.TestDatabase;
import dev.dbfault.testdb.Waits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real PostgreSQL traffic, captured once, replayed through a PostgreSQL-aware proxy in
 * random splits both ways while statement faults watch every message: the bytes that come
 * out must be exactly the bytes that went in.
 */
class PostgresReplayTests {

	/** One captured session per query mode: client bytes, then server bytes. */
	private static final java.util.List<byte[][]> sessions = new java.util.ArrayList<>();

	@BeforeAll
	static void capture() throws Exception {
		// the driver's default sslmode=prefer opens with an SSLRequest, which the replay relies on
		TestDatabase database = TestDatabase.get();
		for (String mode : new String[] { "extended", "simple" }) {
			try (RecordingRelay relay = new RecordingRelay(database.host(), database.port())) {
				workload(database, relay.port(), mode);
				byte[][] session = new byte[2][];
				// the server's last bytes may still be on their way through the relay
				Waits.await("the session to end", Duration.ofSeconds(5), () -> {
					session[0] = relay.upstreamBytes();
					session[1] = relay.downstreamBytes();
					return session[0].length > 0 && session[0][session[0].length - 5] == 'X';
				});
				assertThat(session[0].length).isGreaterThan(2000);
				assertThat(session[1].length).isGreaterThan(10_000);
				sessions.add(session);
			}
		}
	}

	/** Every kind of traffic the driver produces: prepared, batched, failing, copying, notifying. */
	private static void workload(TestDatabase database, int port, String mode) throws SQLException, IOException {
		Properties properties = database.credentials();
		properties.setProperty("preferQueryMode", mode);
		properties.setProperty("prepareThreshold", "2");
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl("127.0.0.1", port), properties);
				Statement statement = connection.createStatement()) {
			statement.execute("drop table if exists replay");
			statement.execute("create table replay (id int primary key, name text)");
			try (PreparedStatement insert = connection.prepareStatement("insert into replay values (?, ?)")) {
				for (int i = 0; i < 50; i++) {
					insert.setInt(1, i);
					insert.setString(2, "name-" + i + "-é✓");
					insert.addBatch();
				}
				insert.executeBatch();
			}
			try (PreparedStatement select = connection.prepareStatement("select * from replay where id < ?")) {
				for (int i = 0; i < 5; i++) {
					select.setInt(1, i * 10);
					try (ResultSet rs = select.executeQuery()) {
						while (rs.next()) {
							rs.getString(2);
						}
					}
				}
			}
			try {
				statement.execute("select * from no_such_table");
			}
			catch (SQLException expected) {
				// an error in the stream is part of what is replayed
			}
			connection.setAutoCommit(false);
			statement.setFetchSize(7);
			try (ResultSet rs = statement.executeQuery("select id, repeat('x', 3000) from replay")) {
				while (rs.next()) {
					rs.getString(2);
				}
			}
			statement.execute("do $$ begin raise notice 'hello from the server'; end $$");
			statement.execute("listen replay_channel");
			statement.execute("notify replay_channel, 'payload'");
			connection.commit();
			connection.setAutoCommit(true);
			var copy = connection.unwrap(PGConnection.class).getCopyAPI();
			copy.copyIn("copy replay from stdin", new StringReader("1000\tcopied\n1001\tcopied too\n"));
			copy.copyOut("copy replay to stdout", new StringWriter());
			statement.execute("drop table replay");
		}
	}

	@Test
	void replayedTrafficPassesByteForByteWhateverTheSplits() throws Exception {
		Random random = new Random(20261122);
		for (int round = 0; round < 25; round++) {
			for (byte[][] session : sessions) {
				replay(session[0], session[1], random.nextLong());
			}
		}
	}

	private static void replay(byte[] clientBytes, byte[] serverBytes, long seed) throws Exception {
		try (Upstream upstream = Upstream.manual();
				FaultProxy proxy = FaultProxy.builder()
					.name("replay")
					.upstream("127.0.0.1", upstream.port())
					.protocol(Protocol.POSTGRESQL)
					.start()) {
			// faults that match nothing make the proxy read every statement whole
			proxy.sqlError("statement that never runs", "40001");
			proxy.inject(Faults.dropAfterRows(1).match("nor does this one"));
			try (Client client = Client.connect(proxy)) {
				Peer peer = upstream.awaitConnection(Duration.ofSeconds(5));
				Random random = new Random(seed);
				CompletableFuture<Void> sendUp = CompletableFuture
					.runAsync(() -> writeInPieces(client.socket(), clientBytes, new Random(random.nextLong())));
				// a server answers the SSLRequest only once it has it; everything after flows both ways at once
				byte[] sslRequest = peer.read(8, Duration.ofSeconds(5));
				CompletableFuture<Void> sendDown = CompletableFuture
					.runAsync(() -> writeInPieces(peer.socket(), serverBytes, new Random(random.nextLong())));
				byte[] rest = peer.read(clientBytes.length - 8, Duration.ofSeconds(20));
				byte[] received = new byte[clientBytes.length];
				System.arraycopy(sslRequest, 0, received, 0, 8);
				System.arraycopy(rest, 0, received, 8, rest.length);
				assertThat(received).as("seed %d upstream", seed).isEqualTo(clientBytes);
				assertThat(client.read(serverBytes.length, Duration.ofSeconds(20))).as("seed %d downstream", seed)
					.isEqualTo(serverBytes);
				sendUp.get(5, TimeUnit.SECONDS);
				sendDown.get(5, TimeUnit.SECONDS);
			}
			assertThat(proxy.stats().encryptedConnections()).isZero();
		}
	}

	private static void writeInPieces(java.net.Socket socket, byte[] data, Random random) {
		try {
			OutputStream out = socket.getOutputStream();
			int offset = 0;
			while (offset < data.length) {
				int size = switch (random.nextInt(4)) {
					case 0 -> 1;
					case 1 -> 1 + random.nextInt(8);
					case 2 -> 1 + random.nextInt(300);
					default -> 1 + random.nextInt(20_000);
				};
				size = Math.min(size, data.length - offset);
				out.write(data, offset, size);
				out.flush();
				offset += size;
			}
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@Test
	void aStartupItCannotReadIsRelayedAsPlainTcp() {
		try (Upstream upstream = Upstream.echo();
				FaultProxy proxy = FaultProxy.builder()
					.name("garbage")
					.upstream("127.0.0.1", upstream.port())
					.protocol(Protocol.POSTGRESQL)
					.start();
				Client client = Client.connect(proxy)) {
			byte[] notPostgres = "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes();
			assertThat(client.echo(notPostgres, Duration.ofSeconds(5))).isEqualTo(notPostgres);
			Waits.await("the connection to be counted as unread", Duration.ofSeconds(5),
					() -> proxy.stats().encryptedConnections() == 1);
		}
	}

	@Test
	void anUnknownStartupCodeIsRelayedAsPlainTcp() throws IOException {
		try (Upstream upstream = Upstream.echo();
				FaultProxy proxy = FaultProxy.builder()
					.upstream("127.0.0.1", upstream.port())
					.protocol(Protocol.POSTGRESQL)
					.start();
				Client client = Client.connect(proxy)) {
			byte[] packet = java.nio.ByteBuffer.allocate(12).putInt(12).putInt(1234).putInt(5678).array();
			assertThat(client.echo(packet, Duration.ofSeconds(5))).isEqualTo(packet);
			byte[] more = { 1, 2, 3, 4, 5 };
			assertThat(client.echo(more, Duration.ofSeconds(5))).isEqualTo(more);
			InputStream unused = client.socket().getInputStream();
			assertThat(unused.available()).isZero();
		}
	}

}
