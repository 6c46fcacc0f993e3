package dev.dbfault.it.support;

import java.util.Map;

import dev.dbfault.testdb.TestDatabase;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every test application of this module the test database as its
 * {@code spring.datasource.*}, as an application's own configuration would: the README's
 * samples run here as written, with no dbfault-specific database wiring in them. A test that
 * sets its own URL (a {@code @DynamicPropertySource}, {@code @ServiceConnection}) wins, since
 * this source comes last; the database starts only when a test application asks for it.
 */
class TestDatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources()
			.addLast(new MapPropertySource("dbfaultTestDatabase", Map.of()) {

				@Override
				public Object getProperty(String name) {
					return switch (name) {
						case "spring.datasource.url" -> TestDatabase.get().jdbcUrl();
						case "spring.datasource.username" -> TestDatabase.get().username();
						case "spring.datasource.password" -> TestDatabase.get().password();
						default -> null;
					};
				}

				@Override
				public boolean containsProperty(String name) {
					return name.equals("spring.datasource.url") || name.equals("spring.datasource.username")
							|| name.equals("spring.datasource.password");
				}

				@Override
				public String[] getPropertyNames() {
					return new String[] { "spring.datasource.url", "spring.datasource.username",
							"spring.datasource.password" };
				}

			});
	}

}
