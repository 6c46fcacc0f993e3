package dev.dbfault.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.dbfault.it.support.ResilienceTestSupport;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import org.springframework.boot.SpringBootVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compatibility matrix runs what it says it runs: the PostgreSQL major version, the
 * pgjdbc version, the protocol version and the Spring Boot version it names ({@code .ci/matrix} sets
 * {@code dbfault.test.expect-*}) are the ones a connection through the proxy has. Each run
 * records them in its report.
 */
class CompatibilityTests extends ResilienceTestSupport {

	@Test
	void theServerTheDriverAndTheProtocolAreTheOnesTheRunNames(TestReporter report) throws Exception {
		try (Connection connection = this.pool.getConnection(); Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("show server_version_num")) {
			rs.next();
			int major = Integer.parseInt(rs.getString(1)) / 10000;
			String driver = connection.getMetaData().getDriverVersion();
			String protocol = protocolVersion(connection);
			report.publishEntry("postgresql", Integer.toString(major));
			report.publishEntry("pgjdbc", driver);
			report.publishEntry("protocol", protocol);
			report.publishEntry("spring-boot", SpringBootVersion.getVersion());
			expect("dbfault.test.expect-postgres-major", Integer.toString(major));
			expect("dbfault.test.expect-pgjdbc", driver);
			expect("dbfault.test.expect-spring-boot", SpringBootVersion.getVersion());
			String parameters = System.getProperty(TestDatabase.DRIVER_PARAMETERS_PROPERTY, "");
			if (parameters.contains("protocolVersion=3.2")) {
				assertThat(protocol).as("protocol through the proxy").isEqualTo("3.2");
			}
		}
	}

	private static void expect(String property, String actual) {
		String expected = System.getProperty(property, "");
		if (!expected.isBlank()) {
			assertThat(actual).as(property).isEqualTo(expected.trim());
		}
	}

	/**
	 * Reads the protocol version pgjdbc negotiated; by reflection, since drivers before
	 * 42.7.6 have no such method (they speak 3.0).
	 */
	private static String protocolVersion(Connection connection) throws SQLException {
		Object executor;
		try {
			Object base = connection.unwrap(Class.forName("org.postgresql.core.BaseConnection"));
			executor = base.getClass().getMethod("getQueryExecutor").invoke(base);
			return executor.getClass().getMethod("getProtocolVersion").invoke(executor).toString().replace('_', '.')
				.replace("v", "");
		}
		catch (NoSuchMethodException ex) {
			return "3.0";
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
