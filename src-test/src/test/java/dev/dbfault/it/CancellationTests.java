package dev.dbfault.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.dbfault.it.support.ResilienceTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.dbfault.testdb.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A statement cancelled by {@code Statement.cancel}, by a query timeout, or abandoned by
 * its caller leaves the pool usable.
 */
class CancellationTests extends ResilienceTestSupport {

	@Test
	void aStatementCancelledWithCancelLeavesThePoolUsable() throws Exception {
		try (Connection connection = this.pool.getConnection(); Statement statement = connection.createStatement()) {
			CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
				try {
					statement.execute("select pg_sleep(10)");
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			});
			await("the statement to run on the server", Duration.ofSeconds(5), this::sleepIsRunning);
			statement.cancel();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> running.get(5, TimeUnit.SECONDS))
				.satisfies((ex) -> assertThat(sqlState(ex)).isEqualTo("57014"));
			assertThat(connection.isValid(1)).isTrue();
		}
		assertThat(this.ledger.balance(1)).isEqualTo(1000);
	}

	private boolean sleepIsRunning() {
		try {
			return count("select count(*) from pg_stat_activity where query = 'select pg_sleep(10)' and state = 'active'") > 0;
		}
		catch (SQLException ex) {
			return false;
		}
	}

	@Test
	void aQueryTimeoutOnASlowStatementLeavesThePoolUsable() {
		this.dbFault.proxy().sqlLatency("(?i)select balance", Duration.ofSeconds(5));
		JdbcTemplate impatient = new JdbcTemplate(this.pool);
		impatient.setQueryTimeout(1);
		long start = System.nanoTime();
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> impatient.queryForObject("select balance from accounts where id = 1", Long.class));
		assertThat(millisSince(start)).isBetween(1000L, 1000L + TOLERANCE.toMillis());
		this.dbFault.healAll();
		assertThat(this.ledger.balance(1)).isEqualTo(1000);
	}

	@Test
	void anAbandonedFutureLeavesThePoolUsable() throws Exception {
		this.dbFault.proxy().sqlLatency("(?i)select balance", Duration.ofSeconds(2));
		CompletableFuture<Long> slow = CompletableFuture.supplyAsync(() -> this.ledger.balance(1));
		assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> slow.get(200, TimeUnit.MILLISECONDS));
		// the caller gave up; the statement finishes on its own and its connection goes back
		assertThat(this.jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
		assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
		await("the abandoned connection to return", Duration.ofSeconds(5),
				() -> this.pool.getHikariPoolMXBean().getActiveConnections() == 0);
	}

}
