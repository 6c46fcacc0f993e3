package dev.dbfault.core.internal.text;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats the values faults take: durations and sizes written the way Spring
 * Boot writes them ({@code 250ms}, {@code 2s}, {@code 64KB}), without depending on Spring.
 *
 * <p>Text must say its unit: {@code "10"} is refused rather than read as ten milliseconds
 * or ten bytes, because a reader cannot tell which was meant (only {@code "0"} needs no
 * unit). A number object ({@link Number}) is a Java caller's typed value and is read as
 * milliseconds or bytes. Every amount is checked before it is multiplied by its unit, so
 * no input overflows: too large is an {@link IllegalArgumentException} that says so.
 */
public final class Values {

	private static final Pattern DURATION = Pattern.compile("^([+-]?\\d+)(ns|us|ms|s|m|h|d)?$");

	private static final Pattern SIZE = Pattern.compile("^([+-]?\\d+)(B|KB|MB|GB|TB)?$");

	private static final Pattern WHOLE = Pattern.compile("^[+-]?\\d+$");

	/** Text longer than this cannot be a number or a duration; it is refused unread. */
	private static final int LONGEST_NUMBER = 64;

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
		if (text.length() > LONGEST_NUMBER) {
			throw new IllegalArgumentException("cannot parse " + quoteShort(text) + " as a duration (use e.g. 250ms, 2s, 1m)");
		}
		Matcher matcher = DURATION.matcher(text.toLowerCase(Locale.ROOT));
		if (matcher.matches()) {
			BigDecimal amount = new BigDecimal(matcher.group(1));
			String unit = matcher.group(2);
			if (unit == null) {
				if (amount.signum() != 0) {
					throw new IllegalArgumentException(
							"'" + text + "' has no unit: write one, such as " + text + "ms, " + text + "s or " + text + "m");
				}
				return Duration.ZERO;
			}
			BigDecimal nanos = amount.multiply(BigDecimal.valueOf(switch (unit) {
				case "ns" -> 1L;
				case "us" -> 1_000L;
				case "ms" -> 1_000_000L;
				case "s" -> 1_000_000_000L;
				case "m" -> 60_000_000_000L;
				case "h" -> 3_600_000_000_000L;
				default -> 86_400_000_000_000L;
			}));
			BigDecimal[] seconds = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
			if (seconds[0].abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
				throw new IllegalArgumentException("'" + text + "' is too long a duration");
			}
			return Duration.ofSeconds(seconds[0].longValueExact(), seconds[1].longValueExact());
		}
		try {
			return Duration.parse(text);
		}
		catch (DateTimeParseException | ArithmeticException ex) {
			throw new IllegalArgumentException("cannot parse '" + text + "' as a duration (use e.g. 250ms, 2s, 1m)");
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
		Matcher matcher = (text.length() <= LONGEST_NUMBER) ? SIZE.matcher(text.toUpperCase(Locale.ROOT)) : null;
		if (matcher == null || !matcher.matches()) {
			throw new IllegalArgumentException("cannot parse " + quoteShort(text) + " as a size (use e.g. 512B, 64KB, 1MB)");
		}
		BigDecimal amount = new BigDecimal(matcher.group(1));
		String unit = matcher.group(2);
		if (unit == null) {
			if (amount.signum() != 0) {
				throw new IllegalArgumentException(
						"'" + text + "' has no unit: write one, such as " + text + "B or " + text + "KB");
			}
			return 0;
		}
		int shift = switch (unit) {
			case "KB" -> 10;
			case "MB" -> 20;
			case "GB" -> 30;
			case "TB" -> 40;
			default -> 0;
		};
		BigDecimal bytes = amount.multiply(BigDecimal.valueOf(1L << shift));
		if (bytes.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
			throw new IllegalArgumentException("'" + text + "' is too large a size");
		}
		return bytes.longValueExact();
	}

	/**
	 * Converts a whole number given as a number or as text.
	 * @param raw the value
	 * @return the number
	 * @throws IllegalArgumentException if it is not a whole number, or beyond a {@code long}
	 */
	public static long count(Object raw) {
		if (raw instanceof Number number) {
			return wholeNumber(number);
		}
		String text = raw.toString().trim();
		if (text.length() > LONGEST_NUMBER || !WHOLE.matcher(text).matches()) {
			throw new IllegalArgumentException("cannot parse " + quoteShort(text) + " as a whole number");
		}
		BigDecimal value = new BigDecimal(text);
		if (value.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
			throw new IllegalArgumentException("'" + text + "' is too large a number");
		}
		return value.longValueExact();
	}

	/**
	 * Converts a finite number given as a number or as text.
	 * @param raw the value
	 * @return the number
	 * @throws IllegalArgumentException if it is not a finite number
	 */
	public static double number(Object raw) {
		double value;
		if (raw instanceof Number number) {
			value = number.doubleValue();
		}
		else {
			String text = raw.toString().trim();
			try {
				value = (text.length() <= LONGEST_NUMBER) ? Double.parseDouble(text) : Double.NaN;
			}
			catch (NumberFormatException ex) {
				value = Double.NaN;
			}
			if (Double.isNaN(value) || Double.isInfinite(value) || !text.matches("[+-]?[0-9.eE+-]+")) {
				throw new IllegalArgumentException("cannot parse " + quoteShort(text) + " as a number");
			}
		}
		if (Double.isNaN(value) || Double.isInfinite(value)) {
			throw new IllegalArgumentException("must be a finite number, was " + raw);
		}
		return value;
	}

	private static long wholeNumber(Number number) {
		if (number instanceof BigDecimal decimal) {
			BigDecimal stripped = decimal.stripTrailingZeros();
			if (stripped.scale() > 0) {
				throw new IllegalArgumentException("must be a whole number, was " + shorten(decimal.toPlainString()));
			}
			if (stripped.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
				throw new IllegalArgumentException("is too large a number: " + shorten(decimal.toString()));
			}
			return stripped.longValueExact();
		}
		if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
			return number.longValue();
		}
		double value = number.doubleValue();
		if (value != Math.rint(value) || Double.isInfinite(value)) {
			throw new IllegalArgumentException("must be a whole number, was " + number);
		}
		if (Math.abs(value) >= 0x1p63) {
			throw new IllegalArgumentException("is too large a number: " + number);
		}
		return number.longValue();
	}

	private static String quoteShort(String text) {
		return "'" + shorten(text) + "'";
	}

	/**
	 * Shortens text quoted in a message: an error about a megabyte of input does not repeat it.
	 * @param text the text
	 * @return the text, or its first 40 characters and how long it was
	 */
	public static String shorten(String text) {
		return (text.length() <= 60) ? text : text.substring(0, 40) + "… (" + text.length() + " characters)";
	}

	/**
	 * Formats a duration the way it is written in requests: {@code 250ms}, {@code 2s},
	 * {@code 1500us}.
	 * @param duration the duration
	 * @return its shortest exact form
	 */
	public static String format(Duration duration) {
		if (duration.isZero()) {
			return "0ms";
		}
		long seconds = duration.getSeconds();
		int nanos = duration.getNano();
		if (nanos == 0) {
			if (seconds % 86_400 == 0) {
				return (seconds / 86_400) + "d";
			}
			if (seconds % 3_600 == 0) {
				return (seconds / 3_600) + "h";
			}
			if (seconds % 60 == 0) {
				return (seconds / 60) + "m";
			}
			return seconds + "s";
		}
		long totalNanos;
		try {
			totalNanos = duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.toString();
		}
		if (totalNanos % 1_000_000L == 0) {
			return (totalNanos / 1_000_000L) + "ms";
		}
		if (totalNanos % 1_000L == 0) {
			return (totalNanos / 1_000L) + "us";
		}
		return totalNanos + "ns";
	}

	/**
	 * Formats a size the way it is written in requests: {@code 512B}, {@code 64KB}.
	 * @param bytes the size
	 * @return its shortest exact form
	 */
	public static String formatSize(long bytes) {
		String[] units = { "B", "KB", "MB", "GB", "TB" };
		int unit = 0;
		while (unit < units.length - 1 && bytes != 0 && bytes % 1024 == 0) {
			bytes /= 1024;
			unit++;
		}
		return bytes + units[unit];
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
