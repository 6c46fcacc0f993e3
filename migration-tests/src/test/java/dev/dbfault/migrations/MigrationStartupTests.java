package dev.dbfault.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.JournalEntry;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * An application that migrates its schema at startup while its database refuses logins
 * with FATAL 57P03 "the database system is starting up", as one restarting does: Flyway and
 * Liquibase connect with URLs of their own ({@code spring.flyway.url}, a
 * {@code FlywayConnectionDetails} bean as a service connection gives, {@code spring.liquibase.url}),
 * and dbfault routes them through the proxy of the DataSource that reaches the same database,
 * so its startup faults meet the migration. Flyway's own retry ({@code connect-retries})
 * carries the startup through; Liquibase, which Spring Boot does not retry, stops it.
 */
class MigrationStartupTests {

	private static final AtomicInteger runs = new AtomicInteger();

	private final TestDatabase database = TestDatabase.get();

	@Test
	void aFlywayMigrationWithAUrlOfItsOwnMeetsTheStartupFaultAndSucceedsWithFlywaysRetryOnceItEnds() throws SQLException {
		String schema = "flyway_" + runs.incrementAndGet() + "_" + ProcessHandle.current().pid();
		try (ConfigurableApplicationContext context = run(MigratingApplication.class, "--spring.liquibase.enabled=false",
				"--spring.flyway.url=" + this.database.jdbcUrl(), "--spring.flyway.user=" + this.database.username(),
				"--spring.flyway.password=" + this.database.password(), "--spring.flyway.schemas=" + schema,
				"--spring.flyway.connect-retries=30", "--spring.flyway.connect-retries-interval=1s",
				"--dbfault.startup-faults[0].type=login-error",
				"--dbfault.startup-faults[0].parameters.duration=2s")) {
			FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
			List<JournalEntry> refused = loginErrors(proxy);
			assertThat(refused).as("Flyway's logins refused with 57P03 before the fault ended").isNotEmpty();
			assertThat(proxy.recentFaults()).singleElement()
				.satisfies((fault) -> assertThat(fault.removal()).hasValue(ActiveFault.Removal.EXPIRED));
			assertThat(proxy.stats().totalConnections()).as("Flyway's connections, through the proxy")
				.isGreaterThan(refused.size());
			assertThat(tableExists(schema, "ledger")).isTrue();
		}
	}

	@Test
	void aFlywayMigrationGivenConnectionDetailsAsAServiceConnectionDoesIsRoutedToo() throws SQLException {
		String schema = "flyway_details_" + runs.incrementAndGet() + "_" + ProcessHandle.current().pid();
		try (ConfigurableApplicationContext context = run(ServiceConnectionApplication.class,
				"--spring.liquibase.enabled=false", "--spring.flyway.schemas=" + schema,
				"--spring.flyway.connect-retries=10", "--spring.flyway.connect-retries-interval=1s",
				"--dbfault.startup-faults[0].type=login-error", "--dbfault.startup-faults[0].parameters.times=2")) {
			FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
			assertThat(loginErrors(proxy)).hasSize(2);
			assertThat(context.getBean(FlywayConnectionDetails.class).getJdbcUrl())
				.isEqualTo(this.database.jdbcUrl("127.0.0.1", proxy.listenAddress().getPort()));
			assertThat(tableExists(schema, "ledger")).isTrue();
		}
	}

	@Test
	void aLiquibaseMigrationMeetsTheStartupFaultAndStopsTheApplicationThenMigratesThroughTheProxy()
			throws SQLException {
		int run = runs.incrementAndGet();
		String[] liquibase = { "--spring.flyway.enabled=false", "--spring.liquibase.url=" + this.database.jdbcUrl(),
				"--spring.liquibase.user=" + this.database.username(),
				"--spring.liquibase.password=" + this.database.password(),
				"--spring.liquibase.change-log=classpath:db/changelog/ledger.sql",
				"--spring.liquibase.database-change-log-table=dbfault_changelog_" + run,
				"--spring.liquibase.database-change-log-lock-table=dbfault_changelog_lock_" + run };
		assertThatException()
			.isThrownBy(() -> run(MigratingApplication.class,
					concat(liquibase, "--dbfault.startup-faults[0].type=login-error",
							"--dbfault.startup-faults[0].parameters.sqlState=57P03"))
				.close())
			.withStackTraceContaining("the database system is starting up");
		try (ConfigurableApplicationContext context = run(MigratingApplication.class, liquibase)) {
			FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
			assertThat(proxy.stats().totalConnections()).as("Liquibase's connections, through the proxy")
				.isPositive();
			assertThat(tableExists("public", "liquibase_ledger")).isTrue();
		}
	}

	private static List<JournalEntry> loginErrors(FaultProxy proxy) {
		return proxy.journal().stream().filter((entry) -> entry.type() == dev.dbfault.core.fault.FaultType.LOGIN_ERROR).toList();
	}

	private boolean tableExists(String schema, String table) throws SQLException {
		try (Connection connection = this.database.connect();
				ResultSet tables = connection.getMetaData().getTables(null, schema, table, null)) {
			return tables.next();
		}
	}

	private ConfigurableApplicationContext run(Class<?> application, String... arguments) {
		List<String> all = new ArrayList<>();
		Arrays.stream(this.database.springPropertyValues()).map((property) -> "--" + property).forEach(all::add);
		all.add("--dbfault.enabled=true");
		all.addAll(Arrays.asList(arguments));
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE).run(all.toArray(String[]::new));
	}

	private static String[] concat(String[] first, String... more) {
		List<String> all = new ArrayList<>(Arrays.asList(first));
		all.addAll(Arrays.asList(more));
		return all.toArray(String[]::new);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class MigratingApplication {

	}

	/**
	 * An application whose Flyway gets its connection from a {@code FlywayConnectionDetails}
	 * bean, as Testcontainers' and Docker Compose's service connections give it.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ServiceConnectionApplication {

		@Bean
		FlywayConnectionDetails flywayConnectionDetails() {
			TestDatabase database = TestDatabase.get();
			return new FlywayConnectionDetails() {

				@Override
				public String getJdbcUrl() {
					return database.jdbcUrl();
				}

				@Override
				public String getUsername() {
					return database.username();
				}

				@Override
				public String getPassword() {
					return database.password();
				}

			};
		}

	}

}
