package dev.dbfault.core;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import dev.dbfault.core.fault.Bandwidth;
import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.DropOn;
import dev.dbfault.core.fault.FaultOptions;
import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.fault.KillMode;
import dev.dbfault.core.fault.KillTiming;
import dev.dbfault.core.fault.Latency;
import dev.dbfault.core.fault.Reset;
import dev.dbfault.core.fault.Sampling;
import dev.dbfault.core.fault.Slicer;
import dev.dbfault.core.fault.Timeout;
import dev.dbfault.core.fault.UnknownFaultTypeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Building and validating fault specs: every bad input is rejected whole, with a message
 * naming the parameter.
 */
class FaultSpecTests {

	private static Map<String, Object> params(Object... pairs) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			map.put((String) pairs[i], pairs[i + 1]);
		}
		return map;
	}

	private static void assertRejected(String type, Map<String, Object> params, String parameter, String message) {
		assertThatExceptionOfType(FaultParameterException.class).isThrownBy(() -> FaultSpec.parse(type, params))
			.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo(parameter))
			.withMessageContaining(message);
	}

	@Test
	void parsesTextTheWaySpringBootWritesIt() {
		FaultSpec spec = FaultSpec.parse("latency",
				params("latency", "250ms", "jitter", "PT0.05S", "direction", "both", "times", "3", "after", 1,
						"probability", "0.5", "duration", "2m"));
		assertThat(spec.type()).isEqualTo(FaultType.LATENCY);
		assertThat(spec.parameter("latency")).isEqualTo(Duration.ofMillis(250));
		assertThat(spec.parameter("jitter")).isEqualTo(Duration.ofMillis(50));
		assertThat(spec.direction()).isEqualTo(Direction.BOTH);
		assertThat(spec.times()).hasValue(3);
		assertThat(spec.after()).isEqualTo(1);
		assertThat(spec.probability()).isEqualTo(0.5);
		assertThat(spec.duration()).isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void typedBuilderAndParsedInputGiveEqualSpecs() {
		FaultSpec built = Faults.latency(Duration.ofMillis(200)).jitter(Duration.ofMillis(20)).times(3).build();
		FaultSpec parsed = FaultSpec.parse("latency", params("latency", "200ms", "jitter", "20ms", "times", 3));
		assertThat(built).isEqualTo(parsed).hasSameHashCodeAs(parsed);
	}

	@Test
	void typedJavaNumbersAreMillisecondsAndBytes() {
		assertThat(FaultSpec.builder(FaultType.LATENCY).set("latency", 75).build().parameter("latency"))
			.isEqualTo(Duration.ofMillis(75));
		assertThat(Faults.bandwidth(2048).build().rate()).isEqualTo(2048);
	}

	@Test
	void parsedDurationsAndSizesNeedAUnit() {
		assertRejected("latency", params("latency", 75), "latency",
				"latency must be text with a unit, such as \"250ms\" or \"2s\"; was the number 75");
		assertRejected("latency", params("latency", "123"), "latency",
				"latency: '123' has no unit: write one, such as 123ms, 123s or 123m");
		assertRejected("blackhole", params("duration", "10"), "duration",
				"duration: '10' has no unit: write one, such as 10ms, 10s or 10m");
		assertRejected("bandwidth", params("rate", 2048), "rate",
				"rate must be text with a unit, such as \"64KB\" or \"512B\"; was the number 2048");
		assertRejected("limit-data", params("bytes", "1000"), "bytes",
				"bytes: '1000' has no unit: write one, such as 1000B or 1000KB");
		assertThat(((Timeout) FaultSpec.parse("timeout", params("timeout", "0"))).timeout()).isZero();
		assertThat(FaultSpec.parse("bandwidth", params("rate", "64KB")).parameter("rate")).isEqualTo(65536L);
		assertThat(FaultSpec.parse("limit-data", params("bytes", "1MB")).parameter("bytes")).isEqualTo(1L << 20);
	}

	@Test
	void fillsDefaults() {
		FaultSpec spec = FaultSpec.parse("latency", params("latency", "10ms"));
		assertThat(spec).isInstanceOfSatisfying(Latency.class, (latency) -> assertThat(latency.jitter()).isZero());
		assertThat(spec.direction()).isEqualTo(Direction.DOWNSTREAM);
		assertThat(spec.probability()).isEqualTo(1.0);
		assertThat(spec.times()).isEmpty();
		assertThat(spec.after()).isZero();
		assertThat(spec.duration()).isNull();
		assertThat(spec.isCounted()).isFalse();
		FaultSpec dropOn = FaultSpec.parse("drop-on", params("match", "(?i)^commit"));
		assertThat(dropOn.parameter("when")).isEqualTo(KillTiming.BEFORE);
		assertThat(dropOn.parameter("mode")).isEqualTo(KillMode.RESET);
		assertThat(dropOn.toMap()).containsEntry("when", "before").containsEntry("mode", "reset");
		assertThat(FaultSpec.parse("sql-error", params("match", "x")).parameter("sqlState")).isEqualTo("40001");
	}

	@Test
	void acceptsTypeNamesInEveryCommonSpelling() {
		assertThat(FaultType.of("sql-error")).isEqualTo(FaultType.SQL_ERROR);
		assertThat(FaultType.of("SQL_ERROR")).isEqualTo(FaultType.SQL_ERROR);
		assertThat(FaultType.of("sqlError")).isEqualTo(FaultType.SQL_ERROR);
		assertThat(FaultType.find("nonsense")).isEmpty();
	}

	@Test
	void rejectsAnUnknownTypeListingTheKnownOnes() {
		assertThatExceptionOfType(UnknownFaultTypeException.class).isThrownBy(() -> FaultSpec.parse("explode", Map.of()))
			.withMessageContaining("explode")
			.withMessageContaining("latency")
			.withMessageContaining("sql-error");
	}

	@Test
	void rejectsANegativeLatency() {
		assertRejected("latency", params("latency", "-5ms"), "latency", "latency must not be negative");
	}

	@Test
	void rejectsAnUnparseableDuration() {
		assertRejected("latency", params("latency", "fast"), "latency", "cannot parse 'fast' as a duration");
	}

	@Test
	void rejectsAProbabilityAboveOne() {
		assertRejected("latency", params("latency", "1ms", "probability", 2), "probability",
				"probability must be between 0 and 1, was 2");
	}

	@Test
	void rejectsAnUnknownDirection() {
		assertRejected("latency", params("latency", "1ms", "direction", "sideways"), "direction",
				"direction must be one of upstream, downstream, both, was 'sideways'");
	}

	@Test
	void rejectsADirectionForAFaultThatActsOnWholeConnections() {
		assertRejected("reset", params("direction", "upstream"), "direction", "direction does not apply to reset");
		assertThat(FaultSpec.parse("reset", params("direction", "both")).direction()).isEqualTo(Direction.BOTH);
	}

	@Test
	void rejectsADurationForAnAction() {
		assertRejected("reset", params("duration", "1s"), "duration", "acts once");
	}

	@Test
	void rejectsAMissingRequiredParameter() {
		assertRejected("latency", params(), "latency", "latency is required for fault latency");
		assertRejected("sql-error", params("sqlState", "40001"), "match", "match is required");
	}

	@Test
	void rejectsAnUnknownParameterListingTheAcceptedOnes() {
		assertRejected("latency", params("latency", "1ms", "jiter", "1ms"), "jiter",
				"Unknown parameter 'jiter' for fault latency (accepted: latency, jitter, direction");
	}

	@Test
	void rejectsZeroTimesAndNegativeAfter() {
		assertRejected("latency", params("latency", "1ms", "times", 0), "times", "times must be 1 to 1000000000, was 0");
		assertRejected("latency", params("latency", "1ms", "after", -1), "after", "after must be 0 to 1000000000, was -1");
		assertRejected("latency", params("latency", "1ms", "times", 1.5), "times", "must be a whole number");
	}

	@Test
	void everyCountOutOfRangeIsRefusedWithTheRangeTheCatalogGivesWhicheverEndIsPassed() {
		for (FaultParameter count : List.of(FaultType.TIMES, FaultType.AFTER, FaultType.SEED, FaultType.BACKEND_PID,
				FaultType.STATEMENT_INDEX)) {
			String range = count.name() + " must be " + count.range() + ", was ";
			for (long outside : List.of(count.minimum() - 1, (Long) count.maximum() + 1)) {
				assertThatExceptionOfType(FaultParameterException.class)
					.isThrownBy(() -> FaultSpec.parse("drop-after-rows", params("rows", 1, count.name(), outside)))
					.withMessage(range + outside);
			}
		}
		assertThat(FaultType.TIMES.range()).isEqualTo("1 to 1000000000");
		assertThat(FaultType.AFTER.range()).isEqualTo("0 to 1000000000");
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> Faults.latency(java.time.Duration.ofMillis(1)).times(0).build())
			.withMessage("times must be 1 to 1000000000, was 0");
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> Faults.latency(java.time.Duration.ofMillis(1)).backendPid(0).build())
			.withMessage("backendPid must be 1 to 2147483647, was 0");
	}

	@Test
	void rejectsAZeroDuration() {
		assertRejected("blackhole", params("duration", "0s"), "duration", "duration must be longer than 0");
	}

	@Test
	void rejectsAnInvalidRegularExpression() {
		assertRejected("sql-error", params("match", "(unclosed"), "match", "match is not a valid regular expression");
	}

	@Test
	void rejectsSqlStatesThatAreNotErrors() {
		assertRejected("sql-error", params("match", "x", "sqlState", "4001"), "sqlState", "five characters");
		assertRejected("sql-error", params("match", "x", "sqlState", "00000"), "sqlState", "must be an error SQLSTATE");
		assertRejected("sql-error", params("match", "x", "sqlState", "01000"), "sqlState", "must be an error SQLSTATE");
		assertThat(FaultSpec.parse("sql-error", params("match", "x", "sqlState", "57p01")).parameter("sqlState"))
			.isEqualTo("57P01");
	}

	@Test
	void rejectsAChoiceOutsideItsValues() {
		assertRejected("drop-on", params("match", "x", "when", "during"), "when",
				"when must be one of before, after, was 'during'");
		assertRejected("drop-on", params("match", "x", "mode", "explode"), "mode", "mode must be one of reset, close, blackhole");
	}

	@Test
	void rejectsImpossibleCombinations() {
		assertRejected("slicer", params("averageSize", "10B", "sizeVariation", "10B"), "sizeVariation",
				"sizeVariation must be less than averageSize (10), was 10");
		assertRejected("slicer", params("averageSize", "0"), "averageSize", "averageSize must be at least 1");
	}

	@Test
	void samplingPerConnectionIsAnOptionOfFaultsOnDataOnly() {
		FaultSpec spec = FaultSpec.parse("latency", params("latency", "10ms", "probability", "0.5", "per", "connection"));
		assertThat(spec.options().per()).isEqualTo(Sampling.CONNECTION);
		assertThat(spec.toMap()).containsEntry("per", "connection");
		assertThat(FaultSpec.parse("latency", new java.util.LinkedHashMap<>(spec.toMap()))).isEqualTo(spec);
		assertThat(Faults.bandwidth(100).perConnection().build().options().per()).isEqualTo(Sampling.CONNECTION);
		assertThat(FaultSpec.parse("latency", params("latency", "10ms")).toMap()).doesNotContainKey("per");
		assertRejected("latency", params("latency", "10ms", "per", "chunk"), "per",
				"per must be one of event, connection");
		assertRejected("reset-peer", params("per", "connection"), "per", "Unknown parameter 'per' for fault reset-peer");
		assertRejected("latency", params("latency", "10ms", "per", "connection", "times", "3"), "times",
				"times cannot be combined with per=connection");
	}

	@Test
	void bandwidthOfZeroIsAcceptedAsTheRateThatHoldsEverything() {
		assertThat(((Bandwidth) FaultSpec.parse("bandwidth", params("rate", "0B"))).rate()).isZero();
	}

	@Test
	void rejectsAnUnparseableSize() {
		assertRejected("bandwidth", params("rate", "lots"), "rate", "cannot parse 'lots' as a size");
	}

	@Test
	void nullValuesCountAsAbsent() {
		FaultSpec spec = FaultSpec.parse("latency", params("latency", "1ms", "jitter", null));
		assertThat(((Latency) spec).jitter()).isZero();
	}

	@Test
	void rendersAsPlainValues() {
		FaultSpec spec = Faults.sqlError("(?i)update", "40p01").times(2).build();
		assertThat(spec.toMap()).containsExactly(Map.entry("match", "(?i)update"), Map.entry("sqlState", "40P01"),
				Map.entry("times", 2L));
		assertThat(Faults.latency(Duration.ofMillis(1500)).build().toMap()).containsEntry("latency", "1500ms")
			.containsEntry("direction", "downstream");
		assertThat(spec.parameter("match")).isInstanceOf(Pattern.class);
	}

	@ParameterizedTest
	@EnumSource(FaultType.class)
	void everyTypeDocumentsItselfAndItsParameters(FaultType type) {
		assertThat(type.id()).matches("[a-z]+(-[a-z]+)*");
		assertThat(type.description()).isNotBlank();
		assertThat(type.allParameters()).allSatisfy((parameter) -> {
			assertThat(parameter.name()).matches("[a-z]+([A-Z][a-z]*)*");
			assertThat(parameter.description()).isNotBlank();
		});
		assertThat(type.allParameters()).extracting(FaultParameter::name).contains("probability", "times", "after");
	}

	@Test
	void unknownParameterLookupOnASpecFails() {
		FaultSpec spec = Faults.blackhole().build();
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> spec.parameter("latency"))
			.withMessageContaining("blackhole has no parameter 'latency'");
	}


	@Test
	void aRecordMadeDirectlyIsValidatedAsAParsedOne() {
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> new Latency(Duration.ofDays(2), null, null))
			.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo("latency"))
			.withMessageContaining("latency");
		assertThatExceptionOfType(FaultParameterException.class).isThrownBy(() -> new Latency(null, null, null))
			.withMessageContaining("latency is required for fault latency");
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> new Slicer(8, 8, null, null))
			.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo("sizeVariation"));
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> new Reset(new FaultOptions(Direction.UPSTREAM, 1.0, OptionalLong.empty(), 0,
					Optional.empty())))
			.withMessageContaining("direction does not apply to reset");
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> new FaultOptions(null, 1.5, OptionalLong.empty(), 0, Optional.empty()))
			.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo("probability"));
		Latency defaults = new Latency(Duration.ofMillis(5), null, null);
		assertThat(defaults.jitter()).isZero();
		assertThat(defaults.direction()).isEqualTo(Direction.DOWNSTREAM);
		assertThat(defaults).isEqualTo(FaultSpec.parse("latency", params("latency", "5ms")));
	}

	@Test
	void eachTypesBuilderTakesOnlyItsOwnSettings() {
		DropOn dropOn = Faults.dropOn("(?i)^commit").when(KillTiming.AFTER).mode(KillMode.CLOSE).times(1).build();
		assertThat(dropOn.when()).isEqualTo(KillTiming.AFTER);
		assertThat(dropOn.mode()).isEqualTo(KillMode.CLOSE);
		assertThat(dropOn.times()).hasValue(1);
		assertThat(Faults.dropOn("x").when("after").build()).isEqualTo(Faults.dropOn("x").when(KillTiming.AFTER).build());
		// the builder of a type without settings of its own has the common options and nothing else
		assertThat(Arrays.stream(Faults.reset().getClass().getMethods()).map(Method::getName))
			.doesNotContain("latency", "jitter", "match", "rate", "when", "mode");
		assertThat(Arrays.stream(Latency.Builder.class.getMethods()).map(Method::getName)).contains("jitter")
			.doesNotContain("match", "rate", "when", "mode");
	}

	@Test
	void specsWithAPatternAreEqualWhenTheirSourcesAre() {
		FaultSpec one = FaultSpec.parse("sql-error", params("match", "(?i)insert", "times", "2"));
		FaultSpec two = Faults.sqlError("(?i)insert", "40001").times(2).build();
		assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
		assertThat(one).isNotEqualTo(Faults.sqlError("(?i)update", "40001").times(2).build());
		assertThat(one).hasToString("sql-error{match=(?i)insert, sqlState=40001, times=2}");
	}

	@Test
	void everyTypesRecordNamesItsSettingsAsItsParameters() {
		for (FaultType type : FaultType.values()) {
			assertThat(Arrays.stream(type.specType().getRecordComponents()).map(RecordComponent::getName))
				.as(type.id())
				.containsExactlyElementsOf(java.util.stream.Stream
					.concat(type.parameters().stream().map(FaultParameter::name), java.util.stream.Stream.of("options"))
					.toList());
		}
	}

}
