package dev.dbfault.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.it.app.LedgerService;
import dev.dbfault.it.app.ResilienceApplication;
import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import dev.dbfault.testdb.RequiresDocker;
import dev.dbfault.testdb.SpringBootLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A PostgreSQL container from Testcontainers, connected with {@code @ServiceConnection}:
 * dbfault routes the connection details through a proxy with no configuration, and the
 * faults behave as on the embedded database. The image is {@code dbfault.test.postgres-image}
 * (the official {@code postgres:17} by default). Skipped, with the reason, where no Docker
 * engine answers (failed instead when {@code dbfault.test.require-docker=true}).
 */
@RequiresDocker
@Testcontainers
@SpringBootTest(classes = ResilienceApplication.class)
@AutoConfigureDbFault
class ServiceConnectionTests {

	@Container
	@ServiceConnection
	static final PostgreSQLContainer postgres = new PostgreSQLContainer(
			DockerImageName.parse(System.getProperty("dbfault.test.postgres-image", "postgres:17"))
				.asCompatibleSubstituteFor("postgres"))
		.withUrlParam("socketTimeout", "3");

	@Autowired
	private DbFault dbFault;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private LedgerService ledger;

	@Autowired
	private ApplicationContext context;

	@BeforeEach
	void cleanTables() throws SQLException {
		try (Connection connection = postgres.createConnection(""); Statement statement = connection.createStatement()) {
			statement.execute("truncate ledger, writes");
			statement.execute("delete from accounts");
			statement.execute("insert into accounts values (1, 1000), (2, 1000)");
		}
	}

	@AfterEach
	void heal() {
		this.dbFault.restore(Duration.ofSeconds(15));
	}

	@Test
	void theServiceConnectionGoesThroughAProxyToTheContainer() throws ReflectiveOperationException {
		FaultProxy proxy = this.dbFault.proxy();
		assertThat(proxy.upstreamAddress().getPort()).isEqualTo(postgres.getMappedPort(5432));
		// the container's own connection details are untouched; the pool's URL is rewritten
		Class<?> connectionDetails = SpringBootLine.jdbcConnectionDetails();   // its package is the line's
		assertThat(connectionDetails.getMethod("getJdbcUrl").invoke(this.context.getBean(connectionDetails)))
			.isEqualTo(postgres.getJdbcUrl());
		assertThat(this.jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL");
		assertThat(proxy.stats().bytesDownstream()).isPositive();
	}

	@Test
	void aResetIsSeenAndRecoveredFrom() {
		this.ledger.balance(1);
		this.dbFault.proxy().resetConnections();
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> this.ledger.balance(1));
		this.dbFault.awaitDataSource(Duration.ofSeconds(10));
		assertThat(this.ledger.balance(1)).isEqualTo(1000);
	}

	@Test
	void aBlackholeIsBoundedByTheSocketTimeout() {
		this.ledger.balance(1);
		this.dbFault.proxy().blackhole();
		long start = System.nanoTime();
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> this.ledger.balance(1));
		assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(2990L, 3700L);
	}

	@Test
	void anInjectedSerializationFailureReachesTheCaller() {
		this.dbFault.proxy().sqlError("select balance", "40001");
		assertThatExceptionOfType(CannotAcquireLockException.class).isThrownBy(() -> this.ledger.balance(1));
	}

	@Test
	void theAmbiguousCommitCommitsWhatTheCallerWasToldFailed() throws SQLException {
		this.dbFault.proxy().inject(Faults.dropOn("(?i)^\\s*commit").when("after").times(1));
		assertThatExceptionOfType(TransactionSystemException.class)
			.isThrownBy(() -> this.ledger.record(1, 5, "container-ambiguous"));
		try (Connection connection = postgres.createConnection(""); Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("select count(*) from ledger where idempotency_key = 'container-ambiguous'")) {
			rs.next();
			assertThat(rs.getInt(1)).isEqualTo(1);
		}
	}

	@Test
	void healingRestoresService() {
		this.dbFault.proxy().down();
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> this.ledger.balance(1));
		this.dbFault.healAll();
		this.dbFault.awaitDataSource(Duration.ofSeconds(10));
		assertThat(this.ledger.balance(2)).isEqualTo(1000);
	}

}
