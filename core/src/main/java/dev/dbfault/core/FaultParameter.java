package dev.dbfault.core;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.dbfault.core.internal.Values;

/**
 * One parameter a fault type accepts: its name (camelCase, as in JSON), what kind of value
 * it takes, and its default.
 *
 * @param name the name
 * @param kind the kind of value
 * @param defaultValue the value used when the parameter is absent, or {@code null} when
 * it is required (or optional with no value)
 * @param required whether the parameter must be given
 * @param choices the allowed values of a {@link Kind#CHOICE} parameter, else empty
 * @param description one line for documentation and error messages
 */
public record FaultParameter(String name, Kind kind, Object defaultValue, boolean required, List<String> choices,
		String description) {

	/**
	 * The kinds of parameter value and how each is written.
	 */
	public enum Kind {

		/** A duration: {@code 250ms}, {@code 2s}, ISO-8601, or a number of milliseconds. */
		DURATION,

		/** A number of bytes: {@code 512}, {@code 64KB}, {@code 1MB} (binary multiples). */
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
		return new FaultParameter(name, kind, null, true, List.of(), description);
	}

	static FaultParameter optional(String name, Kind kind, Object defaultValue, String description) {
		return new FaultParameter(name, kind, defaultValue, false, List.of(), description);
	}

	static FaultParameter choice(String name, String defaultValue, List<String> choices, String description) {
		return new FaultParameter(name, Kind.CHOICE, defaultValue, false, choices, description);
	}

	/**
	 * Converts a raw value (a string, a number, a {@link Duration}, a {@link Pattern}, an
	 * enum) into this parameter's typed value: {@link Duration} for durations, {@link Long}
	 * for sizes and counts, {@link Double} for ratios, {@link Pattern} for regular
	 * expressions, {@link String} otherwise.
	 * @param raw the value given by the user, not {@code null}
	 * @return the typed value
	 * @throws FaultParameterException naming this parameter when the value is unusable
	 */
	Object convert(Object raw) {
		try {
			return switch (this.kind) {
				case DURATION -> nonNegative(Values.duration(raw));
				case SIZE -> nonNegative(Values.size(raw));
				case COUNT -> nonNegative(Values.count(raw));
				case RATIO -> ratio(Values.number(raw));
				case REGEX -> regex(raw);
				case SQLSTATE -> sqlState(raw.toString());
				case TEXT -> raw.toString();
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

	private Duration nonNegative(Duration value) {
		if (value.isNegative()) {
			throw invalid("must not be negative, was " + Values.format(value));
		}
		return value;
	}

	private Long nonNegative(long value) {
		if (value < 0) {
			throw invalid("must not be negative, was " + value);
		}
		return value;
	}

	private Double ratio(double value) {
		if (!(value >= 0.0 && value <= 1.0)) {
			throw invalid("must be between 0 and 1, was " + Values.format(value));
		}
		return value;
	}

	private Pattern regex(Object raw) {
		if (raw instanceof Pattern pattern) {
			return pattern;
		}
		String text = raw.toString();
		if (text.isEmpty()) {
			throw invalid("must not be empty");
		}
		try {
			return Pattern.compile(text);
		}
		catch (PatternSyntaxException ex) {
			throw invalid("is not a valid regular expression: " + ex.getDescription() + " near index " + ex.getIndex()
					+ " of '" + text + "'");
		}
	}

	private String sqlState(String text) {
		String state = text.trim().toUpperCase(Locale.ROOT);
		if (!state.matches("[0-9A-Z]{5}")) {
			throw invalid("must be five characters 0-9 or A-Z, was '" + text + "'");
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
			throw invalid("must be one of " + String.join(", ", this.choices) + ", was '" + text + "'");
		}
		return value;
	}

	private FaultParameterException invalid(String problem) {
		return new FaultParameterException(this.name, this.name + " " + problem);
	}

}
