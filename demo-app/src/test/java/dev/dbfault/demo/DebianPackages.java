package dev.dbfault.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.opentest4j.TestAbortedException;

/**
 * Installs the Debian packages a test drives (a browser, Node) when their programs are
 * missing, and skips the test, saying why, only where none can be installed.
 */
final class DebianPackages {

	private DebianPackages() {
	}

	/**
	 * Makes sure every program is there, installing the packages that bring them if one is not.
	 * @param what what the test needs them for, for the skip message
	 * @param programs the programs' paths
	 * @param packages the Debian packages that install them
	 * @throws TestAbortedException if a program is still missing afterwards
	 */
	static void installIfMissing(String what, List<Path> programs, String... packages) {
		if (programs.stream().allMatch(Files::isExecutable)) {
			return;
		}
		String reason;
		try {
			Process install = new ProcessBuilder(command(packages)).redirectErrorStream(true)
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
		if (!programs.stream().allMatch(Files::isExecutable)) {
			throw new TestAbortedException("Nothing could be installed for " + what + " (Debian packages "
					+ String.join(", ", packages) + "; " + reason + ")");
		}
	}

	/**
	 * Returns Node.js, installing Debian's {@code nodejs} if it is missing.
	 * @param what what the test needs it for, for the skip message
	 * @return the {@code node} program
	 */
	static Path node(String what) {
		Path node = Path.of("/usr/bin/node");
		installIfMissing(what, List.of(node), "nodejs");
		return node;
	}

	private static List<String> command(String... packages) {
		List<String> command = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
		command.addAll(List.of(packages));
		return command;
	}

}
