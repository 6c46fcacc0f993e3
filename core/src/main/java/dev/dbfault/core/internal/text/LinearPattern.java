package dev.dbfault.core.internal.text;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

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
 * <p>Applications send the same statements again and again (a prepared statement's SQL is
 * the same text every time), so the last answers are kept, a few dozen statements' worth: a
 * statement seen lately costs a hash lookup, whatever the pattern.
 *
 * <p>Thread-safe: the pattern is immutable, and the answers kept are immutable entries in an
 * array any thread may overwrite (a lost write costs one more match).
 */
public final class LinearPattern {

	private static final int JAVA_SUPPORTED_FLAGS = java.util.regex.Pattern.CASE_INSENSITIVE
			| java.util.regex.Pattern.DOTALL | java.util.regex.Pattern.MULTILINE | java.util.regex.Pattern.LITERAL
			| java.util.regex.Pattern.UNICODE_CASE;

	/** What each pattern compiled to, while the pattern is in use ({@code Pattern} is equal to itself only). */
	private static final Map<java.util.regex.Pattern, LinearPattern> COMPILED = Collections
		.synchronizedMap(new WeakHashMap<>());

	/**
	 * How large a pattern may be once its counted repetitions are written out: the automaton
	 * takes about that many steps per character, on every statement.
	 */
	static final long MAX_EXPANDED_SIZE = 10_000;

	/** How many answers are kept (a power of 2). */
	private static final int KEPT = 64;

	/** Statements longer than this are not kept: an answer must not pin a large text. */
	private static final int KEPT_LENGTH = 4096;

	/** Characters that stand for themselves in a pattern, outside a class; ASCII only. */
	private static final String PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _,;:=<>!@#%&'\"-/`~";

	private final Pattern pattern;

	/**
	 * What every match starts with at the start of the text, when the pattern says so
	 * ({@code ^insert into}, {@code (?i)^\s*commit}): most statements are told apart by
	 * their first characters, so most need no automaton at all. {@code null} when the
	 * pattern begins otherwise.
	 */
	private final String prefix;

	/** Whether whitespace may come before the prefix ({@code ^\s*}). */
	private final boolean prefixAfterSpace;

	/** Whether the prefix is compared ignoring ASCII case. */
	private final boolean prefixIgnoresCase;

	/** The last answers, by the text's hash. */
	private final Answer[] answers = new Answer[KEPT];

	private LinearPattern(Pattern pattern, String prefix, boolean prefixAfterSpace, boolean prefixIgnoresCase) {
		this.pattern = pattern;
		this.prefix = prefix;
		this.prefixAfterSpace = prefixAfterSpace;
		this.prefixIgnoresCase = prefixIgnoresCase;
	}

	/**
	 * Compiles a Java pattern for linear-time matching.
	 * @param source the pattern as the fault holds it
	 * @return the pattern to match with
	 * @throws IllegalArgumentException saying why it cannot be matched in linear time
	 */
	public static LinearPattern of(java.util.regex.Pattern source) {
		// a target's patterns are met on every connection: each is compiled once
		LinearPattern known = COMPILED.get(source);
		if (known != null) {
			return known;
		}
		LinearPattern compiled = compile(source);
		COMPILED.put(source, compiled);
		return compiled;
	}

	private static LinearPattern compile(java.util.regex.Pattern source) {
		long size = expandedSize(source.pattern());
		if (size > MAX_EXPANDED_SIZE) {
			throw new IllegalArgumentException("its repetitions expand to about " + size
					+ " steps for every character of a statement (at most " + MAX_EXPANDED_SIZE
					+ "): write fewer or smaller counted repetitions, such as {1,1000}, nested");
		}
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
		Pattern compiled;
		try {
			compiled = Pattern.compile(text, flags);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException(reason(ex), ex);
		}
		catch (RuntimeException | StackOverflowError ex) {
			// RE2/J refuses some nestings with other exceptions
			throw new IllegalArgumentException("it cannot be matched in linear time (" + ex + ")", ex);
		}
		if ((source.flags() & (java.util.regex.Pattern.LITERAL | java.util.regex.Pattern.MULTILINE)) != 0) {
			return new LinearPattern(compiled, null, false, false);
		}
		return anchoredPrefix(compiled, text, (flags & Pattern.CASE_INSENSITIVE) != 0);
	}

	/**
	 * Finds what a pattern's matches must start with at the start of the text: after flag
	 * groups, a {@code ^} (not multiline), an optional {@code \s*}, then the characters that
	 * stand for themselves, less a last one a quantifier makes optional.
	 */
	private static LinearPattern anchoredPrefix(Pattern compiled, String text, boolean ignoreCase) {
		if (text.indexOf('|') >= 0) {
			// an alternative may start anywhere
			return new LinearPattern(compiled, null, false, false);
		}
		int at = 0;
		while (text.startsWith("(?", at)) {
			int end = text.indexOf(')', at);
			String flags = (end > 0) ? text.substring(at + 2, end) : "";
			if (flags.isEmpty() || !flags.chars().allMatch((c) -> c == 'i' || c == 's' || c == 'U')) {
				// (?m) changes what ^ means; (?-i), (?:...) and the rest: no prefix
				return new LinearPattern(compiled, null, false, false);
			}
			ignoreCase |= flags.indexOf('i') >= 0;
			at = end + 1;
		}
		if (!text.startsWith("^", at)) {
			return new LinearPattern(compiled, null, false, false);
		}
		at++;
		boolean afterSpace = text.startsWith("\\s*", at);
		if (afterSpace) {
			at += 3;
		}
		int end = at;
		while (end < text.length() && PLAIN.indexOf(text.charAt(end)) >= 0) {
			end++;
		}
		if (end < text.length() && "*+?{".indexOf(text.charAt(end)) >= 0) {
			end--;
		}
		String prefix = (end > at) ? text.substring(at, end) : null;
		if (afterSpace && prefix != null && " \t\n\f\r".indexOf(prefix.charAt(0)) >= 0) {
			// the \\s* before it may or may not take its first character
			prefix = null;
		}
		return new LinearPattern(compiled, prefix, afterSpace, ignoreCase);
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
		if (this.prefix != null && !mayStartWithPrefix(text)) {
			return false;
		}
		if (text instanceof String string && string.length() <= KEPT_LENGTH) {
			int slot = string.hashCode() & (KEPT - 1);
			Answer kept = this.answers[slot];
			if (kept != null && (kept.text == string || kept.text.equals(string))) {
				return kept.found;
			}
			boolean found = this.pattern.matcher(string).find();
			this.answers[slot] = new Answer(string, found);
			return found;
		}
		Matcher matcher = this.pattern.matcher(text);
		return matcher.find();
	}

	/**
	 * Returns {@code false} only when the text cannot start with the prefix; when a case
	 * fold outside ASCII might match (RE2 folds {@code K} to the Kelvin sign), the automaton
	 * decides.
	 */
	private boolean mayStartWithPrefix(CharSequence text) {
		int at = 0;
		if (this.prefixAfterSpace) {
			// RE2's \s: space, tab, newline, form feed, carriage return
			while (at < text.length() && " \t\n\f\r".indexOf(text.charAt(at)) >= 0) {
				at++;
			}
		}
		String prefix = this.prefix;
		if (text.length() - at < prefix.length()) {
			return false;
		}
		for (int i = 0; i < prefix.length(); i++) {
			char wanted = prefix.charAt(i);
			char given = text.charAt(at + i);
			if (given == wanted) {
				continue;
			}
			if (!this.prefixIgnoresCase || !isAsciiLetter(wanted)) {
				return false;
			}
			if (given >= 128) {
				return true;
			}
			if (!isAsciiLetter(given) || (given | 0x20) != (wanted | 0x20)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Estimates a pattern's size with its counted repetitions written out: every character,
	 * escape or class counts one, times the largest count of each {@code {n,m}} around it.
	 * An estimate from above of what RE2 compiles (it shares some of it), computed without
	 * compiling, so that a pattern such as {@code (a{1000}){1000}} is refused before it takes
	 * a second and a million instructions to build.
	 */
	static long expandedSize(String pattern) {
		java.util.ArrayDeque<long[]> groups = new java.util.ArrayDeque<>();
		long total = 0;
		long last = 0;
		for (int i = 0; i < pattern.length(); i++) {
			char c = pattern.charAt(i);
			long atom;
			if (c == '(') {
				groups.push(new long[] { total });
				total = 0;
				last = 0;
				continue;
			}
			else if (c == ')' && !groups.isEmpty()) {
				atom = total;
				total = groups.pop()[0];
			}
			else if (c == '{' && last > 0) {
				int close = pattern.indexOf('}', i);
				long count = largestCount((close > i) ? pattern.substring(i + 1, close) : "");
				if (count >= 0) {
					total += last * (Math.max(count, 1) - 1);
					total = Math.min(total, Long.MAX_VALUE / 2000);
					last = Math.min(last * Math.max(count, 1), Long.MAX_VALUE / 2000);
					i = close;
					continue;
				}
				atom = 1;
			}
			else if (c == '\\') {
				i++;
				atom = 1;
			}
			else if (c == '[') {
				int close = i + 1;
				while (close < pattern.length() && (pattern.charAt(close) != ']' || close == i + 1)) {
					close += (pattern.charAt(close) == '\\') ? 2 : 1;
				}
				i = close;
				atom = 1;
			}
			else {
				atom = 1;
			}
			total += atom;
			last = atom;
		}
		while (!groups.isEmpty()) {
			total += groups.pop()[0];
		}
		return total;
	}

	/** The largest count of a {@code {n}}, {@code {n,}} or {@code {n,m}}, or -1 if it is none. */
	private static long largestCount(String inside) {
		String[] bounds = inside.split(",", -1);
		if (bounds.length > 2 || !bounds[0].matches("\\d{1,9}") || (bounds.length == 2 && !bounds[1].matches("\\d{0,9}"))) {
			return -1;
		}
		return (bounds.length == 2 && !bounds[1].isEmpty()) ? Long.parseLong(bounds[1]) : Long.parseLong(bounds[0]);
	}

	/** Whether a text was found to match. */
	private record Answer(String text, boolean found) {
	}

	private static boolean isAsciiLetter(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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
