package dev.dbfault.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.fault.SqlError;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A statement fault's {@code match} costs what a plain pattern costs, whatever it is: a
 * pattern that would backtrack without end is matched in linear time (and right), and one
 * that cannot be matched so is refused when the fault is made, naming the parameter.
 */
class LinearMatchTests {

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		TestDatabase database = TestDatabase.get();
		this.proxy = FaultProxy.builder()
			.name("linear")
			.upstream(database.host(), database.port())
			.protocol(Protocol.POSTGRESQL)
			.start();
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
	}

	@Test
	@Timeout(30)
	void aPatternThatWouldBacktrackWithoutEndIsMatchedRightOnEveryStatement() throws SQLException {
		for (int i = 0; i < 10; i++) {
			this.proxy.inject(Faults.sqlError("(.*a){12}x" + i, "40001"));
		}
		TestDatabase database = TestDatabase.get();
		String url = database.jdbcUrl("127.0.0.1", this.proxy.listenAddress().getPort());
		try (Connection connection = DriverManager.getConnection(url, database.credentials());
				Statement statement = connection.createStatement()) {
			for (int i = 0; i < 50; i++) {
				try (ResultSet rs = statement.executeQuery("select '" + "a".repeat(10_000) + "'")) {
					assertThat(rs.next()).isTrue();
					assertThat(rs.getString(1)).hasSize(10_000);
				}
			}
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> statement.executeQuery("select '" + "a".repeat(10_000) + "x3'"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
		}
	}

	@Test
	void aMatchThatNeedsBacktrackingIsRefusedNamingTheParameterAndWhy() {
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> this.proxy.inject(Faults.sqlError("(?=insert)insert into (\\w+) values \\1", "40001")))
			.withMessageContaining("match")
			.withMessageContaining("linear time");
		assertThat(this.proxy.faults()).isEmpty();
	}

	@Test
	void aJavaPatternWithUnreadableFlagsIsRefusedToo() {
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> new SqlError(Pattern.compile("insert  into", Pattern.COMMENTS), "40001", null, null))
			.withMessageContaining("match")
			.withMessageContaining("COMMENTS");
	}

	@Test
	void aTargetPatternThatNeedsBacktrackingIsRefused() {
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> Faults.reset().applicationName("(?<!test)app").build())
			.withMessageContaining("applicationName");
	}

}
