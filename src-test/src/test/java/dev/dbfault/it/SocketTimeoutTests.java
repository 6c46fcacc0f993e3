package dev.dbfault.it;

import java.sql.Connection;
import java.sql.SQLException;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.it.support.ResilienceTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The driver's {@code socketTimeout} bounds a hung connection: with the traffic blackholed
 * either way, the error arrives within a stated tolerance of the timeout, never later.
 */
class SocketTimeoutTests extends ResilienceTestSupport {

	@ParameterizedTest
	@EnumSource(Direction.class)
	void socketTimeoutBoundsABlackholedQuery(Direction direction) throws SQLException {
		try (Connection connection = this.pool.getConnection()) {
			connection.createStatement().execute("select 1");
			this.dbFault.proxy().inject(Faults.blackhole().direction(direction));
			long start = System.nanoTime();
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> connection.createStatement().execute("select 1"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("08"));
			assertThat(millisSince(start)).isBetween(SOCKET_TIMEOUT.toMillis() - 10,
					SOCKET_TIMEOUT.toMillis() + TOLERANCE.toMillis());
		}
	}

}
