package dev.dbfault.test;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One statement a {@link DbFaultExplore} test caused in its run with no fault: its place
 * among them, the proxy it went through, the start of its SQL as the journal keeps it, how
 * many statements with the same start came before it on that proxy, and, on the in-process
 * transport, the line of application or test code that issued it.
 *
 * @param number its place among the statements the test caused, from 1
 * @param proxyName the proxy it went through
 * @param sql the start of its SQL, whitespace collapsed, {@code …} ending a cut one
 * @param occurrence how many statements with the same start came before it on the proxy
 * @param callSite the code that issued it, as {@code TransferTests.transfer:42}, or
 * {@code null} when unknown (through the relay)
 * @param time when the proxy met it
 */
record ExploredStatement(int number, String proxyName, String sql, int occurrence, String callSite, Instant time) {

	ExploredStatement(int number, String proxyName, String sql, int occurrence, String callSite) {
		this(number, proxyName, sql, occurrence, callSite, Instant.EPOCH);
	}

	/** Comments and parentheses before a statement's first word. */
	private static final Pattern LEADING = Pattern.compile("^(?:\\s|\\(|/\\*.*?\\*/)*", Pattern.DOTALL);

	private static final Pattern QUOTED = Pattern.compile("'(?:[^']|'')*'");

	private static final Pattern NUMBER = Pattern.compile("\\$\\d+|\\b\\d+(?:\\.\\d+)?\\b");

	private static final Pattern WRITE = Pattern.compile(
			"(?is)^(?:insert|update|delete|merge|truncate|commit|end)\\b|^with\\b.*\\b(?:insert|update|delete|merge)\\b");

	private static final Pattern TRANSACTION_CONTROL = Pattern
		.compile("(?i)^(?:begin|start\\s+transaction|savepoint|release|rollback|abort)\\b");

	private static final Pattern SESSION = Pattern.compile("(?i)^(?:set|reset|discard|deallocate)\\b");

	/** Characters that do not stand for themselves in a pattern. */
	private static final String SPECIAL = "\\.[]{}()*+?^$|";

	/**
	 * Returns whether the statement changes data or commits, so that its answer can be lost
	 * after it took effect.
	 * @return whether it writes
	 */
	boolean writes() {
		return WRITE.matcher(start()).find();
	}

	/**
	 * Returns the statement numbered among those the test caused.
	 * @param number its place, from 1
	 * @return the statement
	 */
	ExploredStatement numbered(int number) {
		return new ExploredStatement(number, this.proxyName, this.sql, this.occurrence, this.callSite, this.time);
	}

	/** The SQL from its first word: leading comments (as an ORM writes) and parentheses set aside. */
	private String start() {
		return LEADING.matcher(this.sql).replaceFirst("");
	}

	/**
	 * Returns why the statement is not explored whatever the faults, or {@code null}.
	 * @return the reason, or {@code null}
	 */
	String notExplored() {
		String start = start();
		if (TRANSACTION_CONTROL.matcher(start).find()) {
			return "transaction control";
		}
		if (SESSION.matcher(start).find()) {
			return "session setting";
		}
		return null;
	}

	/**
	 * Returns what makes two statements the same for exploring: their SQL with literals and
	 * parameters set aside, and where they came from.
	 * @return the key
	 */
	String shape() {
		String sql = NUMBER.matcher(QUOTED.matcher(this.sql.toLowerCase(Locale.ROOT)).replaceAll("?")).replaceAll("?");
		return this.proxyName + '\n' + sql + '\n' + this.callSite;
	}

	/**
	 * Returns a regular expression that finds this statement's SQL and no other's: its
	 * start, anchored, whitespace as any whitespace, to its end unless the journal cut it.
	 * @return the expression
	 */
	String pattern() {
		boolean cut = this.sql.endsWith("…");
		String text = cut ? this.sql.substring(0, this.sql.length() - 1) : this.sql;
		StringBuilder pattern = new StringBuilder("^\\s*");
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == ' ') {
				pattern.append("\\s+");
			}
			else {
				if (SPECIAL.indexOf(c) >= 0) {
					pattern.append('\\');
				}
				pattern.append(c);
			}
		}
		return cut ? pattern.toString() : pattern.append("\\s*$").toString();
	}

	/**
	 * Returns the statement shortened for a run's name.
	 * @return at most 40 characters of its SQL
	 */
	String brief() {
		String text = this.sql.endsWith("…") ? this.sql.substring(0, this.sql.length() - 1) : this.sql;
		return (text.length() <= 40 && !this.sql.endsWith("…")) ? text : text.substring(0, Math.min(text.length(), 39)).strip() + " …";
	}

}
