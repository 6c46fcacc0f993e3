package dev.dbfault.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dbfault.testdb.Docs;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code curl} command in the README and the rest of the documentation, typed as written (only {@code localhost:8080}
 * and the Toxiproxy API's {@code localhost:8474} become this test's ports), against the running demo, in the documentation's order (README.md first): each answers
 * 2xx. A command that needs a header the README does not show, or a parameter the endpoint
 * refuses, fails here.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "dbfault.toxiproxy-api.port=0" })
class ReadmeCommandsTests {

	private static final Pattern CURL = Pattern.compile("`(curl [^`]+)`");

	@LocalServerPort
	private int port;

	@Value("${local.dbfault.toxiproxy-api.port}")
	private int toxiproxyPort;

	@Test
	void everyCurlCommandInTheReadmeAnswers2xx() throws Exception {
		List<String> commands = readmeCommands();
		assertThat(commands).as("curl commands in README.md").hasSizeGreaterThanOrEqualTo(12);
		for (String command : commands) {
			String typed = command.replace("localhost:8080", "127.0.0.1:" + this.port)
				.replace("localhost:8474", "127.0.0.1:" + this.toxiproxyPort);
			Process process = new ProcessBuilder("bash", "-c", typed + " -sS -w '\\n%{http_code}'")
				.redirectErrorStream(true)
				.start();
			assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			String status = output.substring(output.lastIndexOf('\n') + 1);
			assertThat(process.exitValue()).as("%s -> %s", command, output).isZero();
			assertThat(status).as("%s -> %s", command, output).startsWith("2");
		}
		// stop the load and heal what the commands left, so that tests sharing this context start clean
		new ProcessBuilder("curl", "-sS", "-XPOST", "http://127.0.0.1:" + this.port + "/api/load/stop").start()
			.waitFor(10, TimeUnit.SECONDS);
		new ProcessBuilder("curl", "-sS", "-XDELETE", "http://127.0.0.1:" + this.port + "/actuator/dbfault").start()
			.waitFor(10, TimeUnit.SECONDS);
	}

	private static List<String> readmeCommands() throws IOException {
		if (!Files.isExecutable(Path.of("/usr/bin/curl")) && !Files.isExecutable(Path.of("/bin/curl"))) {
			throw new TestAbortedException("curl is not installed: the README's commands cannot be typed here");
		}
		List<String> commands = new ArrayList<>();
		for (String page : Docs.pages().values()) {
			Matcher matcher = CURL.matcher(page.replaceAll("(?ms)^```.*?^```$", ""));
			while (matcher.find()) {
				commands.add(matcher.group(1));
			}
		}
		return commands;
	}

}
