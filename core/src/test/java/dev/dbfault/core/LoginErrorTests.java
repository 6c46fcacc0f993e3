package dev.dbfault.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Transport;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code login-error}: new connections fail at login with the FATAL error a PostgreSQL server
 * gives when it is starting up, full, or refusing the credentials, through the real driver;
 * connections already open are untouched. On both transports, with and without the driver's
 * TLS request.
 */
class LoginErrorTests {

	private TestDatabase database;

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		this.database = TestDatabase.get();
		this.proxy = FaultProxy.builder()
			.name("logins")
			.upstream(this.database.host(), this.database.port())
			.protocol(Protocol.POSTGRESQL)
			.start();
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
	}

	private Connection connect(Transport transport, String sslmode) throws SQLException {
		Properties properties = this.database.credentials();
		properties.setProperty("sslmode", sslmode);
		properties.setProperty("socketTimeout", "10");
		properties.setProperty("connectTimeout", "10");
		return DriverManager.getConnection(transport.url(this.database, this.proxy), properties);
	}

	private static int selectOne(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("select 1")) {
			rs.next();
			return rs.getInt(1);
		}
	}

	@ParameterizedTest
	@CsvSource({ "PROXY, prefer", "PROXY, disable", "IN_PROCESS, prefer", "IN_PROCESS, disable" })
	void newLoginsFailWithTheStartingUpErrorWhileOpenConnectionsAnswer(Transport transport, String sslmode)
			throws SQLException {
		try (Connection open = connect(transport, sslmode)) {
			ActiveFault fault = this.proxy.inject(Faults.loginError());
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect(transport, sslmode).close())
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57P03"))
				.withMessageContaining("the database system is starting up");
			assertThat(selectOne(open)).isEqualTo(1);
			assertThat(fault.fired()).isEqualTo(1);
			fault.close();
			try (Connection after = connect(transport, sslmode)) {
				assertThat(selectOne(after)).isEqualTo(1);
			}
			assertThat(selectOne(open)).isEqualTo(1);
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "57P03|the database system is starting up",
			"53300|sorry, too many clients already", "28P01|password authentication failed for user \"USER\"",
			"3D000|database \"DATABASE\" does not exist", "28000|role \"USER\" does not exist",
			"08004|login refused, injected by dbfault (login-error-1)" })
	void eachSqlStateGetsPostgresqlsOwnMessage(String sqlState, String message) throws SQLException {
		Properties credentials = this.database.credentials();
		String user = credentials.getProperty("user");
		String database = this.database.jdbcUrl().replaceAll("^.*/([^/?]+)(\\?.*)?$", "$1");
		this.proxy.inject(Faults.loginError().sqlState(sqlState));
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect(Transport.PROXY, "disable").close())
			.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo(sqlState))
			.withMessageContaining(message.replace("USER", user).replace("DATABASE", database));
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void aMessageOfItsOwnAndTimesLimitWhichLoginsFail(Transport transport) throws SQLException {
		ActiveFault fault = this.proxy
			.inject(Faults.loginError().sqlState("53300").message("remaining connection slots are reserved").times(1));
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect(transport, "prefer").close())
			.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("53300"))
			.withMessageContaining("remaining connection slots are reserved");
		try (Connection second = connect(transport, "prefer")) {
			assertThat(selectOne(second)).isEqualTo(1);
		}
		assertThat(fault.fired()).isEqualTo(1);
		assertThat(fault.isRemoved()).isTrue();
	}

}
