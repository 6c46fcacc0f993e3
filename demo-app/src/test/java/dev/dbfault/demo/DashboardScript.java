package dev.dbfault.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a script in Node against the dashboard's own ES modules, as the page imports them, so
 * that a test checks what the page really does. The script is a module: it imports the
 * page's modules relative to {@code process.argv[1]}, reads its input from standard input
 * and prints its result.
 */
final class DashboardScript {

	private static final Path STATIC = Path.of("src", "main", "resources", "static");

	private DashboardScript() {
	}

	/**
	 * Runs a script and returns what it printed.
	 * @param what what the test needs Node for, for the skip message
	 * @param script the module's source
	 * @param input what the script reads on standard input
	 * @return its standard output, stripped
	 */
	static String run(String what, String script, String input) throws IOException, InterruptedException {
		Path node = DebianPackages.node(what);
		String modules = STATIC.toAbsolutePath().toUri().toString();
		// to a file, so that a long answer cannot fill a pipe nobody reads while Node runs
		Path output = Files.createTempFile("dashboard-script", ".txt");
		try {
			Process process = new ProcessBuilder(node.toString(), "--input-type=module", "-e", script,
					modules.endsWith("/") ? modules : modules + "/")
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			try (OutputStream stdin = process.getOutputStream()) {
				stdin.write(input.getBytes(StandardCharsets.UTF_8));
			}
			if (!process.waitFor(2, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new AssertionError("node did not finish in 2 minutes:\n" + Files.readString(output));
			}
			String printed = Files.readString(output, StandardCharsets.UTF_8);
			assertThat(process.exitValue()).as(printed).isZero();
			return printed.strip();
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

}
