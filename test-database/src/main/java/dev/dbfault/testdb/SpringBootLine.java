package dev.dbfault.testdb;

import java.util.List;

/**
 * What the suites shared by both Spring Boot lines need to know of the line they run on,
 * found by name so that one test source compiles on either: Spring Boot 4 moved the
 * DataSource auto-configuration, the JDBC connection details and the health contributors to
 * packages of their own.
 */
public final class SpringBootLine {

	private SpringBootLine() {
	}

	/**
	 * Returns Spring Boot's DataSource auto-configuration on the line on the class path.
	 * @return the class
	 */
	public static Class<?> dataSourceAutoConfiguration() {
		return first("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration");
	}

	/**
	 * Returns the health indicator interface on the line on the class path.
	 * @return the class
	 */
	public static Class<?> healthIndicator() {
		return first("org.springframework.boot.health.contributor.HealthIndicator",
				"org.springframework.boot.actuate.health.HealthIndicator");
	}

	/**
	 * Returns the JDBC connection details interface (what {@code @ServiceConnection} gives) on
	 * the line on the class path.
	 * @return the class
	 */
	public static Class<?> jdbcConnectionDetails() {
		return first("org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails",
				"org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails");
	}

	private static Class<?> first(String... names) {
		for (String name : names) {
			try {
				return Class.forName(name, false, SpringBootLine.class.getClassLoader());
			}
			catch (ClassNotFoundException ex) {
				// the other line's
			}
		}
		throw new IllegalStateException("None of " + List.of(names) + " is on the class path");
	}

}
