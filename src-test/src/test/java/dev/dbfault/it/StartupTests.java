package dev.dbfault.it;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.it.app.ResilienceApplication;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * An application that starts while its database refuses connections, driven by a startup
 * fault (refuse for two seconds): one that needs the database to start fails, one that
 * connects lazily starts and recovers as soon as the database accepts.
 */
class StartupTests {

	private static ConfigurableApplicationContext run(String... arguments) {
		String[] common = { "--dbfault.enabled=true", "--dbfault.startup-faults[0].type=refuse",
				"--dbfault.startup-faults[0].parameters.duration=2s" };
		String[] all = Stream
			.of(Arrays.stream(TestDatabase.get().springPropertyValues()).map((property) -> "--" + property),
					Arrays.stream(common), Arrays.stream(arguments))
			.flatMap((each) -> each)
			.toArray(String[]::new);
		return new SpringApplicationBuilder(ResilienceApplication.class).web(WebApplicationType.NONE).run(all);
	}

	@Test
	void anApplicationThatInitializesItsSchemaAtStartupFailsToStartWhileTheDatabaseRefuses() {
		assertThatException().isThrownBy(() -> run("--spring.sql.init.mode=always").close())
			.withStackTraceContaining("Failed to execute database script")
			.withStackTraceContaining("Connection refused");
	}

	@Test
	void withHikarisDefaultsTheFirstRequestFailsWithoutWaitingWhileTheDatabaseRefuses() {
		try (ConfigurableApplicationContext context = run("--spring.sql.init.mode=never",
				"--spring.datasource.hikari.connection-timeout=10000")) {
			long start = System.nanoTime();
			// the pool starts on first use and, by default, fails fast if it cannot connect
			assertThatException()
				.isThrownBy(() -> context.getBean(JdbcTemplate.class).queryForObject("select 1", Integer.class))
				.withStackTraceContaining("Connection refused");
			// well before the 10 s connection timeout: one attempt, then the failure
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
	}

	@Test
	void aPoolThatDoesNotFailFastWaitsAndConnectsOnceTheDatabaseAccepts() {
		try (ConfigurableApplicationContext context = run("--spring.sql.init.mode=never",
				"--spring.datasource.hikari.initialization-fail-timeout=-1",
				"--spring.datasource.hikari.connection-timeout=5000")) {
			assertThat(context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow().faults()).hasSize(1);
			long start = System.nanoTime();
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("select 1", Integer.class)).isEqualTo(1);
			// the request waited in the pool until the refusal's two seconds were over
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
	}

}
