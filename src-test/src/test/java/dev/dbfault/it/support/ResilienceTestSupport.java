package dev.dbfault.it.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbfault.it.app.LedgerService;
import dev.dbfault.it.app.ResilienceApplication;
import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import dev.dbfault.testdb.TestDatabase;
import dev.dbfault.testdb.TestDatabaseCondition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.dbfault.testdb.Waits.await;
import static dev.dbfault.testdb.Waits.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every suite shares: the service under test with dbfault on, the database chosen by
 * {@code dbfault.test.database} (embedded by default), clean tables before each test, and a
 * healed, refilled pool after it.
 */
@SpringBootTest(classes = ResilienceApplication.class)
@AutoConfigureDbFault
@ExtendWith(TestDatabaseCondition.class)
public abstract class ResilienceTestSupport {

	/** Scheduling slack allowed around timing assertions on a loaded 2-core machine. */
	protected static final Duration TOLERANCE = Duration.ofMillis(700);

	/** HikariCP hands out a connection unchecked if it was used less than this long ago. */
	protected static final Duration HIKARI_ALIVE_BYPASS = Duration.ofMillis(500);

	/** The driver's socket timeout in every suite's URL. */
	protected static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);

	@Autowired
	protected DbFault dbFault;

	@Autowired
	protected HikariDataSource pool;

	@Autowired
	protected JdbcTemplate jdbc;

	@Autowired
	protected LedgerService ledger;

	/**
	 * Starts (or finds) the database before the context: a kind that cannot run here (no
	 * Docker engine for Testcontainers) skips the suite with the reason.
	 */
	@BeforeAll
	static void databaseIsAvailable() {
		TestDatabase.get();
	}

	/**
	 * The database with the driver's timeouts a resilient service sets: a statement's cancel
	 * request (sent at a query timeout) waits 2 s at most for a server it cannot reach (pgjdbc
	 * waits 10 s by default, and the statement with it).
	 */
	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.get()
			.springProperties("socketTimeout=" + SOCKET_TIMEOUT.toSeconds(), "connectTimeout=3", "tcpKeepAlive=true",
					"cancelSignalTimeout=2")
			.forEach((name, value) -> registry.add(name, () -> value));
	}

	@BeforeEach
	void cleanTables() throws SQLException {
		try (Connection connection = direct(); Statement statement = connection.createStatement()) {
			statement.execute("truncate ledger, writes");
			statement.execute("delete from accounts");
			statement.execute("insert into accounts values (1, 1000), (2, 1000)");
		}
		this.ledger.resetAttempts();
	}

	/**
	 * Checks that the pool reaches the faults the way this run asked: through the proxy's
	 * port, or, with {@code dbfault.transport=socket}, in the driver's own sockets.
	 */
	@BeforeEach
	void transportIsTheOneAsked() {
		boolean socket = "socket".equals(System.getProperty("dbfault.transport"));
		assertThat(this.pool.getJdbcUrl().contains("socketFactory=dev.dbfault.core.FaultSocketFactory"))
			.as("in-process transport in " + this.pool.getJdbcUrl())
			.isEqualTo(socket);
	}

	@AfterEach
	void healAndRefillThePool() {
		// heals, and evicts the connections a fault killed: the next test starts with fresh ones
		this.dbFault.restore(Duration.ofSeconds(15));
	}

	/**
	 * Evicts every pooled connection and waits until the pool holds none: with the database
	 * down, it cannot open others.
	 */
	protected void emptyThePool() {
		this.dbFault.evictConnections();
		await("the pool to empty", Duration.ofSeconds(5), () -> this.pool.getHikariPoolMXBean().getTotalConnections() == 0);
	}

	/**
	 * Opens a connection straight to the database, around the proxy, to see what really
	 * happened there.
	 */
	protected static Connection direct() throws SQLException {
		return TestDatabase.get().connect();
	}

	protected static long count(String sql) throws SQLException {
		try (Connection connection = direct(); Statement statement = connection.createStatement();
				var rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	/**
	 * Lets the pool's connections sit idle past HikariCP's alive-bypass window, so that the
	 * next borrow validates them: a defined window of the pool, not a guess.
	 */
	protected static void idlePastAliveBypassWindow() {
		pause(HIKARI_ALIVE_BYPASS.plusMillis(100));
	}

	protected static long millisSince(long start) {
		return Duration.ofNanos(System.nanoTime() - start).toMillis();
	}

	/**
	 * Returns the SQLSTATE of the first SQLException in a chain.
	 */
	protected static String sqlState(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				return sql.getSQLState();
			}
		}
		return null;
	}

}
