package dev.dbfault.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;

import dev.dbfault.core.testing.Transport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A client that asks for TLS: with a server that speaks TLS the proxy passes the encrypted
 * connection through unread (or declines TLS when told to), never hangs, and says why
 * statement faults cannot apply.
 */
class PostgresTlsTests {

	@TempDir
	static Path certificates;

	private static EmbeddedPostgres tlsServer;

	@BeforeAll
	static void startTlsServer() throws Exception {
		Path keyStore = certificates.resolve("server.p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "pg", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
				"-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "changeit",
				"-ext", "SAN=dns:localhost,ip:127.0.0.1")
			.redirectErrorStream(true)
			.start();
		assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
			.isZero();
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (var in = Files.newInputStream(keyStore)) {
			store.load(in, "changeit".toCharArray());
		}
		PrivateKey key = (PrivateKey) store.getKey("pg", "changeit".toCharArray());
		Certificate certificate = store.getCertificate("pg");
		Path keyFile = certificates.resolve("server.key");
		Path certFile = certificates.resolve("server.crt");
		Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
		Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
		Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
		tlsServer = EmbeddedPostgres.builder()
			.setServerConfig("listen_addresses", "127.0.0.1")
			.setServerConfig("ssl", "on")
			.setServerConfig("ssl_cert_file", certFile.toString())
			.setServerConfig("ssl_key_file", keyFile.toString())
			.start();
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	@AfterAll
	static void stopTlsServer() throws IOException {
		if (tlsServer != null) {
			tlsServer.close();
		}
	}

	private static FaultProxy proxy(int port, TlsHandling tls) {
		return FaultProxy.builder()
			.name("tls")
			.upstream("127.0.0.1", port)
			.protocol(Protocol.POSTGRESQL)
			.tls(tls)
			.start();
	}

	private Connection connect(FaultProxy proxy, String sslmode, String... more) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", "postgres");
		properties.setProperty("sslmode", sslmode);
		properties.setProperty("socketTimeout", "5");
		properties.setProperty("connectTimeout", "5");
		for (int i = 0; i < more.length; i += 2) {
			properties.setProperty(more[i], more[i + 1]);
		}
		String url = (transport() == Transport.PROXY)
				? "jdbc:postgresql://127.0.0.1:" + proxy.listenAddress().getPort() + "/postgres"
				: "jdbc:postgresql://127.0.0.1:" + tlsServer.getPort() + "/postgres?"
						+ FaultSocketFactory.urlParameters(proxy);
		return DriverManager.getConnection(url, properties);
	}

	/**
	 * Returns how the driver reaches the proxy's faults; {@link PostgresTlsInProcessTests}
	 * runs every test here without the relay, TLS above the in-process socket.
	 * @return the transport
	 */
	Transport transport() {
		return Transport.PROXY;
	}

	private static boolean isEncrypted(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select ssl from pg_stat_ssl where pid = pg_backend_pid()")) {
			rs.next();
			return rs.getBoolean(1);
		}
	}

	@Test
	void passesTlsThroughUnreadAndRefusesStatementFaultsSayingWhy() throws SQLException {
		try (FaultProxy proxy = proxy(tlsServer.getPort(), TlsHandling.PASS_THROUGH);
				Connection connection = connect(proxy, "require")) {
			assertThat(isEncrypted(connection)).isTrue();
			assertThat(proxy.stats().encryptedConnections()).isEqualTo(1);
			assertThatExceptionOfType(FaultNotSupportedException.class)
				.isThrownBy(() -> proxy.sqlError("select", "40001"))
				.withMessageContaining("encrypted")
				.withMessageContaining("TlsHandling.DECLINE");
			// TCP faults act on encrypted connections all the same
			proxy.resetConnections();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> isEncrypted(connection))
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
		}
	}

	@Test
	void declinesTlsSoThatPreferFallsBackToPlaintextAndStatementFaultsWork() throws SQLException {
		try (FaultProxy proxy = proxy(tlsServer.getPort(), TlsHandling.DECLINE);
				Connection connection = connect(proxy, "prefer")) {
			assertThat(isEncrypted(connection)).isFalse();
			assertThat(proxy.stats().encryptedConnections()).isZero();
			proxy.sqlError("pg_stat_ssl", "40001");
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> isEncrypted(connection))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
		}
	}

	@Test
	void aClientThatRequiresTlsFailsFastWhenTheProxyDeclinesIt() {
		try (FaultProxy proxy = proxy(tlsServer.getPort(), TlsHandling.DECLINE)) {
			long start = System.nanoTime();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect(proxy, "require").close())
				.withMessageContaining("SSL");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		}
	}

	@Test
	void aClientOpeningTlsDirectlyIsPassedThroughEncrypted() throws SQLException {
		assumeDirectTls();
		try (FaultProxy proxy = proxy(tlsServer.getPort(), TlsHandling.PASS_THROUGH);
				Connection connection = connect(proxy, "require", "sslNegotiation", "direct")) {
			assertThat(isEncrypted(connection)).isTrue();
			assertThat(proxy.stats().encryptedConnections()).isEqualTo(1);
		}
	}

	/**
	 * There is no SSLRequest to answer 'N' to: the proxy closes the connection rather than
	 * relay the ClientHello, which the server would accept, encrypting the connection out of
	 * reach of statement faults.
	 */
	@Test
	void aClientOpeningTlsDirectlyFailsFastWhenTheProxyDeclinesTls() throws SQLException {
		assumeDirectTls();
		try (FaultProxy proxy = proxy(tlsServer.getPort(), TlsHandling.DECLINE)) {
			long start = System.nanoTime();
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> connect(proxy, "require", "sslNegotiation", "direct").close());
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			try (Connection connection = connect(proxy, "prefer")) {
				assertThat(isEncrypted(connection)).isFalse();
			}
		}
	}

	/**
	 * Skips unless both ends can open TLS directly: PostgreSQL 17 and a driver that knows
	 * {@code sslNegotiation}.
	 */
	private static void assumeDirectTls() throws SQLException {
		String url = "jdbc:postgresql://127.0.0.1:" + tlsServer.getPort() + "/postgres";
		boolean driverKnowsIt = Arrays.stream(DriverManager.getDriver(url).getPropertyInfo(url, new Properties()))
			.anyMatch((property) -> property.name.equals("sslNegotiation"));
		assumeTrue(driverKnowsIt, "the driver has no sslNegotiation property");
		try (Connection direct = tlsServer.getPostgresDatabase().getConnection();
				Statement statement = direct.createStatement();
				ResultSet rs = statement.executeQuery("show server_version_num")) {
			rs.next();
			assumeTrue(rs.getInt(1) >= 170000, "TLS opened directly needs PostgreSQL 17, the server is " + rs.getInt(1));
		}
	}

	@Test
	void preferWithPassThroughEncryptsAndStillRelays() throws SQLException {
		try (FaultProxy proxy = proxy(tlsServer.getPort(), TlsHandling.PASS_THROUGH);
				Connection connection = connect(proxy, "prefer")) {
			assertThat(isEncrypted(connection)).isTrue();
			proxy.latency(Duration.ofMillis(50));
			long start = System.nanoTime();
			isEncrypted(connection);
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(49);
		}
	}

}
