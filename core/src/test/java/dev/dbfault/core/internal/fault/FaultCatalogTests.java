package dev.dbfault.core.internal.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.FaultType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each entry of the fault catalog must bring, so that a new fault type is complete
 * once these pass: its record, its unit with the abilities its kind needs, an example for
 * every required parameter (which forms and the dashboard prefill), and its row in the
 * README's fault reference.
 */
class FaultCatalogTests {

	@ParameterizedTest
	@EnumSource(FaultType.class)
	void everyTypeParsesFromItsExamplesIntoItsRecord(FaultType type) {
		FaultSpec spec = FaultSpec.parse(type.id(), examples(type));
		assertThat(spec).isInstanceOf(type.specType());
		assertThat(spec.type()).isSameAs(type);
		assertThat(FaultSpec.parse(type.id(), spec.toMap())).as("toMap reads back").isEqualTo(spec);
	}

	@ParameterizedTest
	@EnumSource(FaultType.class)
	void everyTypeHasAUnitWithTheAbilitiesOfItsKind(FaultType type) {
		FaultUnit unit = FaultUnits.create(FaultSpec.parse(type.id(), examples(type)), new TestFaultContext(Clock.SYSTEM, false));
		if (type.isAction()) {
			assertThat(unit).as(type.id() + " acts on live connections").isInstanceOf(FaultUnit.Action.class);
		}
		if (type.event() == FaultType.Event.STATEMENT) {
			assertThat(unit).as(type.id() + " sees statements").isInstanceOf(FaultUnit.StatementHandling.class);
		}
		if (type.isPostgres() && type.event() == FaultType.Event.CONNECTION && !type.isAction()) {
			assertThat(unit).as(type.id() + " meets each connection").isInstanceOf(FaultUnit.Attaching.class);
		}
		if (type.isDirectional()) {
			assertThat(unit).as(type.id() + " acts on data").isInstanceOf(FaultUnit.DataHandling.class);
		}
		if (type.event() == FaultType.Event.CHUNK) {
			assertThat(unit).isInstanceOf(FaultUnit.DataHandling.class);
		}
	}

	@ParameterizedTest
	@EnumSource(FaultType.class)
	void everyTypeHasARowInTheReadmesFaultReference(FaultType type) throws IOException {
		List<String> readme = Files.readAllLines(Path.of("../README.md"));
		assertThat(readme).as("README row for " + type.id()).anyMatch((line) -> line.startsWith("| `" + type.id() + "` |"));
	}

	private static Map<String, Object> examples(FaultType type) {
		Map<String, Object> values = new HashMap<>();
		for (FaultParameter parameter : type.parameters()) {
			if (parameter.required()) {
				assertThat(parameter.example()).as("example of %s.%s", type.id(), parameter.name()).isNotNull();
				values.put(parameter.name(), parameter.example());
			}
		}
		return values;
	}

}
