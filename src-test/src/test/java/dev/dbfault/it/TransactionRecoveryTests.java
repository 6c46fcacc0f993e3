package dev.dbfault.it;

import java.sql.SQLException;
import java.time.Duration;

import dev.dbfault.core.fault.Faults;
import dev.dbfault.it.support.ResilienceTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.TransactionSystemException;

import static dev.dbfault.testdb.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code @Transactional} work when the connection dies or the database refuses a statement:
 * rolled back whole, the connection evicted, the next transaction fine; retried when the
 * failure is transient; made safe by an idempotency key when the outcome is unknown.
 *
 * <p>What the caller sees when the connection dies inside a transaction is not the I/O
 * error itself: HikariCP closes the broken connection at once, so Spring's rollback fails
 * too, and the rollback's {@link TransactionSystemException} ("JDBC rollback failed") is
 * thrown, carrying the original failure as its application exception.
 */
class TransactionRecoveryTests extends ResilienceTestSupport {

	private static void assertRollbackFailedAfter(Throwable failure, Class<? extends Throwable> original) {
		assertThat(failure).isInstanceOf(TransactionSystemException.class).hasMessageContaining("rollback failed");
		assertThat(((TransactionSystemException) failure).getApplicationException()).isInstanceOf(original);
	}

	@Test
	void aConnectionThatDiesInsideATransactionRollsTheWholeTransactionBack() throws SQLException {
		this.dbFault.proxy().inject(Faults.dropOn("insert into writes").after(1).times(1));
		assertRollbackFailedAfter(catchThrowable(() -> this.ledger.writeBoth("first", "second")),
				DataAccessResourceFailureException.class);
		await("the server to end the dead session", Duration.ofSeconds(5), () -> {
			try {
				return count("select count(*) from pg_stat_activity where state = 'idle in transaction'") == 0;
			}
			catch (SQLException ex) {
				return false;
			}
		});
		assertThat(count("select count(*) from writes")).as("rows half-written").isZero();
	}

	@Test
	void aConnectionThatDiesInsideATransactionIsEvictedByThePool() {
		long opened = this.dbFault.totalConnections();
		this.dbFault.proxy().inject(Faults.dropOn("insert into ledger").after(1).times(1));
		assertRollbackFailedAfter(catchThrowable(() -> this.ledger.transfer(1, 2, 10)),
				DataAccessResourceFailureException.class);
		// the dead connection is gone and the pool opened a new one in its place
		await("a replacement connection", Duration.ofSeconds(10),
				() -> this.dbFault.totalConnections() > opened
						&& this.pool.getHikariPoolMXBean().getTotalConnections() == this.pool.getMaximumPoolSize());
	}

	@Test
	void theNextTransactionSucceedsAfterOneDied() throws SQLException {
		this.dbFault.proxy().inject(Faults.dropOn("insert into ledger").after(1).times(1));
		assertThat(catchThrowable(() -> this.ledger.transfer(1, 2, 10))).isNotNull();
		this.ledger.transfer(1, 2, 25);
		assertThat(this.ledger.balance(1)).isEqualTo(975);
		assertThat(this.ledger.balance(2)).isEqualTo(1025);
		assertThat(count("select count(*) from ledger")).isEqualTo(2);
	}

	@Test
	void anInjectedErrorInsideATransactionRollsItBackLikeARealOne() throws SQLException {
		this.dbFault.proxy().inject(Faults.sqlError("insert into ledger", "40001").after(1).times(1));
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> this.ledger.transfer(1, 2, 10));
		assertThat(this.ledger.balance(1)).isEqualTo(1000);
		assertThat(count("select count(*) from ledger")).isZero();
	}

	@Test
	void retryableRetriesASerializationFailureUntilItSucceeds() throws SQLException {
		this.dbFault.proxy().inject(Faults.sqlError("insert into ledger", "40001").times(2));
		long id = this.ledger.recordWithRetry(1, 5, "retry-me");
		assertThat(id).isPositive();
		assertThat(this.ledger.attempts()).isEqualTo(3);
		assertThat(count("select count(*) from ledger where idempotency_key = 'retry-me'")).isEqualTo(1);
	}

	@Test
	void aNonRetryableStateIsNotRetried() throws SQLException {
		this.dbFault.proxy().inject(Faults.sqlError("insert into ledger", "23505").times(1));
		assertThatExceptionOfType(DuplicateKeyException.class)
			.isThrownBy(() -> this.ledger.recordWithRetry(1, 5, "no-retry"));
		assertThat(this.ledger.attempts()).isEqualTo(1);
		assertThat(count("select count(*) from ledger")).isZero();
	}

	@Test
	void theAmbiguousCommitReportsAFailureAlthoughTheRowCommitted() throws SQLException {
		this.dbFault.proxy().inject(Faults.dropOn("(?i)^\\s*commit").when("after").times(1));
		// the commit's I/O error, then the rollback's: the caller is told it failed
		assertThat(catchThrowable(() -> this.ledger.record(1, 5, "ambiguous")))
			.isInstanceOf(TransactionSystemException.class)
			.hasMessageContaining("rollback failed");
		assertThat(count("select count(*) from ledger where idempotency_key = 'ambiguous'")).isEqualTo(1);
	}

	@Test
	void anIdempotencyKeyMakesRetryingAnAmbiguousCommitSafe() throws SQLException {
		this.dbFault.proxy().inject(Faults.dropOn("(?i)^\\s*commit").when("after").times(1));
		long first;
		try {
			first = this.ledger.record(1, 5, "order-42");
		}
		catch (TransactionSystemException unknownOutcome) {
			// the caller cannot know whether it committed: it retries with the same key
			idlePastAliveBypassWindow();
			first = -1;
		}
		long retried = this.ledger.record(1, 5, "order-42");
		assertThat(retried).isPositive();
		if (first > 0) {
			assertThat(retried).isEqualTo(first);
		}
		assertThat(count("select count(*) from ledger where idempotency_key = 'order-42'")).isEqualTo(1);
	}

}
