package dev.dbfault.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.it.support.ResilienceTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.dbfault.testdb.Waits.await;
import static dev.dbfault.testdb.Waits.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Errors reach callers as clear exceptions and leave statements, connections and requests
 * in a defined state: an SQL error does not break its statement or connection, and with the
 * database down a request waits in the pool up to its connection timeout, then either
 * completes (the database came back) or fails with a connection exception.
 */
class ErrorPropagationTests extends ResilienceTestSupport {

	@Test
	void aStatementIsReusableAfterAnSqlError() throws SQLException {
		try (Connection connection = this.pool.getConnection();
				PreparedStatement statement = connection.prepareStatement("select 1 / ?")) {
			statement.setInt(1, 0);
			assertThatExceptionOfType(SQLException.class).isThrownBy(statement::executeQuery)
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("22012"));
			statement.setInt(1, 1);
			try (ResultSet rs = statement.executeQuery()) {
				assertThat(rs.next()).isTrue();
				assertThat(rs.getInt(1)).isEqualTo(1);
			}
		}
	}

	@Test
	void aStatementIsReusableAfterAnInjectedError() throws SQLException {
		try (Connection connection = this.pool.getConnection();
				PreparedStatement statement = connection.prepareStatement("select balance from accounts where id = ?")) {
			statement.setInt(1, 1);
			try (ActiveFault fault = this.dbFault.proxy().sqlError("select balance", "40001")) {
				assertThatExceptionOfType(SQLException.class).isThrownBy(statement::executeQuery);
			}
			try (ResultSet rs = statement.executeQuery()) {
				assertThat(rs.next()).isTrue();
				assertThat(rs.getLong(1)).isEqualTo(1000);
			}
		}
	}

	@Test
	void aConnectionSurvivesClosingAStatementAfterAnError() throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			Statement failing = connection.createStatement();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> failing.execute("select * from nowhere"));
			assertThatCode(failing::close).doesNotThrowAnyException();
			try (Statement next = connection.createStatement(); ResultSet rs = next.executeQuery("select 2")) {
				rs.next();
				assertThat(rs.getInt(1)).isEqualTo(2);
			}
			assertThat(connection.isValid(1)).isTrue();
		}
	}

	@Test
	void withTheDatabaseDownARequestWaitsInThePoolAndCompletesWhenItReturns() throws Exception {
		// the server goes away: live connections die, new ones are refused. First the pool must
		// open none: one it finished opening after the fault struck would sit in it dead
		this.dbFault.awaitIdlePool(Duration.ofSeconds(15));
		this.dbFault.proxy().down();
		emptyThePool();
		long start = System.nanoTime();
		CompletableFuture<Long> request = CompletableFuture.supplyAsync(() -> this.ledger.balance(1));
		pause(Duration.ofMillis(500));
		assertThat(request).as("the request waits for a connection").isNotDone();
		this.dbFault.healAll();
		assertThat(request.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
		// within the pool's connection timeout (2s): it waited, it did not fail
		assertThat(millisSince(start)).isLessThan(2000 + TOLERANCE.toMillis());
	}

	@Test
	void withTheDatabaseDownARequestFailsWithAConnectionExceptionAfterTheConnectionTimeout() {
		this.dbFault.awaitIdlePool(Duration.ofSeconds(15));
		this.dbFault.proxy().down();
		emptyThePool();
		long start = System.nanoTime();
		assertThatExceptionOfType(CannotGetJdbcConnectionException.class).isThrownBy(() -> this.ledger.balance(1))
			.withRootCauseInstanceOf(java.net.ConnectException.class)
			.satisfies((ex) -> assertThat(ex.getCause()).isInstanceOf(java.sql.SQLTransientConnectionException.class));
		assertThat(millisSince(start)).isBetween(2000L - 50, 2000L + TOLERANCE.toMillis());
		TransactionTemplate transaction = new TransactionTemplate(
				new org.springframework.jdbc.support.JdbcTransactionManager(this.pool));
		assertThatExceptionOfType(CannotCreateTransactionException.class)
			.isThrownBy(() -> transaction.executeWithoutResult((status) -> this.ledger.balance(1)));
	}

	@Test
	void theTransactionThatWasOpenWhenTheServerWentAwayStillFails() throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			connection.setAutoCommit(false);
			connection.createStatement().execute("update accounts set balance = 1 where id = 1");
			this.dbFault.proxy().down().close();
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> connection.createStatement().execute("select 1"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
		}
		catch (SQLException closing) {
			// rolling back on close fails on the dead connection too
		}
		await("the server to roll the transaction back", Duration.ofSeconds(5), () -> {
			try {
				return count("select balance from accounts where id = 1") == 1000;
			}
			catch (SQLException ex) {
				return false;
			}
		});
	}

	@Test
	void badSqlStillFailsWithTheGrammarExceptionWhileFaultsAreActive() {
		this.dbFault.proxy().latency(Duration.ofMillis(20));
		this.dbFault.proxy().sqlError("no statement matches this", "40001");
		assertThatExceptionOfType(BadSqlGrammarException.class)
			.isThrownBy(() -> this.jdbc.queryForObject("select nothing from nowhere", Integer.class))
			.satisfies((ex) -> assertThat(sqlState(ex)).isEqualTo("42P01"));
	}

}
