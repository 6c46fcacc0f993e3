package dev.dbfault.test;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running application with {@code dbfault.enabled=true} gets the proxies and the endpoint,
 * never the test support: {@link DbFault} loads only under {@link AutoConfigureDbFault}.
 */
class TestSupportOnlyInTestsTests {

	@Test
	void aRunningApplicationWithDbFaultEnabledHasNoDbFaultBean() {
		TestDatabase database = TestDatabase.get();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties(database.springPropertyValues())
			.properties("dbfault.enabled=true")
			.run()) {
			assertThat(context.getBeansOfType(DbFaultProxies.class)).hasSize(1);
			assertThat(context.getBeansOfType(DbFault.class)).isEmpty();
			assertThat(context.getBeanNamesForType(DbFaultTestAutoConfiguration.class)).isEmpty();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
