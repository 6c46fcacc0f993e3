package dev.dbfault.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.testdb.GeneratedDocs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IDEs complete {@code dbfault.*} from the generated configuration metadata: every property
 * must be there, with a description.
 */
class ConfigurationMetadataTests {

	@Test
	@SuppressWarnings("unchecked")
	void everyPropertyIsListedWithADescription() throws IOException {
		Map<String, Object> metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated metadata").isNotNull();
			metadata = JsonParserFactory.getJsonParser().parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		List<Map<String, Object>> all = (List<Map<String, Object>>) metadata.get("properties");
		List<Map<String, Object>> properties = all.stream()
			.filter((property) -> property.get("name").toString().startsWith("dbfault."))
			.toList();
		assertThat(all).anySatisfy((property) -> assertThat(property).containsEntry("name",
				"management.endpoint.dbfault.access").containsEntry("defaultValue", "none"));
		assertThat(properties).extracting((property) -> property.get("name"))
			.containsExactlyInAnyOrder("dbfault.enabled", "dbfault.bind-address", "dbfault.exclude", "dbfault.instance-id",
					"dbfault.max-fault-duration", "dbfault.busy-poll", "dbfault.startup-faults", "dbfault.postgresql.tls",
					"dbfault.advisor.enabled", "dbfault.advisor.server-idle-timeout",
					"dbfault.toxiproxy-api.enabled", "dbfault.toxiproxy-api.port", "dbfault.seed", "dbfault.journal-size",
					"dbfault.transport");
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of " + property.get("name"))
			.isNotBlank());
		assertThat(properties).filteredOn((property) -> property.get("name").equals("dbfault.max-fault-duration"))
			.singleElement()
			.satisfies((property) -> assertThat(property).containsEntry("defaultValue", "10m"));
		// the processor would render Duration.ofNanos(100_000) as 100000ns: the default is stated by hand, and must
		// stay the one the proxy uses
		assertThat(properties).filteredOn((property) -> property.get("name").equals("dbfault.busy-poll"))
			.singleElement()
			.satisfies((property) -> assertThat(property).containsEntry("type", "java.time.Duration")
				.containsEntry("defaultValue", "100us"));
		assertThat(DurationStyle.detectAndParse("100us")).isEqualTo(FaultProxy.DEFAULT_BUSY_POLL)
			.isEqualTo(new DbFaultProperties().getBusyPoll());
	}

	/**
	 * {@code docs/reference/properties.md} lists every property of the metadata, with its
	 * type, default and description, generated from it (rewritten with
	 * {@code -Ddbfault.docs.update=true}).
	 */
	@Test
	@SuppressWarnings("unchecked")
	void thePropertiesReferenceIsTheMetadata() throws IOException {
		Map<String, Object> metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonParserFactory.getJsonParser().parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		StringBuilder table = new StringBuilder("| property | type | default | meaning |\n|---|---|---|---|\n");
		for (Map<String, Object> property : (List<Map<String, Object>>) metadata.get("properties")) {
			String name = property.get("name").toString();
			if (!name.startsWith("dbfault.") && !name.startsWith("management.endpoint.dbfault.")) {
				continue;
			}
			Object value = property.get("defaultValue");
			String type = property.get("type").toString()
				.replaceAll("java\\.(lang|util|time)\\.", "")
				.replaceAll("[\\w.]+\\$", "")
				.replaceAll("(dev|org)\\.[\\w.]+\\.", "");
			table.append("| `").append(name).append(name.equals("dbfault.startup-faults") ? "[n]" : "").append("` | ")
				.append(type.replace("<", "&lt;").replace(">", "&gt;")).append(" | ")
				.append((value != null) ? "`" + value + "`" : "").append(" | ")
				.append(property.get("description").toString().replace("|", "\\|").replace("\n", " ")).append(" |\n");
		}
		GeneratedDocs.assertInSync(Path.of("..", "docs", "reference", "properties.md"), "properties", table.toString());
	}

	/**
	 * The hints for startup faults' types and parameter names are the fault catalog's: the
	 * hand-kept file must say what {@link #catalogHints()} derives. Run with
	 * {@code -Ddbfault.metadata.write=true} to write it after changing the catalog.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void startupFaultHintsAreTheFaultCatalog() throws IOException {
		Path file = Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");
		Map<String, Object> additional = JsonParserFactory.getJsonParser().parseMap(Files.readString(file));
		if (Boolean.getBoolean("dbfault.metadata.write")) {
			additional.put("hints", catalogHints());
			Files.writeString(file, json(additional, "") + "\n");
			additional = JsonParserFactory.getJsonParser().parseMap(Files.readString(file));
		}
		assertThat((List<Object>) additional.get("hints")).as("hints in " + file
				+ " (regenerate with -Ddbfault.metadata.write=true)").isEqualTo(catalogHints());
	}

	/**
	 * The build merges the hand-kept hints into the metadata it generates; not checked on a
	 * run that has just rewritten them, whose build saw the old file.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void theGeneratedMetadataCarriesTheHints() throws IOException {
		Assumptions.assumeFalse(Boolean.getBoolean("dbfault.metadata.write"), "the hints were just rewritten");
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			Map<String, Object> merged = JsonParserFactory.getJsonParser()
				.parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			assertThat((List<Map<String, Object>>) merged.get("hints")).extracting((hint) -> hint.get("name"))
				.contains("dbfault.startup-faults[].type", "dbfault.startup-faults[].parameters.keys");
		}
	}

	private static List<Object> catalogHints() {
		List<Object> types = new ArrayList<>();
		Map<String, String> parameters = new LinkedHashMap<>();
		for (FaultType type : FaultType.values()) {
			types.add(value(type.id(), type.description() + (type.isPostgres() ? " (PostgreSQL)" : "")));
			for (FaultParameter parameter : type.allParameters()) {
				parameters.putIfAbsent(parameter.name(), parameter.description() + " (" + parameter.kind().name()
					.toLowerCase(java.util.Locale.ROOT) + ": " + parameter.range() + ")");
			}
		}
		List<Object> names = new ArrayList<>();
		parameters.forEach((name, description) -> names.add(value(name, description)));
		return List.of(hint("dbfault.startup-faults[].type", types),
				hint("dbfault.startup-faults[].parameters.keys", names));
	}

	private static Map<String, Object> hint(String name, List<Object> values) {
		Map<String, Object> hint = new LinkedHashMap<>();
		hint.put("name", name);
		hint.put("values", values);
		return hint;
	}

	private static Map<String, Object> value(String value, String description) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("value", value);
		entry.put("description", description);
		return entry;
	}

	@SuppressWarnings("unchecked")
	private static String json(Object value, String indent) {
		String inner = indent + "  ";
		if (value instanceof Map<?, ?> map) {
			List<String> members = new ArrayList<>();
			((Map<String, Object>) map).forEach((name, member) -> members.add(inner + quote(name) + ": " + json(member, inner)));
			return "{\n" + String.join(",\n", members) + "\n" + indent + "}";
		}
		if (value instanceof List<?> list) {
			List<String> items = new ArrayList<>();
			list.forEach((item) -> items.add(inner + json(item, inner)));
			return "[\n" + String.join(",\n", items) + "\n" + indent + "]";
		}
		return (value instanceof String text) ? quote(text) : String.valueOf(value);
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}
