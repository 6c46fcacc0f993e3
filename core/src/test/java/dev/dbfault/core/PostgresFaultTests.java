package dev.dbfault.core;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Transport;
import dev.dbfault.testdb.TestDatabase;
import dev.dbfault.testdb.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PostgreSQL statement faults, through the real driver against a real server, in the
 * driver's extended (default) and simple query modes.
 */
class PostgresFaultTests {

	private static final long TOLERANCE_MS = 500;

	private TestDatabase database;

	private FaultProxy proxy;

	@BeforeEach
	void start() throws SQLException {
		this.database = TestDatabase.get();
		this.proxy = FaultProxy.builder()
			.name("postgres")
			.upstream(this.database.host(), this.database.port())
			.protocol(Protocol.POSTGRESQL)
			.start();
		try (Connection direct = this.database.connect(); Statement statement = direct.createStatement()) {
			statement.execute("drop table if exists accounts");
			statement.execute("create table accounts (id int primary key, balance int not null)");
			statement.execute("insert into accounts select i, 100 from generate_series(1, 100) i");
		}
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
	}

	private Connection connect(String mode, String... properties) throws SQLException {
		Properties props = this.database.credentials();
		props.setProperty("preferQueryMode", mode);
		props.setProperty("socketTimeout", "10");
		for (int i = 0; i < properties.length; i += 2) {
			props.setProperty(properties[i], properties[i + 1]);
		}
		return DriverManager.getConnection(transport().url(this.database, this.proxy),
				props);
	}

	private static int balance(Connection connection, int id) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("select balance from accounts where id = ?")) {
			statement.setInt(1, id);
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() ? rs.getInt(1) : -1;
			}
		}
	}

	private int directBalance(int id) throws SQLException {
		try (Connection direct = this.database.connect()) {
			return balance(direct, id);
		}
	}

	private static int update(Connection connection, int id, int balance) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("update accounts set balance = ? where id = ?")) {
			statement.setInt(1, balance);
			statement.setInt(2, id);
			return statement.executeUpdate();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "extended", "simple" })
	void sqlErrorFailsOnlyMatchingStatementsWithTheChosenSqlState(String mode) throws SQLException {
		try (Connection connection = connect(mode)) {
			ActiveFault fault = this.proxy.inject(Faults.sqlError("(?i)^update accounts", "40001"));
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> update(connection, 1, 5))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"))
				.withMessageContaining("injected by dbfault (" + fault.id() + ")");
			// autocommit: the connection goes on, and other statements pass
			assertThat(balance(connection, 1)).isEqualTo(100);
			assertThat(fault.fired()).isEqualTo(1);
		}
		assertThat(directBalance(1)).isEqualTo(100);
	}

	@ParameterizedTest
	@ValueSource(strings = { "extended", "simple" })
	void afterAnInjectedErrorInATransactionTheNextStatementFailsWith25P02(String mode) throws SQLException {
		try (Connection connection = connect(mode)) {
			connection.setAutoCommit(false);
			update(connection, 2, 7);
			this.proxy.inject(Faults.sqlError("(?i)^update accounts", "40P01").message("deadlock detected"));
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> update(connection, 3, 9))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40P01"))
				.withMessageContaining("deadlock detected");
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> balance(connection, 2))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("25P02"));
			connection.rollback();
			assertThat(balance(connection, 2)).isEqualTo(100);
			connection.commit();
		}
		assertThat(directBalance(2)).isEqualTo(100);
	}

	/**
	 * Returns how the driver reaches the proxy's faults; {@link PostgresFaultInProcessTests} runs every
	 * test here without the relay.
	 * @return the transport
	 */
	Transport transport() {
		return Transport.PROXY;
	}

	@Test
	void sqlErrorWithTimesFailsThatManyExecutionsThenRemovesItself() throws SQLException {
		try (Connection connection = connect("extended")) {
			ActiveFault fault = this.proxy.inject(Faults.sqlError("update accounts", "40001").times(2));
			assertThatThrownBy(() -> update(connection, 4, 1)).isInstanceOf(SQLException.class);
			assertThatThrownBy(() -> update(connection, 4, 2)).isInstanceOf(SQLException.class);
			assertThat(update(connection, 4, 3)).isEqualTo(1);
			Waits.await("the fault to be used up", Duration.ofSeconds(5), () -> fault.isRemoved());
		}
		assertThat(directBalance(4)).isEqualTo(3);
	}

	@Test
	void sqlErrorMatchesServerPreparedStatementsThatAreNoLongerParsed() throws SQLException {
		try (Connection connection = connect("extended", "prepareThreshold", "1");
				PreparedStatement statement = connection.prepareStatement("update accounts set balance = ? where id = ?")) {
			for (int i = 0; i < 6; i++) {
				statement.setInt(1, i);
				statement.setInt(2, 5);
				statement.executeUpdate();
			}
			this.proxy.sqlError("update accounts", "40001");
			statement.setInt(1, 42);
			statement.setInt(2, 5);
			assertThatExceptionOfType(SQLException.class).isThrownBy(statement::executeUpdate)
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
			this.proxy.heal();
			assertThat(statement.executeUpdate()).isEqualTo(1);
		}
		assertThat(directBalance(5)).isEqualTo(42);
	}

	@Test
	void sqlErrorFailsOneStatementOfABatch() throws SQLException {
		try (Connection connection = connect("extended");
				PreparedStatement statement = connection.prepareStatement("insert into accounts values (?, 0)")) {
			this.proxy.inject(Faults.sqlError("insert into accounts", "23505").after(2).times(1));
			for (int id = 1001; id <= 1005; id++) {
				statement.setInt(1, id);
				statement.addBatch();
			}
			assertThatExceptionOfType(BatchUpdateException.class).isThrownBy(statement::executeBatch)
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("23505"));
		}
		// the batch ran in one implicit transaction: nothing of it stayed
		assertThat(directBalance(1001)).isEqualTo(-1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "extended", "simple" })
	void dropOnCommitAfterCommitsWhileTheClientHearsAFailure(String mode) throws SQLException {
		try (Connection connection = connect(mode)) {
			connection.setAutoCommit(false);
			update(connection, 6, 66);
			this.proxy.inject(Faults.dropOn("(?i)^\\s*commit").when("after"));
			assertThatExceptionOfType(SQLException.class).isThrownBy(connection::commit)
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
		}
		// the ambiguous commit: the server committed what the client was told failed
		assertThat(directBalance(6)).isEqualTo(66);
	}

	@ParameterizedTest
	@ValueSource(strings = { "extended", "simple" })
	void dropOnCommitBeforeLeavesNothingCommitted(String mode) throws SQLException {
		try (Connection connection = connect(mode)) {
			connection.setAutoCommit(false);
			update(connection, 7, 77);
			this.proxy.inject(Faults.dropOn("(?i)^\\s*commit").when("before").mode("close"));
			assertThatExceptionOfType(SQLException.class).isThrownBy(connection::commit)
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
		}
		Waits.await("the server to end the session", Duration.ofSeconds(5), () -> directBalanceUnchecked(7) == 100);
	}

	private int directBalanceUnchecked(int id) {
		try {
			return directBalance(id);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void dropOnWithBlackholeLeavesTheClientWaitingUntilItsSocketTimeout() throws SQLException {
		try (Connection connection = connect("extended", "socketTimeout", "1")) {
			connection.setAutoCommit(false);
			update(connection, 8, 88);
			this.proxy.inject(Faults.dropOn("(?i)^\\s*commit").when("before").mode("blackhole"));
			long start = System.nanoTime();
			assertThatExceptionOfType(SQLException.class).isThrownBy(connection::commit);
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(990L, 1000L + TOLERANCE_MS);
		}
	}

	@Test
	void dropAfterRowsCutsAResultMidStreamKeepingTheRowsAlreadyFetched() throws SQLException {
		try (Connection connection = connect("extended")) {
			connection.setAutoCommit(false);
			this.proxy.inject(Faults.dropAfterRows(10).set("match", "from accounts"));
			try (Statement statement = connection.createStatement()) {
				statement.setFetchSize(10);
				try (ResultSet rs = statement.executeQuery("select id from accounts order by id")) {
					for (int i = 1; i <= 10; i++) {
						assertThat(rs.next()).isTrue();
						assertThat(rs.getInt(1)).isEqualTo(i);
					}
					// the eleventh row needs the next fetch, which the cut connection cannot give
					assertThatExceptionOfType(SQLException.class).isThrownBy(rs::next)
						.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
				}
			}
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> balance(connection, 1));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "extended", "simple" })
	void dropAfterRowsWithoutFetchSizeFailsTheWholeQuery(String mode) throws SQLException {
		try (Connection connection = connect(mode); Statement statement = connection.createStatement()) {
			this.proxy.inject(Faults.dropAfterRows(5));
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> statement.executeQuery("select id from accounts").close())
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "extended", "simple" })
	void terminateSendsAdminShutdownToEveryConnectionIdleOnesIncluded(String mode) throws SQLException {
		try (Connection first = connect(mode); Connection second = connect(mode)) {
			balance(first, 1);
			balance(second, 1);
			ActiveFault terminate = this.proxy.terminate();
			assertThat(terminate.fired()).isEqualTo(2);
			for (Connection connection : new Connection[] { first, second }) {
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> balance(connection, 1))
					.satisfies((ex) -> assertThat(ex.getSQLState()).isIn("57P01", "08006"));
				assertThat(connection.isValid(1)).isFalse();
			}
		}
		try (Connection fresh = connect(mode)) {
			assertThat(balance(fresh, 1)).isEqualTo(100);
		}
	}

	@Test
	void terminateReachesTheClientAsFatal57P01() throws SQLException {
		try (Connection connection = connect("extended")) {
			balance(connection, 1);
			this.proxy.terminate();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> balance(connection, 1))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57P01"))
				.withMessageContaining("terminating connection due to administrator command");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "extended", "simple" })
	void sqlLatencyDelaysOnlyMatchingStatements(String mode) throws SQLException {
		try (Connection connection = connect(mode)) {
			balance(connection, 1);
			this.proxy.sqlLatency("(?i)^update", Duration.ofMillis(300));
			long start = System.nanoTime();
			balance(connection, 1);
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(200L);
			start = System.nanoTime();
			update(connection, 9, 99);
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(300L, 300L + TOLERANCE_MS);
		}
		assertThat(directBalance(9)).isEqualTo(99);
	}

	@ParameterizedTest
	@ValueSource(strings = { "extended", "simple" })
	void aQueryTimeoutShorterThanSqlLatencyEndsWith57014AndTheConnectionStaysUsable(String mode) throws SQLException {
		try (Connection connection = connect(mode)) {
			this.proxy.sqlLatency("(?i)^update", Duration.ofSeconds(5));
			try (PreparedStatement statement = connection.prepareStatement("update accounts set balance = 1 where id = 10")) {
				statement.setQueryTimeout(1);
				long start = System.nanoTime();
				assertThatExceptionOfType(SQLException.class).isThrownBy(statement::executeUpdate)
					.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57014"));
				assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(1000L, 1000L + TOLERANCE_MS);
			}
			this.proxy.heal();
			assertThat(balance(connection, 10)).isEqualTo(100);
		}
		assertThat(directBalance(10)).isEqualTo(100);
	}

	@Test
	void aRealCancelPassesThroughTheProxy() throws SQLException {
		try (Connection connection = connect("extended"); Statement statement = connection.createStatement()) {
			statement.setQueryTimeout(1);
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.execute("select pg_sleep(10)"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57014"));
			assertThat(balance(connection, 1)).isEqualTo(100);
		}
	}

	@Test
	void copyInAndOutWorkWhileStatementFaultsWatch() throws Exception {
		this.proxy.sqlError("no statement has this text", "40001");
		try (Connection connection = connect("extended")) {
			CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
			long copied = copy.copyIn("copy accounts from stdin",
					new java.io.StringReader("2001\t1\n2002\t2\n2003\t3\n"));
			assertThat(copied).isEqualTo(3);
			java.io.StringWriter out = new java.io.StringWriter();
			copy.copyOut("copy (select id from accounts where id > 2000 order by id) to stdout", out);
			assertThat(out.toString()).isEqualTo("2001\n2002\n2003\n");
			assertThat(balance(connection, 2002)).isEqualTo(2);
		}
	}

	@Test
	void statementFaultsAreRefusedOnAPlainTcpProxy() {
		try (FaultProxy tcp = FaultProxy.builder().upstream(this.database.host(), this.database.port()).start()) {
			assertThatExceptionOfType(FaultNotSupportedException.class)
				.isThrownBy(() -> tcp.sqlError("x", "40001"))
				.withMessageContaining("sql-error needs a proxy that speaks PostgreSQL");
		}
	}

	@Test
	void tcpFaultsStillWorkOnAPostgresProxy() throws SQLException {
		try (Connection connection = connect("extended")) {
			balance(connection, 1);
			this.proxy.resetConnections();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> balance(connection, 1))
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
		}
	}

}
