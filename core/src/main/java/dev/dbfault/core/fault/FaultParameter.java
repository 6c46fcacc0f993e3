package dev.dbfault.core.fault;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.dbfault.core.internal.text.Json;
import dev.dbfault.core.internal.text.LinearPattern;
import dev.dbfault.core.internal.text.Values;

/**
 * One parameter a fault type accepts: its name (camelCase, as in JSON), what kind of value
 * it takes, its default and the largest value it accepts.
 *
 * <p>Values arrive two ways. A Java caller passes typed values ({@link Duration},
 * {@code long}, {@link Pattern}, an enum) through {@link FaultSpec.Builder}. Everything else
 * (JSON, properties, the command line, JMX) arrives untyped and goes through
 * {@link FaultSpec#parse(String, Map)}, which is strict: text where text is meant, a unit on
 * every duration and size, numbers only for counts and ratios. Either way every value is
 * range-checked before it is used, so no input can overflow or make a fault unbounded.
 *
 * @param name the name
 * @param kind the kind of value
 * @param defaultValue the value used when the parameter is absent, or {@code null} when
 * it is required (or optional with no value)
 * @param required whether the parameter must be given
 * @param choices the allowed values of a {@link Kind#CHOICE} parameter, else empty
 * @param description one line for documentation and error messages
 * @param maximum the largest value accepted: a {@link Duration} for durations, a
 * {@link Long} for sizes and counts, a length in characters for regular expressions and
 * text, {@code 1.0} for ratios, {@code null} for SQLSTATEs and choices
 * @param example a value that shows the fault's effect at once, as written in requests
 * ({@code 300ms}), for forms and documentation; {@code null} when the default serves
 * @param minimum the least value of a count (0 for most)
 */
public record FaultParameter(String name, Kind kind, Object defaultValue, boolean required, List<String> choices,
		String description, Object maximum, String example, long minimum) {

	/** The longest a duration parameter may be. */
	public static final Duration MAX_DURATION = Duration.ofDays(1);

	/** The largest size parameter: 1 TB. */
	public static final long MAX_SIZE = 1L << 40;

	/** The largest count. */
	public static final long MAX_COUNT = 1_000_000_000L;

	/**
	 * The longest regular expression or text: a statement match is compiled on the request
	 * thread and run against every statement, so its cost is bounded by its length.
	 */
	public static final int MAX_TEXT = 1000;

	/**
	 * The kinds of parameter value and how each is written.
	 */
	public enum Kind {

		/** A duration with its unit: {@code 250ms}, {@code 2s}, or ISO-8601 ({@code PT2S}). */
		DURATION,

		/** A number of bytes with its unit: {@code 512B}, {@code 64KB}, {@code 1MB} (binary multiples). */
		SIZE,

		/** A whole number, zero or more. */
		COUNT,

		/** A number between 0 and 1. */
		RATIO,

		/** A Java regular expression. */
		REGEX,

		/** A five-character SQLSTATE of an error class. */
		SQLSTATE,

		/** Free text. */
		TEXT,

		/** One of a fixed set of lower-case words. */
		CHOICE

	}

	public FaultParameter {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(kind, "kind");
		choices = List.copyOf(choices);
	}

	static FaultParameter required(String name, Kind kind, String description) {
		return new FaultParameter(name, kind, null, true, List.of(), description, defaultMaximum(kind), null, 0);
	}

	static FaultParameter optional(String name, Kind kind, Object defaultValue, String description) {
		return new FaultParameter(name, kind, defaultValue, false, List.of(), description, defaultMaximum(kind), null, 0);
	}

	static FaultParameter choice(String name, String defaultValue, List<String> choices, String description) {
		return new FaultParameter(name, Kind.CHOICE, defaultValue, false, choices, description, null, null, 0);
	}

	FaultParameter withMaximum(Object maximum) {
		return new FaultParameter(this.name, this.kind, this.defaultValue, this.required, this.choices,
				this.description, maximum, this.example, this.minimum);
	}

	FaultParameter withExample(String example) {
		return new FaultParameter(this.name, this.kind, this.defaultValue, this.required, this.choices,
				this.description, this.maximum, example, this.minimum);
	}

	/**
	 * Returns this count parameter with a least value above 0.
	 * @param minimum the least value
	 * @return the parameter
	 */
	FaultParameter withMinimum(long minimum) {
		return new FaultParameter(this.name, this.kind, this.defaultValue, this.required, this.choices,
				this.description, this.maximum, this.example, minimum);
	}

	private static Object defaultMaximum(Kind kind) {
		return switch (kind) {
			case DURATION -> MAX_DURATION;
			case SIZE -> MAX_SIZE;
			case COUNT -> MAX_COUNT;
			case RATIO -> 1.0;
			case REGEX, TEXT -> MAX_TEXT;
			case SQLSTATE, CHOICE -> null;
		};
	}

	/**
	 * Returns the default as it is written in requests: a duration as {@code 250ms}, a size
	 * with its unit, a pattern as its source, numbers and text as they are.
	 * @return the default, or {@code null}
	 */
	public Object defaultAsWritten() {
		if (this.defaultValue instanceof Duration duration) {
			return Values.format(duration);
		}
		if (this.kind == Kind.SIZE && this.defaultValue instanceof Long bytes) {
			return Values.formatSize(bytes);
		}
		if (this.defaultValue instanceof Pattern pattern) {
			return pattern.pattern();
		}
		return this.defaultValue;
	}

	/**
	 * Describes the values this parameter accepts, for documentation and messages, such as
	 * {@code 0ms to 1d} or {@code at most 1000 characters}.
	 * @return the range, or the choices
	 */
	public String range() {
		return switch (this.kind) {
			case DURATION -> "0ms to " + Values.format((Duration) this.maximum);
			case SIZE -> "0B to " + Values.formatSize((Long) this.maximum);
			case COUNT -> this.minimum + " to " + this.maximum;
			case RATIO -> "0 to 1";
			case REGEX, TEXT -> "at most " + this.maximum + " characters";
			case SQLSTATE -> "five characters 0-9 or A-Z, not of class 00, 01 or 02";
			case CHOICE -> String.join(", ", this.choices);
		};
	}

	/**
	 * Converts a typed value from a Java caller (a {@link Duration}, a number of
	 * milliseconds or bytes, a {@link Pattern}, an enum, or text) into this parameter's
	 * typed value: {@link Duration} for durations, {@link Long} for sizes and counts,
	 * {@link Double} for ratios, {@link Pattern} for regular expressions, {@link String}
	 * otherwise.
	 * @param raw the value given by the user, not {@code null}
	 * @return the typed value
	 * @throws FaultParameterException naming this parameter when the value is unusable
	 */
	Object convert(Object raw) {
		return convert(raw, false);
	}

	/**
	 * Converts a value as {@link #convert(Object)} does; when {@code untyped}, the value came
	 * from JSON or text and must be of the JSON type the kind is written in.
	 * @param raw the value, not {@code null}
	 * @param untyped whether the value came from JSON, properties or the command line
	 * @return the typed value
	 * @throws FaultParameterException naming this parameter when the value is unusable
	 */
	Object convert(Object raw, boolean untyped) {
		if (untyped) {
			checkJsonType(raw);
		}
		try {
			return switch (this.kind) {
				case DURATION -> inRange(Values.duration(raw));
				case SIZE -> inRange(Values.size(raw));
				case COUNT -> inRange(Values.count(raw));
				case RATIO -> ratio(Values.number(raw));
				case REGEX -> regex(raw);
				case SQLSTATE -> sqlState(raw.toString());
				case TEXT -> text(raw.toString());
				case CHOICE -> choice(raw);
			};
		}
		catch (FaultParameterException ex) {
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			throw new FaultParameterException(this.name, this.name + ": " + ex.getMessage());
		}
	}

	private void checkJsonType(Object raw) {
		boolean numeric = this.kind == Kind.COUNT || this.kind == Kind.RATIO;
		if (raw instanceof CharSequence || (numeric && raw instanceof Number)
				|| (this.kind == Kind.CHOICE && raw instanceof Boolean && this.choices.contains("true"))) {
			return;
		}
		String was = Json.describe(raw);
		throw invalid(switch (this.kind) {
			case DURATION -> "must be text with a unit, such as \"250ms\" or \"2s\"; was " + was;
			case SIZE -> "must be text with a unit, such as \"64KB\" or \"512B\"; was " + was;
			case COUNT -> "must be a whole number, such as 2; was " + was;
			case RATIO -> "must be a number from 0 to 1, such as 0.5; was " + was;
			case SQLSTATE -> "must be text, such as \"40001\"; was " + was;
			case CHOICE -> "must be text, one of " + String.join(", ", this.choices) + "; was " + was;
			case REGEX, TEXT -> "must be text (a JSON string); was " + was;
		});
	}

	private Duration inRange(Duration value) {
		if (value.isNegative()) {
			throw invalid("must not be negative, was " + Values.format(value));
		}
		if (value.compareTo((Duration) this.maximum) > 0) {
			throw invalid("must be " + range() + ", was " + Values.format(value));
		}
		return value;
	}

	private Long inRange(long value) {
		// a count's message is its range, whichever end is passed: "times must be 1 to 1000000000, was 0"
		if (value < 0 && this.kind != Kind.COUNT) {
			throw invalid("must not be negative, was " + value);
		}
		if (value < this.minimum) {
			throw invalid("must be " + range() + ", was " + value);
		}
		if (value > (Long) this.maximum) {
			throw invalid("must be " + range() + ", was " + ((this.kind == Kind.SIZE) ? Values.formatSize(value) : value));
		}
		return value;
	}

	private String text(String text) {
		if (text.length() > (Integer) this.maximum) {
			throw invalid("must be " + range() + ", was " + text.length());
		}
		if (text.indexOf('\0') >= 0) {
			throw invalid("must not contain the NUL character (\\u0000)");
		}
		return text;
	}

	private Double ratio(double value) {
		if (!(value >= 0.0 && value <= 1.0)) {
			throw invalid("must be between 0 and 1, was " + Values.format(value));
		}
		return value;
	}

	private Pattern regex(Object raw) {
		if (raw instanceof Pattern pattern) {
			return linear(pattern);
		}
		String text = raw.toString();
		if (text.isEmpty()) {
			throw invalid("must not be empty");
		}
		if (text.length() > (Integer) this.maximum) {
			throw invalid("must be " + range() + ", was " + text.length());
		}
		Pattern pattern;
		try {
			pattern = Pattern.compile(text);
		}
		catch (PatternSyntaxException ex) {
			throw invalid("is not a valid regular expression: " + ex.getDescription() + " near index " + ex.getIndex()
					+ " of '" + Values.shorten(text) + "'");
		}
		return linear(pattern);
	}

	/**
	 * Refuses a pattern that cannot be matched in time linear in the text: every statement
	 * is matched against it, on the thread that carries the connection.
	 */
	private Pattern linear(Pattern pattern) {
		String reason = LinearPattern.whyNot(pattern).orElse(null);
		if (reason != null) {
			throw invalid("'" + Values.shorten(pattern.pattern()) + "' cannot be matched on every statement: " + reason);
		}
		return pattern;
	}

	private String sqlState(String text) {
		String state = text.trim().toUpperCase(Locale.ROOT);
		if (!state.matches("[0-9A-Z]{5}")) {
			throw invalid("must be five characters 0-9 or A-Z, was '" + Values.shorten(text) + "'");
		}
		if (state.startsWith("00") || state.startsWith("01") || state.startsWith("02")) {
			throw invalid("must be an error SQLSTATE; class " + state.substring(0, 2)
					+ " is success, warning or no-data, was '" + text + "'");
		}
		return state;
	}

	private String choice(Object raw) {
		String text = (raw instanceof Enum<?> e) ? e.name() : raw.toString();
		String value = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
		if (!this.choices.contains(value)) {
			throw invalid("must be one of " + String.join(", ", this.choices) + ", was '" + Values.shorten(text) + "'");
		}
		return value;
	}

	private FaultParameterException invalid(String problem) {
		return new FaultParameterException(this.name, this.name + " " + problem);
	}

}
