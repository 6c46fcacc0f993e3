package dev.dbfault.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Transport;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which injected SQLSTATEs make HikariCP evict the connection: the disconnect states (class
 * 08, and 57P01/57P02/57P03, 0A000) do; ordinary errors (serialization, deadlock, unique
 * violation, missing table, cancel) do not. Asserted from the pool's own creation counter
 * and from the backend behind the connection.
 */
class HikariEvictionTests {

	private final AtomicInteger created = new AtomicInteger();

	private FaultProxy proxy;

	private HikariDataSource pool;

	@BeforeEach
	void start() {
		TestDatabase database = TestDatabase.get();
		this.proxy = FaultProxy.builder()
			.name("hikari")
			.upstream(database.host(), database.port())
			.protocol(Protocol.POSTGRESQL)
			.start();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(transport().url(database, this.proxy));
		config.setUsername(database.username());
		config.setPassword(database.password());
		config.setMaximumPoolSize(1);
		config.setMinimumIdle(1);
		config.setMetricsTrackerFactory(new CountingTrackers());
		this.pool = new HikariDataSource(config);
	}

	@AfterEach
	void stop() {
		this.pool.close();
		this.proxy.stop();
	}

	private int backendAfterFailing(String sqlState) throws SQLException {
		try (Connection connection = this.pool.getConnection(); Statement statement = connection.createStatement()) {
			int backend = connection.unwrap(PGConnection.class).getBackendPID();
			this.proxy.inject(Faults.sqlError("dbfault_probe", sqlState).times(1));
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.execute("select 'dbfault_probe'"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo(sqlState));
			return backend;
		}
	}

	private int backendNow() throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			return connection.unwrap(PGConnection.class).getBackendPID();
		}
	}

	/**
	 * Returns how the driver reaches the proxy's faults; {@link HikariEvictionInProcessTests}
	 * runs every test here without the relay.
	 * @return the transport
	 */
	Transport transport() {
		return Transport.PROXY;
	}

	@ParameterizedTest
	@ValueSource(strings = { "57P01", "57P02", "57P03", "08006", "08003", "08000", "0A000" })
	void disconnectStatesEvictTheConnection(String sqlState) throws SQLException {
		int before = backendNow();
		int createdBefore = this.created.get();
		assertThat(backendAfterFailing(sqlState)).isEqualTo(before);
		assertThat(backendNow()).as("backend after " + sqlState).isNotEqualTo(before);
		assertThat(this.created.get()).isEqualTo(createdBefore + 1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "40001", "40P01", "23505", "42P01", "57014", "53300" })
	void ordinaryErrorsKeepTheConnection(String sqlState) throws SQLException {
		int before = backendNow();
		int createdBefore = this.created.get();
		assertThat(backendAfterFailing(sqlState)).isEqualTo(before);
		assertThat(backendNow()).as("backend after " + sqlState).isEqualTo(before);
		assertThat(this.created.get()).isEqualTo(createdBefore);
		assertThat(this.pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
	}

	/**
	 * Counts the connections the pool creates, through HikariCP's own metrics hook.
	 */
	private final class CountingTrackers implements MetricsTrackerFactory {

		@Override
		public IMetricsTracker create(String poolName, com.zaxxer.hikari.metrics.PoolStats poolStats) {
			return new IMetricsTracker() {

				@Override
				public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
					HikariEvictionTests.this.created.incrementAndGet();
				}

			};
		}

	}

}
