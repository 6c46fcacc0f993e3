package dev.dbfault.core.internal.text;

import java.util.Optional;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A user's regular expression (a statement fault's {@code match}, a target's
 * {@code applicationName}) as the engine runs it: in time linear in the text, with RE2's
 * automata (RE2/J, shaded into dbfault-core). Statements are matched on the relay's thread or
 * on the driver's, for every statement of every connection, so a pattern must never be able
 * to backtrack: {@code (.*.*)*X} costs what {@code X} costs.
 *
 * <p>RE2 reads the syntax of {@link java.util.regex.Pattern} except what needs backtracking:
 * lookahead and lookbehind, backreferences, possessive quantifiers, and a few rarer
 * constructs. Such a pattern is refused when the fault is made ({@link #whyNot}), with the
 * reason, never accepted and then matched slowly. The flags of a
 * {@link java.util.regex.Pattern} built in Java are kept: case-insensitive, dot-all and
 * multiline; a literal pattern is quoted; comments mode is refused.
 *
 * <p>Immutable and thread-safe; {@link #find} makes one small matcher per call.
 */
public final class LinearPattern {

	private static final int JAVA_SUPPORTED_FLAGS = java.util.regex.Pattern.CASE_INSENSITIVE
			| java.util.regex.Pattern.DOTALL | java.util.regex.Pattern.MULTILINE | java.util.regex.Pattern.LITERAL
			| java.util.regex.Pattern.UNICODE_CASE;

	private final Pattern pattern;

	private LinearPattern(Pattern pattern) {
		this.pattern = pattern;
	}

	/**
	 * Compiles a Java pattern for linear-time matching.
	 * @param source the pattern as the fault holds it
	 * @return the pattern to match with
	 * @throws IllegalArgumentException saying why it cannot be matched in linear time
	 */
	public static LinearPattern of(java.util.regex.Pattern source) {
		int unsupported = source.flags() & ~JAVA_SUPPORTED_FLAGS;
		if (unsupported != 0) {
			throw new IllegalArgumentException("it uses flags that need backtracking or that RE2 does not read ("
					+ flagNames(unsupported) + "); use (?i), (?s) or (?m) in the pattern instead");
		}
		int flags = 0;
		if ((source.flags() & java.util.regex.Pattern.CASE_INSENSITIVE) != 0) {
			flags |= Pattern.CASE_INSENSITIVE;
		}
		if ((source.flags() & java.util.regex.Pattern.DOTALL) != 0) {
			flags |= Pattern.DOTALL;
		}
		if ((source.flags() & java.util.regex.Pattern.MULTILINE) != 0) {
			flags |= Pattern.MULTILINE;
		}
		String text = source.pattern();
		if ((source.flags() & java.util.regex.Pattern.LITERAL) != 0) {
			text = Pattern.quote(text);
		}
		try {
			return new LinearPattern(Pattern.compile(text, flags));
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException(reason(ex), ex);
		}
		catch (RuntimeException | StackOverflowError ex) {
			// RE2/J refuses some nestings with other exceptions
			throw new IllegalArgumentException("it cannot be matched in linear time (" + ex + ")", ex);
		}
	}

	/**
	 * Says why a pattern cannot be matched in linear time.
	 * @param source the pattern
	 * @return the reason, or empty if it can
	 */
	public static Optional<String> whyNot(java.util.regex.Pattern source) {
		try {
			of(source);
			return Optional.empty();
		}
		catch (IllegalArgumentException ex) {
			return Optional.of(ex.getMessage());
		}
	}

	/**
	 * Returns whether the pattern occurs anywhere in the text.
	 * @param text the text
	 * @return whether it was found
	 */
	public boolean find(CharSequence text) {
		Matcher matcher = this.pattern.matcher(text);
		return matcher.find();
	}

	@Override
	public String toString() {
		return this.pattern.pattern();
	}

	private static String reason(PatternSyntaxException ex) {
		String description = ex.getDescription();
		String construct = ex.getPattern();
		if (description.contains("invalid or unsupported Perl syntax") || description.contains("invalid escape")
				|| description.contains("invalid named capture") || description.contains("invalid repeat")) {
			return "it uses what needs backtracking or what RE2 does not read (" + description + ": '"
					+ Values.shorten(construct) + "'): lookaround, backreferences and possessive quantifiers "
					+ "cannot be matched in linear time";
		}
		return "RE2 cannot read it (" + description + ": '" + Values.shorten(construct) + "')";
	}

	private static String flagNames(int flags) {
		StringBuilder names = new StringBuilder();
		append(names, flags, java.util.regex.Pattern.COMMENTS, "COMMENTS");
		append(names, flags, java.util.regex.Pattern.CANON_EQ, "CANON_EQ");
		append(names, flags, java.util.regex.Pattern.UNIX_LINES, "UNIX_LINES");
		append(names, flags, java.util.regex.Pattern.UNICODE_CHARACTER_CLASS, "UNICODE_CHARACTER_CLASS");
		return names.isEmpty() ? "0x" + Integer.toHexString(flags) : names.toString();
	}

	private static void append(StringBuilder names, int flags, int flag, String name) {
		if ((flags & flag) != 0) {
			names.append(names.isEmpty() ? "" : ", ").append(name);
		}
	}

}
