package dev.dbfault.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.dbfault.core.FaultProxy;
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
					"dbfault.advisor.enabled", "dbfault.advisor.server-idle-timeout");
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

}
