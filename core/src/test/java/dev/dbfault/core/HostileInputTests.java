package dev.dbfault.core;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultRequest;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.core.fault.UnknownFaultTypeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The input a careless or hostile client sends: overflowing amounts, values of the wrong
 * JSON type, malformed bodies, megabytes of text. Each is refused by name, with the range
 * where there is one; none gets through as something else.
 */
class HostileInputTests {

	private static void assertRefused(String type, String json, String parameter, String message) {
		assertThatExceptionOfType(FaultParameterException.class).isThrownBy(() -> FaultSpec.parseJson(type, json))
			.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo(parameter))
			.withMessageContaining(message);
	}

	@Test
	void amountsThatWouldOverflowAreRefusedWithTheRange() {
		assertRefused("latency", "{\"latency\":\"999999999999d\"}", "latency", "latency must be 0ms to 1d, was ");
		assertRefused("latency", "{\"latency\":\"1ms\",\"jitter\":\"999999999999d\"}", "jitter", "jitter must be 0ms to 1d");
		assertRefused("slow-close", "{\"delay\":\"999999999999d\"}", "delay", "delay must be 0ms to 1d");
		assertRefused("timeout", "{\"timeout\":\"999999999999d\"}", "timeout", "timeout must be 0ms to 1d");
		assertRefused("sql-latency", "{\"match\":\"x\",\"latency\":\"999999999999d\"}", "latency", "0ms to 1d");
		assertRefused("limit-data", "{\"bytes\":\"999999999999TB\"}", "bytes", "bytes: '999999999999TB' is too large a size");
		assertRefused("bandwidth", "{\"rate\":\"9999TB\"}", "rate", "rate must be 0B to 1TB, was ");
		assertRefused("latency", "{\"latency\":\"99999999999999999999d\"}", "latency", "is too long a duration");
		assertRefused("latency", "{\"latency\":\"999999999999d\"}", "latency", "latency must be 0ms to 1d, was 999999999999d");
		assertRefused("latency", "{\"latency\":\"1ms\",\"times\":\"99999999999999999999\"}", "times", "too large a number");
		assertRefused("latency", "{\"latency\":\"1ms\",\"times\":99999999999999999999}", "times", "too large a number");
		assertRefused("latency", "{\"latency\":\"1ms\",\"after\":\"2000000000\"}", "after", "after must be 0 to 1000000000");
		assertRefused("latency", "{\"latency\":\"1ms\",\"probability\":1e400}", "probability", "must be a finite number");
		assertRefused("latency", "{\"latency\":\"1ms\",\"probability\":\"NaN\"}", "probability", "cannot parse 'NaN'");
		assertRefused("blackhole", "{\"duration\":\"31d\"}", "duration", "duration must be 0ms to 30d");
	}

	@Test
	void valuesOfTheWrongJsonTypeAreRefusedByName() {
		assertRefused("latency", "{\"latency\":\"1ms\",\"times\":[1]}", "times", "times must be a whole number, such as 2; was an array");
		assertRefused("latency", "{\"latency\":\"1ms\",\"probability\":{}}", "probability", "was an object");
		assertRefused("latency", "{\"latency\":123}", "latency", "latency must be text with a unit");
		assertRefused("sql-error", "{\"match\":5}", "match", "match must be text (a JSON string); was the number 5");
		assertRefused("sql-error", "{\"match\":\"x\",\"sqlState\":40001}", "sqlState", "such as \"40001\"");
		assertRefused("drop-on", "{\"match\":\"x\",\"when\":true}", "when", "one of before, after; was true");
		assertRefused("latency", "{\"latency\":\"1ms\",\"direction\":[\"both\"]}", "direction", "was an array");
	}

	@Test
	void malformedBodiesAreRefusedSayingWhere() {
		assertRefused("reset", "{", null, "the body is not valid JSON: expected a quoted name at character 2");
		assertRefused("reset", "[]", null, "the body must be a JSON object");
		assertRefused("reset", "\"x\"", null, "the body must be a JSON object");
		assertRefused("reset", "{} {}", null, "unexpected text after the JSON object");
		assertRefused("reset", "{\"times\":1,\"times\":2}", null, "the name \"times\" is given twice");
		assertRefused("reset", "[".repeat(100_000), null,
				"the body must be a JSON object such as {\"latency\":\"200ms\"}, was an array");
		assertRefused("reset", "{\"a\":" + "[".repeat(100_000), null, "not valid JSON");
		assertRefused("reset", "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", null, "nested deeper than");
		assertRefused("reset", "{\"times\":01}", null, "must not start with 0");
		assertThat(FaultSpec.parseJson("reset", "").type()).isEqualTo(FaultType.RESET);
		assertThat(FaultSpec.parseJson("reset", " {} ").type()).isEqualTo(FaultType.RESET);
	}

	@Test
	void parametersTextWrittenAsJsonButNotAnObjectIsRefusedSayingWhatItIs() {
		for (String[] text : List.of(new String[] { "[]", "an array" }, new String[] { "[1,", "an array" },
				new String[] { "null", "null" }, new String[] { "5", "the number 5" },
				new String[] { "\"latency=5ms\"", "the text \"latency=5ms\"" }, new String[] { " true ", "true" })) {
			assertThatExceptionOfType(FaultParameterException.class)
				.isThrownBy(() -> FaultRequest.parseText("latency", text[0]))
				.satisfies((ex) -> assertThat(ex.getParameter()).isNull())
				.withMessage("the parameters must be a JSON object such as {\"latency\":\"200ms\"}, was " + text[1]);
		}
		assertThat(FaultRequest.writtenAsJson("latency=5ms,jitter=1ms")).isFalse();
		assertThat(FaultRequest.writtenAsJson("[]")).isTrue();
	}

	@Test
	void hugeTextIsRefusedWithoutBeingEchoed() {
		String megabyte = "a".repeat(1 << 20);
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> FaultSpec.parse("sql-error", Map.of("match", megabyte)))
			.withMessage("match must be at most 1000 characters, was 1048576");
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> FaultSpec.parse("sql-error", Map.of("match", "x", "message", megabyte)))
			.withMessage("message must be at most 1000 characters, was 1048576");
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> FaultSpec.parse("reset", Map.of(megabyte, "1")))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(400))
			.satisfies((ex) -> assertThat(ex.getParameter()).hasSizeLessThan(100));
		assertThatExceptionOfType(UnknownFaultTypeException.class).isThrownBy(() -> FaultSpec.parse(megabyte, Map.of()))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(400));
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> FaultSpec.parse("latency", Map.of("latency", megabyte)))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(200));
	}

	@Test
	void aNulInAnErrorMessageIsRefused() {
		assertRefused("sql-error", "{\"match\":\"x\",\"message\":\"a\\u0000b\"}", "message", "NUL");
	}

	/**
	 * The text form of parameters (the command line's {@code --fault}, the JMX operation)
	 * under generated input: every text either parses into a spec or is refused with a
	 * {@link FaultParameterException}, in time linear in its length, and a refusal never
	 * echoes a long value whole.
	 */
	@Test
	void generatedParameterTextsParseOrAreRefusedByName() {
		String alphabet = "=,{}\":\\ alatencyjitter0123456789msKBdirection_both-.*()?";
		SplittableRandom random = new SplittableRandom(15);
		int refused = 0;
		for (int i = 0; i < 20_000; i++) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt((i % 100 == 0) ? 5_000 : 40);
			for (int j = 0; j < length; j++) {
				text.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			for (FaultType type : List.of(FaultType.LATENCY, FaultType.SQL_ERROR)) {
				try {
					FaultRequest.parseText(type.id(), text.toString());
				}
				catch (FaultParameterException ex) {
					refused++;
					assertThat(ex.getMessage()).as("message for %s", text).hasSizeLessThan(1_500);
				}
			}
		}
		assertThat(refused).as("most random texts are refused").isGreaterThan(30_000);
		assertThat(FaultRequest.parseText("latency", " latency = 5ms , jitter=1ms ").spec())
			.isEqualTo(FaultSpec.parse("latency", Map.of("latency", "5ms", "jitter", "1ms")));
		assertThat(FaultRequest.parseText("sql-error", "{\"match\":\"a{1,3}\"}").spec().toMap())
			.containsEntry("match", "a{1,3}");
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> FaultRequest.parseText("sql-error", "match=a{1,3}"))
			.withMessageContaining("JSON form");
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> FaultRequest.parseText("latency", "latency=5ms,latency=6ms"))
			.withMessageContaining("latency is given twice");
	}

	@Test
	void goodValuesStillParse() {
		FaultSpec spec = FaultSpec.parseJson("latency",
				"{\"latency\":\"1d\",\"jitter\":\"PT0.5S\",\"times\":2,\"after\":\"3\",\"probability\":0.5,\"duration\":\"30d\"}");
		assertThat(spec.parameter("latency")).isEqualTo(Duration.ofDays(1));
		assertThat(spec.parameter("jitter")).isEqualTo(Duration.ofMillis(500));
		assertThat(spec.times()).hasValue(2);
		assertThat(spec.after()).isEqualTo(3);
		assertThat(spec.probability()).isEqualTo(0.5);
		assertThat(FaultSpec.parseJson("limit-data", "{\"bytes\":\"1TB\"}").parameter("bytes")).isEqualTo(1L << 40);
		assertThat(FaultSpec.parse("latency", Map.of("latency", "1ms", "times", new BigDecimal("2.0"))).times())
			.hasValue(2);
		assertThat(FaultSpec.parseJson("sql-error", "{\"match\":\"\\u00e9t\u00e9 \\\"q\\\"\"}").toMap().get("match"))
			.isEqualTo("été \"q\"");
		assertThat(FaultSpec.parseJson("reset", "{\"times\":null}").times()).isEmpty();
		assertThat(List.of(FaultSpec.parseJson("drop-on", "{\"match\":\"x\",\"when\":\"after\"}").toMap().get("when")))
			.containsExactly("after");
	}

}
