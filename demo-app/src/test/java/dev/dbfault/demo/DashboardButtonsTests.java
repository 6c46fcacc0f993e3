package dev.dbfault.demo;

import java.util.List;
import java.util.Map;

import dev.dbfault.test.AutoConfigureDbFault;
import org.junit.jupiter.api.Test;

import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fault button of the dashboard, clicked with the values it is prefilled with, is
 * accepted by the endpoint. The page's own modules do it all in Node, against the running
 * demo: read the catalog from GET /actuator/dbfault?include=faultTypes, make the buttons,
 * send each one's request with the page's own HTTP client, heal. So a prefilled value the endpoint refuses
 * (a size without its unit, say) fails here, not in front of a user.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@AutoConfigureDbFault
class DashboardButtonsTests {

	private static final String SCRIPT = """
			import { readFileSync } from "node:fs";
			const modules = process.argv[1];
			const { createApi } = await import(new URL("api.mjs", modules));
			const { faultGroups, prefilledBody } = await import(new URL("fault-catalog.mjs", modules));
			const api = createApi(JSON.parse(readFileSync(0, "utf8")).base);
			const clicks = [];
			for (const button of faultGroups(await api.catalog(), "dataSource").flatMap((group) => group.buttons)) {
				const body = prefilledBody(button);
				try {
					const fault = await api.inject("dataSource", button.type, body);
					clicks.push({ type: button.type, body, injected: fault.type, status: "ok" });
				}
				catch (error) {
					clicks.push({ type: button.type, body, status: `${error.status} ${error.message}` });
				}
				await api.healAll();
			}
			console.log(JSON.stringify(clicks));
			""";

	@LocalServerPort
	private int port;

	@Test
	void everyButtonInjectsItsFaultWithTheValuesItIsPrefilledWith() throws Exception {
		String input = "{\"base\": \"http://127.0.0.1:" + this.port + "\"}";
		List<Object> clicks = JsonParserFactory.getJsonParser()
			.parseList(DashboardScript.run("the dashboard buttons test", SCRIPT, input));
		assertThat(clicks).hasSizeGreaterThan(10);
		for (Object each : clicks) {
			Map<?, ?> click = (Map<?, ?>) each;
			assertThat(click.get("status")).as("the %s button, sending %s", click.get("type"), click.get("body"))
				.isEqualTo("ok");
			assertThat(click.get("injected")).as("what the %s button injected", click.get("type"))
				.isEqualTo(click.get("type"));
		}
	}

}
