package dev.dbfault.test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import dev.dbfault.autoconfigure.DbFaultAutoConfiguration;
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
 * never the test support. The starter does not bring this artifact and the
 * auto-configuration's jar holds none of it, so an application with only the starter has
 * no {@link DbFault} class at all; and where this artifact is on the classpath (a test
 * JVM), {@link DbFault} loads only under {@link AutoConfigureDbFault}.
 */
class TestSupportOnlyInTestsTests {

	private static final String TEST_PACKAGE = "dev.dbfault.test";

	@Test
	void aRunningApplicationWithDbFaultEnabledHasNoDbFaultBeanEvenWithTheTestSupportOnTheClasspath() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties(TestDatabase.get().springPropertyValues())
			.properties("dbfault.enabled=true")
			.run()) {
			assertThat(context.getBeansOfType(DbFaultProxies.class)).hasSize(1);
			assertThat(context.getBeansOfType(DbFault.class)).isEmpty();
			assertThat(context.getBeanNamesForType(DbFaultTestAutoConfiguration.class)).isEmpty();
		}
	}

	@Test
	void theAutoConfigurationJarHoldsNoTestSupportClassAndNamesNone() throws IOException {
		Map<String, byte[]> jar = contents(DbFaultAutoConfiguration.class);
		assertThat(jar).containsKey("dev/dbfault/autoconfigure/DbFaultAutoConfiguration.class");
		assertThat(jar.keySet()).as("classes of %s in %s", TEST_PACKAGE, where(DbFaultAutoConfiguration.class))
			.noneMatch((name) -> name.startsWith(TEST_PACKAGE.replace('.', '/') + "/"));
		assertThat(jar).doesNotContainKey("META-INF/spring/" + AutoConfigureDbFault.class.getName() + ".imports");
		jar.forEach((name, content) -> {
			if (name.startsWith("META-INF/") && !name.endsWith(".class")) {
				assertThat(new String(content, StandardCharsets.UTF_8)).as(name).doesNotContain(TEST_PACKAGE);
			}
		});
	}

	@Test
	void theTestSupportJarAddsNoAutoConfigurationToAnApplication() throws IOException {
		Map<String, byte[]> jar = contents(DbFault.class);
		assertThat(jar).containsKey("META-INF/spring/" + AutoConfigureDbFault.class.getName() + ".imports")
			.doesNotContainKey("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
	}

	@Test
	void theStarterAndTheAutoConfigurationDoNotDependOnTheTestSupport() throws IOException {
		for (String module : List.of("starter", "autoconfigure")) {
			assertThat(Files.readString(Path.of("..", module, "pom.xml"))).as("%s/pom.xml", module)
				.doesNotContain("<artifactId>dbfault-spring-boot-test</artifactId>");
		}
	}

	private static Path where(Class<?> type) {
		try {
			return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Returns every file of the jar (or, in a build that stopped before packaging, the
	 * classes folder) that holds a class, by its name in the jar.
	 */
	private static Map<String, byte[]> contents(Class<?> type) throws IOException {
		Path location = where(type);
		Map<String, byte[]> contents = new LinkedHashMap<>();
		if (Files.isDirectory(location)) {
			List<Path> files = new ArrayList<>();
			try (Stream<Path> walk = Files.walk(location)) {
				walk.filter(Files::isRegularFile).forEach(files::add);
			}
			for (Path file : files) {
				contents.put(location.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
			}
			return contents;
		}
		try (JarFile jar = new JarFile(location.toFile())) {
			for (JarEntry entry : jar.stream().filter((each) -> !each.isDirectory()).toList()) {
				try (InputStream content = jar.getInputStream(entry)) {
					contents.put(entry.getName(), content.readAllBytes());
				}
			}
		}
		return contents;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
