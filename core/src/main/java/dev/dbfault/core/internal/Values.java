package dev.dbfault.core.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats the values faults take: durations and sizes written the way Spring
 * Boot writes them ({@code 250ms}, {@code 2s}, {@code 64KB}), without depending on Spring.
 */
public final class Values {

	private static final Pattern DURATION = Pattern.compile("^([+-]?\\d+)(ns|us|ms|s|m|h|d)?$");

	private static final Pattern SIZE = Pattern.compile("^([+-]?\\d+)(B|KB|MB|GB|TB)?$");

	private Values() {
	}

	/**
	 * Converts a {@link Duration}, a number of milliseconds, or text such as {@code 250ms},
	 * {@code 2s}, {@code 1m} or {@code PT0.5S}.
	 * @param raw the value
	 * @return the duration
	 * @throws IllegalArgumentException saying what could not be parsed
	 */
	public static Duration duration(Object raw) {
		if (raw instanceof Duration duration) {
			return duration;
		}
		if (raw instanceof Number number) {
			return Duration.ofMillis(wholeNumber(number));
		}
		String text = raw.toString().trim();
		Matcher matcher = DURATION.matcher(text.toLowerCase(Locale.ROOT));
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			String unit = (matcher.group(2) != null) ? matcher.group(2) : "ms";
			return switch (unit) {
				case "ns" -> Duration.ofNanos(amount);
				case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				case "d" -> Duration.ofDays(amount);
				default -> Duration.ofMillis(amount);
			};
		}
		try {
			return Duration.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("cannot parse '" + raw + "' as a duration (use e.g. 250ms, 2s, 1m)");
		}
	}

	/**
	 * Converts a number of bytes, or text such as {@code 512B}, {@code 64KB} or {@code 1MB}
	 * (multiples of 1024, as Spring Boot's {@code DataSize}).
	 * @param raw the value
	 * @return the number of bytes
	 * @throws IllegalArgumentException saying what could not be parsed
	 */
	public static long size(Object raw) {
		if (raw instanceof Number number) {
			return wholeNumber(number);
		}
		String text = raw.toString().trim();
		Matcher matcher = SIZE.matcher(text.toUpperCase(Locale.ROOT));
		if (!matcher.matches()) {
			throw new IllegalArgumentException("cannot parse '" + raw + "' as a size (use e.g. 512B, 64KB, 1MB)");
		}
		long amount = Long.parseLong(matcher.group(1));
		String unit = (matcher.group(2) != null) ? matcher.group(2) : "B";
		int shift = switch (unit) {
			case "KB" -> 10;
			case "MB" -> 20;
			case "GB" -> 30;
			case "TB" -> 40;
			default -> 0;
		};
		return Math.multiplyExact(amount, 1L << shift);
	}

	/**
	 * Converts a whole number given as a number or as text.
	 * @param raw the value
	 * @return the number
	 * @throws IllegalArgumentException if it is not a whole number
	 */
	public static long count(Object raw) {
		if (raw instanceof Number number) {
			return wholeNumber(number);
		}
		try {
			return Long.parseLong(raw.toString().trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("cannot parse '" + raw + "' as a whole number");
		}
	}

	/**
	 * Converts a number given as a number or as text.
	 * @param raw the value
	 * @return the number
	 * @throws IllegalArgumentException if it is not a number
	 */
	public static double number(Object raw) {
		if (raw instanceof Number number) {
			return number.doubleValue();
		}
		try {
			return Double.parseDouble(raw.toString().trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("cannot parse '" + raw + "' as a number");
		}
	}

	private static long wholeNumber(Number number) {
		double value = number.doubleValue();
		if (value != Math.rint(value) || Double.isInfinite(value)) {
			throw new IllegalArgumentException("must be a whole number, was " + number);
		}
		return number.longValue();
	}

	/**
	 * Formats a duration the way it is written in requests: {@code 250ms}, {@code 2s},
	 * {@code 1500us}.
	 * @param duration the duration
	 * @return its shortest exact form
	 */
	public static String format(Duration duration) {
		long nanos;
		try {
			nanos = duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.toString();
		}
		if (nanos == 0) {
			return "0ms";
		}
		if (nanos % 3_600_000_000_000L == 0) {
			return (nanos / 3_600_000_000_000L) + "h";
		}
		if (nanos % 60_000_000_000L == 0) {
			return (nanos / 60_000_000_000L) + "m";
		}
		if (nanos % 1_000_000_000L == 0) {
			return (nanos / 1_000_000_000L) + "s";
		}
		if (nanos % 1_000_000L == 0) {
			return (nanos / 1_000_000L) + "ms";
		}
		if (nanos % 1_000L == 0) {
			return (nanos / 1_000L) + "us";
		}
		return nanos + "ns";
	}

	/**
	 * Formats a number without a trailing {@code .0}.
	 * @param value the number
	 * @return the text
	 */
	public static String format(double value) {
		return (value == Math.rint(value) && !Double.isInfinite(value)) ? Long.toString((long) value)
				: Double.toString(value);
	}

}
