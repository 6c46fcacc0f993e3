package dev.dbfault.autoconfigure;

import dev.dbfault.testdb.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a test application's DataSource at the shared test database.
 */
public final class TestDatabaseProperties {

	private TestDatabaseProperties() {
	}

	/**
	 * Registers {@code spring.datasource.*} for the test database.
	 * @param registry the test's registry
	 * @param driverParameters query parameters for the driver, such as {@code socketTimeout=5}
	 */
	public static void register(DynamicPropertyRegistry registry, String driverParameters) {
		TestDatabase database = TestDatabase.get();
		registry.add("spring.datasource.url",
				() -> database.jdbcUrl() + (database.jdbcUrl().contains("?") ? "&" : "?") + driverParameters);
		registry.add("spring.datasource.username", database::username);
		registry.add("spring.datasource.password", database::password);
	}

}
