package dev.dbfault.demo;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's fault buttons are made from the catalog
 * {@code GET /actuator/dbfault?include=faultTypes} returns, not from a list of the page's
 * own: every type the endpoint lists has a button, in the group of its category and with its
 * description for a hint; a type the page never heard of gets one as well; and every button,
 * clicked as prefilled, injects its type. The buttons are what the page's own fault-catalog
 * module makes of the endpoint's answer, run in Node. The plain listing names the demo and
 * leaves the fault types out.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@AutoConfigureDbFault
class DashboardCatalogTests {

	private static final String SCRIPT = """
			import { readFileSync } from "node:fs";
			const { faultGroups, prefilledBody } = await import(new URL("fault-catalog.mjs", process.argv[1]));
			const groups = faultGroups(JSON.parse(readFileSync(0, "utf8")), "dataSource");
			console.log(JSON.stringify(groups.map((group) => ({
				...group,
				buttons: group.buttons.map((button) => ({ ...button, body: prefilledBody(button) })),
			}))));
			""";

	@LocalServerPort
	private int port;

	@Autowired
	private DbFault dbFault;

	private RestClient http;

	@BeforeEach
	void connect() {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
	}

	private DocumentContext catalog() {
		return JsonPath.parse(this.http.get().uri("/actuator/dbfault?include=faultTypes").retrieve().body(String.class));
	}

	@Test
	void theListingNamesTheDemoAndLeavesTheFaultTypesToTheRequestThatAsksForThem() {
		String listing = this.http.get().uri("/actuator/dbfault").retrieve().body(String.class);
		DocumentContext small = JsonPath.parse(listing);
		assertThat(small.<String>read("$.instance.application")).isEqualTo("dbfault-demo");
		assertThat(small.<Map<String, Object>>read("$")).containsOnlyKeys("instance", "proxies", "advice");
		assertThat(listing.length()).isLessThan(4 * 1024);
		assertThat(catalog().<List<Object>>read("$.faultTypes")).hasSizeGreaterThan(10);
	}

	/** The buttons the page makes of a catalog, by type, each with the group it is in. */
	private static Map<String, Map<String, Object>> buttons(DocumentContext catalog) throws Exception {
		DocumentContext groups = JsonPath.parse(DashboardScript.run("the dashboard catalog test", SCRIPT,
				catalog.jsonString()));
		Map<String, Map<String, Object>> buttons = new LinkedHashMap<>();
		for (Map<String, Object> group : groups.<List<Map<String, Object>>>read("$[*]")) {
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> inGroup = (List<Map<String, Object>>) group.get("buttons");
			for (Map<String, Object> button : inGroup) {
				Map<String, Object> placed = new LinkedHashMap<>(button);
				placed.put("group", group.get("id"));
				placed.put("groupTitle", group.get("title"));
				assertThat(buttons.put((String) button.get("type"), placed)).as("a second %s button", button.get("type"))
					.isNull();
			}
		}
		return buttons;
	}

	@Test
	void everyTypeTheEndpointListsHasAButtonInTheGroupOfItsCategory() throws Exception {
		DocumentContext catalog = catalog();
		// the demo's proxy speaks PostgreSQL, so no type is left out for it
		assertThat(catalog.<String>read("$.proxies.dataSource.protocol")).isEqualTo("postgresql");
		List<Map<String, Object>> types = catalog.read("$.faultTypes[*]");
		assertThat(types).hasSizeGreaterThan(10);
		Map<String, Map<String, Object>> buttons = buttons(catalog);
		assertThat(buttons.keySet()).containsExactlyInAnyOrderElementsOf(types.stream()
			.map((type) -> (String) type.get("type"))
			.toList());
		for (Map<String, Object> type : types) {
			Map<String, Object> button = buttons.get(type.get("type"));
			assertThat(button.get("group")).as("the group of %s", type.get("type")).isEqualTo(type.get("category"));
			assertThat(button.get("hint")).as("the hint of %s", type.get("type")).isEqualTo(type.get("description"));
		}
		assertThat(buttons.values().stream().map((button) -> button.get("group")).distinct())
			.as("groups in order")
			.containsExactly("connections", "network", "sql");
	}

	@Test
	void everyButtonInjectsItsTypeWithTheValuesItIsPrefilledWith() throws Exception {
		for (Map<String, Object> button : buttons(catalog()).values()) {
			String type = (String) button.get("type");
			String answer = this.http.post()
				.uri("/actuator/dbfault/dataSource/{type}", type)
				.contentType(MediaType.APPLICATION_JSON)
				.body(button.get("body"))
				.exchange((request, response) -> response.getStatusCode().value() + " "
						+ new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));
			assertThat(answer).as("the %s button, sending %s", type, button.get("body"))
				.matches("(?s)20[01] .*")
				.contains("\"type\":\"" + type + "\"");
			this.dbFault.healAll();
		}
	}

	@Test
	void theConditionsThatCutOffEverythingHealThemselvesAndTheOthersStay() throws Exception {
		Map<String, Map<String, Object>> buttons = buttons(catalog());
		// no knob of their own: the common option duration's example is all they are given
		assertThat(buttons.get("down").get("body")).isEqualTo(Map.of("duration", "10s"));
		assertThat(buttons.get("blackhole").get("body")).isEqualTo(Map.of("duration", "10s"));
		assertThat(buttons.get("latency").get("body")).isEqualTo(Map.of("latency", "300ms"));
		assertThat(buttons.get("reset").get("body")).isEqualTo(Map.of());
	}

	@Test
	void aTypeThePageNeverHeardOfGetsAButtonFromItsCatalogEntryAlone() throws Exception {
		DocumentContext catalog = catalog();
		catalog.add("$.faultTypes", Map.of("type", "disk-full", "category", "storage", "description",
				"writes fail as if the disk were full", "action", false, "postgresql", false, "parameters",
				List.of(parameter("path", "text", true, null, List.of(), "/var/lib/postgresql"),
						parameter("errno", "choice", false, "ENOSPC", List.of("ENOSPC", "EDQUOT"), "EDQUOT"),
						parameter("times", "count", false, null, List.of(), null),
						parameter("duration", "duration", false, null, List.of(), "10s"))));
		Map<String, Object> button = buttons(catalog).get("disk-full");
		assertThat(button).containsEntry("group", "storage")
			.containsEntry("groupTitle", "Storage")
			.containsEntry("hint", "writes fail as if the disk were full")
			.containsEntry("body", Map.of("path", "/var/lib/postgresql", "errno", "EDQUOT"));
		List<Map<String, Object>> fields = JsonPath.parse(button).read("$.fields[*]");
		assertThat(fields).extracting((field) -> field.get("name")).containsExactly("path", "errno");
		assertThat(fields.get(1).get("choices")).isEqualTo(List.of("ENOSPC", "EDQUOT"));
	}

	@Test
	void postgresqlTypesAreLeftOutForAPlainTcpProxy() throws Exception {
		DocumentContext catalog = catalog();
		catalog.set("$.proxies.dataSource.protocol", "tcp");
		List<String> plain = catalog.read("$.faultTypes[?(@.postgresql == false)].type");
		assertThat(plain).isNotEmpty().hasSizeLessThan(catalog.<List<Object>>read("$.faultTypes").size());
		assertThat(buttons(catalog).keySet()).containsExactlyInAnyOrderElementsOf(plain);
	}

	private static Map<String, Object> parameter(String name, String kind, boolean required, Object defaultValue,
			List<String> choices, String example) {
		Map<String, Object> parameter = new LinkedHashMap<>();
		parameter.put("name", name);
		parameter.put("kind", kind);
		parameter.put("defaultValue", defaultValue);
		parameter.put("required", required);
		parameter.put("choices", choices);
		parameter.put("range", "");
		parameter.put("description", "the " + name);
		parameter.put("example", example);
		return parameter;
	}

}
