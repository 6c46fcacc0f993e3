package dev.dbfault.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import org.springframework.boot.SpringBootVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compatibility matrix runs the Spring Boot it names ({@code .ci/matrix} sets
 * {@code dbfault.test.expect-spring-boot}), and each run records it in its report.
 */
class CompatibilityTests {

	@Test
	void theSpringBootOnTheClasspathIsTheOneTheRunNames(TestReporter report) {
		String version = SpringBootVersion.getVersion();
		report.publishEntry("spring-boot", version);
		report.publishEntry("java", Runtime.version().toString());
		String expected = System.getProperty("dbfault.test.expect-spring-boot", "");
		if (!expected.isBlank()) {
			assertThat(version).isEqualTo(expected.trim());
		}
	}

}
