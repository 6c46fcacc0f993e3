package dev.dbfault.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.dbfault.core.fault.Faults;
import dev.dbfault.it.support.ResilienceTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A connection that drops before a query, after one, or in the middle of a fetch: the
 * failure arrives as a clear SQLException, never as a hang or as silently wrong data, and
 * a fresh connection works.
 */
class ConnectionDropTests extends ResilienceTestSupport {

	private static int selectOne(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("select 1")) {
			rs.next();
			return rs.getInt(1);
		}
	}

	@Test
	void aConnectionDroppedBeforeAQueryFailsFastWithAn08SqlState() throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			this.dbFault.proxy().resetConnections();
			long start = System.nanoTime();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection))
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
			assertThat(millisSince(start)).isLessThan(TOLERANCE.toMillis());
		}
	}

	@Test
	void theNextStatementAfterAServerRestartFails() throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			assertThat(selectOne(connection)).isEqualTo(1);
			restartTheServer();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection))
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
		}
	}

	@Test
	void aDroppedConnectionKeepsFailing() throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			selectOne(connection);
			restartTheServer();
			for (int i = 0; i < 3; i++) {
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection));
			}
		}
	}

	@Test
	void closingADroppedConnectionIsFine() throws SQLException {
		Connection connection = this.pool.getConnection();
		selectOne(connection);
		restartTheServer();
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection));
		assertThatCode(connection::close).doesNotThrowAnyException();
		assertThat(connection.isClosed()).isTrue();
	}

	@Test
	void aFreshConnectionWorksAfterTheServerRestarted() throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			selectOne(connection);
			restartTheServer();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection));
		}
		// the other pooled connections died too: past the alive-bypass window the pool checks and replaces them
		idlePastAliveBypassWindow();
		try (Connection fresh = this.pool.getConnection()) {
			assertThat(selectOne(fresh)).isEqualTo(1);
		}
	}

	/**
	 * What the server's restart looks like from the client: every connection reset, new
	 * ones refused for a moment, then accepted again.
	 */
	private void restartTheServer() {
		this.dbFault.proxy().down().close();
	}

	@Test
	void rowsAlreadyFetchedStayReadableWhenTheConnectionDropsMidFetch() throws SQLException {
		Connection connection = this.pool.getConnection();
		connection.setAutoCommit(false);
		Statement statement = connection.createStatement();
		statement.setFetchSize(10);
		ResultSet rs = statement.executeQuery("select g from generate_series(1, 100) g");
		this.dbFault.proxy().resetConnections();
		// the first fetch of ten rows is already in the driver: all of it is still readable
		for (int row = 1; row <= 10; row++) {
			assertThat(rs.next()).isTrue();
			assertThat(rs.getInt(1)).isEqualTo(row);
		}
		// closing rolls the open transaction back, which the dead connection cannot do: HikariCP
		// reports it as an 08 error (and evicts the connection), it does not hang
		Throwable closing = org.assertj.core.api.Assertions.catchThrowable(connection::close);
		if (closing != null) {
			assertThat(sqlState(closing)).startsWith("08");
		}
		assertThat(connection.isClosed()).isTrue();
	}

	@Test
	void theNextFetchFailsAfterTheConnectionDroppedMidFetch() throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			connection.setAutoCommit(false);
			Statement statement = connection.createStatement();
			statement.setFetchSize(10);
			ResultSet rs = statement.executeQuery("select g from generate_series(1, 100) g");
			for (int row = 1; row <= 10; row++) {
				assertThat(rs.next()).isTrue();
			}
			this.dbFault.proxy().resetConnections();
			assertThatExceptionOfType(SQLException.class).isThrownBy(rs::next)
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
		}
	}

	@Test
	void aNewQueryOnAConnectionThatDroppedMidFetchFails() throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			connection.setAutoCommit(false);
			Statement statement = connection.createStatement();
			statement.setFetchSize(10);
			this.dbFault.proxy().inject(Faults.dropAfterRows(10).match("generate_series"));
			ResultSet rs = statement.executeQuery("select g from generate_series(1, 100) g");
			for (int row = 1; row <= 10; row++) {
				assertThat(rs.next()).isTrue();
			}
			assertThatExceptionOfType(SQLException.class).isThrownBy(rs::next)
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
			// HikariCP evicted the connection on the 08 error: its handle is closed for good
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection))
				.withMessage("Connection is closed");
		}
	}

	@Test
	void aDropBeforeTheFirstRowFailsTheQueryNotWithAnEmptyResult() throws SQLException {
		this.dbFault.proxy().inject(Faults.dropAfterRows(0).match("from accounts"));
		try (Connection connection = this.pool.getConnection();
				PreparedStatement statement = connection.prepareStatement("select id from accounts order by id")) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(statement::executeQuery)
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
		}
	}

	@Test
	void aDropInTheMiddleOfAResultNeverYieldsAPartialResult() {
		this.dbFault.proxy().inject(Faults.dropAfterRows(1).match("from accounts"));
		assertThatExceptionOfType(org.springframework.dao.DataAccessException.class)
			.isThrownBy(() -> this.jdbc.queryForList("select id from accounts order by id", Long.class));
	}

}
