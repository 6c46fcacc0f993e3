package dev.dbfault.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's pure JavaScript (the chart model and its axes), specified in
 * {@code src/test/js} and run with Node's own test runner, so that it is checked in the
 * build without a browser. Node comes from Debian's package; the test installs it when it
 * can and is skipped, saying why, only where none can be installed.
 */
class DashboardScriptTests {

	private static final Path SPECIFICATION = Path.of("src", "test", "js", "chart-model.test.js");

	@Test
	void theChartModelMeetsItsSpecification() throws IOException, InterruptedException {
		String node = installNodeIfMissing();
		Path output = Files.createTempFile("node-test", ".txt");
		try {
			Process run = new ProcessBuilder(node, "--test", SPECIFICATION.toString()).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!run.waitFor(2, TimeUnit.MINUTES)) {
				run.destroyForcibly();
				throw new AssertionError("node --test did not finish in 2 minutes:\n" + read(output));
			}
			String report = read(output);
			assertThat(run.exitValue()).as("node --test %s exit code; its report:%n%s", SPECIFICATION, report)
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

	private static Optional<String> findNode() {
		return Stream.of("/usr/bin/node", "/usr/local/bin/node", "/usr/bin/nodejs")
			.filter((candidate) -> Files.isExecutable(Path.of(candidate)))
			.findFirst();
	}

	private static String installNodeIfMissing() {
		Optional<String> node = findNode();
		if (node.isPresent()) {
			return node.get();
		}
		String reason;
		try {
			Process install = new ProcessBuilder("apt-get", "install", "-y", "--no-install-recommends", "nodejs")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			reason = install.waitFor(10, TimeUnit.MINUTES) ? "apt-get exited with " + install.exitValue()
					: "apt-get did not finish in 10 minutes";
		}
		catch (IOException ex) {
			reason = "apt-get could not run: " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			reason = "interrupted";
		}
		String installed = reason;
		return findNode().orElseThrow(() -> new TestAbortedException(
				"No Node.js could be installed for the dashboard script test (Debian package nodejs; " + installed + ")"));
	}

}
