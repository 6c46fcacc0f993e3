package dev.dbfault.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fault button of the dashboard, with the defaults it ships with, is accepted by the
 * endpoint: the bodies are built by the page's own {@code faultBody} (run in Node), so a
 * default the endpoint refuses (a size without its unit) fails here, not in front of a user.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@AutoConfigureDbFault
class DashboardButtonsTests {

	private static final String SCRIPT = """
			require(process.argv[1]);
			const { FAULT_GROUPS, faultBody } = globalThis.dbfaultDashboard;
			const faults = FAULT_GROUPS.flatMap((group) => group.faults).map((fault) => ({
				type: fault.type,
				body: faultBody((fault.params || []).map((param) => [param.name, param.value])),
			}));
			console.log(JSON.stringify(faults));
			""";

	@LocalServerPort
	private int port;

	@Autowired
	private DbFault dbFault;

	@Test
	void everyButtonsDefaultsAreAccepted() throws Exception {
		List<Object> buttons = JsonParserFactory.getJsonParser().parseList(buttons());
		assertThat(buttons).hasSizeGreaterThan(10);
		RestClient http = RestClient.create("http://127.0.0.1:" + this.port);
		for (Object each : buttons) {
			Map<?, ?> button = (Map<?, ?>) each;
			String type = (String) button.get("type");
			String answer = http.post()
				.uri("/actuator/dbfault/dataSource/{type}", type)
				.body(button.get("body"))
				.exchange((request, response) -> {
					HttpStatusCode status = response.getStatusCode();
					return status.value() + " " + new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
				});
			assertThat(answer).as("the %s button", type).startsWith("200 ");
			this.dbFault.healAll();
		}
	}

	private static String buttons() throws IOException, InterruptedException {
		Path node = DebianPackages.node("the dashboard buttons test");
		Path appJs = Path.of("src", "main", "resources", "static", "app.js").toAbsolutePath();
		Process process = new ProcessBuilder(node.toString(), "-e", SCRIPT, appJs.toString()).redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		return output.strip();
	}

}
