package dev.dbfault.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's pure JavaScript modules (the chart model and its axes, the fault buttons
 * made from the catalog), specified in {@code src/test/js} and run with Node's own test
 * runner, so that they are checked in the build without a browser. Node comes from Debian's package; the test installs it when it
 * can and is skipped, saying why, only where none can be installed.
 */
class DashboardScriptTests {

	private static final Path SPECIFICATIONS = Path.of("src", "test", "js");

	@Test
	void theChartModelMeetsItsSpecification() throws IOException, InterruptedException {
		meetsItsSpecification("chart-model.test.mjs");
	}

	@Test
	void theFaultButtonsMeetTheirSpecification() throws IOException, InterruptedException {
		meetsItsSpecification("fault-catalog.test.mjs");
	}

	private static void meetsItsSpecification(String name) throws IOException, InterruptedException {
		String node = DebianPackages.node("the dashboard script test").toString();
		Path specification = SPECIFICATIONS.resolve(name);
		Path output = Files.createTempFile("node-test", ".txt");
		try {
			Process run = new ProcessBuilder(node, "--test", specification.toString()).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!run.waitFor(2, TimeUnit.MINUTES)) {
				run.destroyForcibly();
				throw new AssertionError("node --test " + name + " did not finish in 2 minutes:\n" + read(output));
			}
			String report = read(output);
			assertThat(run.exitValue()).as("node --test %s exit code; its report:%n%s", specification, report)
				.isZero();
			assertThat(report).contains("# fail 0").doesNotContain("# tests 0");
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static String read(Path output) throws IOException {
		return Files.readString(output, StandardCharsets.UTF_8);
	}

}
