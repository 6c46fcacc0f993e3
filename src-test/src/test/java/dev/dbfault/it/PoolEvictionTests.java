package dev.dbfault.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbfault.it.support.ResilienceTestSupport;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import static dev.dbfault.testdb.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * HikariCP against dead connections: one killed while idle is not handed out once the pool
 * checks it, one that failed with an I/O error is marked unusable and evicted on return, and
 * when all idle connections die at once the next request gets fresh ones.
 */
class PoolEvictionTests extends ResilienceTestSupport {

	private HikariPoolMXBean poolBean() {
		return this.pool.getHikariPoolMXBean();
	}

	private void fillThePool() {
		await("a full pool", java.time.Duration.ofSeconds(10),
				() -> poolBean().getIdleConnections() == this.pool.getMaximumPoolSize());
	}

	@Test
	void aConnectionKilledWhileIdleInThePoolIsReplacedForTheNextBorrower() throws SQLException {
		fillThePool();
		long opened = this.dbFault.totalConnections();
		this.dbFault.proxy().resetConnections();
		idlePastAliveBypassWindow();
		try (Connection connection = this.pool.getConnection(); Statement statement = connection.createStatement()) {
			assertThat(statement.execute("select 1")).isTrue();
		}
		assertThat(this.dbFault.totalConnections()).isGreaterThan(opened);
	}

	@Test
	void anIoFailureMarksTheConnectionUnusable() throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			connection.createStatement().execute("select 1");
			this.dbFault.proxy().resetConnections();
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> connection.createStatement().execute("select 1"));
			assertThat(connection.isValid(1)).isFalse();
			assertThat(connection.isClosed()).isTrue();
		}
	}

	@Test
	void thePoolEvictsAConnectionThatFailedWithAnIoErrorWhenItIsReturned() throws SQLException {
		fillThePool();
		int backend;
		try (Connection connection = this.pool.getConnection()) {
			backend = connection.unwrap(PGConnection.class).getBackendPID();
			this.dbFault.proxy().resetPeer(java.time.Duration.ZERO).close();
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> connection.createStatement().execute("select 1"));
		}
		assertThat(poolBean().getTotalConnections()).isLessThanOrEqualTo(this.pool.getMaximumPoolSize());
		fillThePool();
		for (int i = 0; i < this.pool.getMaximumPoolSize(); i++) {
			try (Connection connection = this.pool.getConnection()) {
				assertThat(connection.unwrap(PGConnection.class).getBackendPID()).isNotEqualTo(backend);
			}
		}
	}

	@Test
	void whenEveryIdleConnectionDiesTheNextRequestMintsFreshOnesAndSucceeds() {
		fillThePool();
		long opened = this.dbFault.totalConnections();
		this.dbFault.proxy().resetConnections();
		assertThat(this.dbFault.liveConnections()).isZero();
		idlePastAliveBypassWindow();
		assertThat(this.ledger.balance(1)).isEqualTo(1000);
		assertThat(this.dbFault.totalConnections()).isGreaterThan(opened);
		fillThePool();
		assertThat(this.dbFault.liveConnections()).isEqualTo(this.pool.getMaximumPoolSize());
	}

	@Test
	void aConnectionBorrowedRightAfterItDiedFailsOnceAndThenThePoolRecovers() {
		this.ledger.balance(1);
		this.dbFault.proxy().resetConnections();
		// inside HikariCP's alive-bypass window the dead connection is handed out unchecked
		assertThatExceptionOfType(org.springframework.dao.DataAccessException.class)
			.isThrownBy(() -> this.ledger.balance(1));
		idlePastAliveBypassWindow();
		assertThat(this.ledger.balance(1)).isEqualTo(1000);
	}

}
