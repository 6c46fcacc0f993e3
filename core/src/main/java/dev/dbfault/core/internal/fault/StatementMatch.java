package dev.dbfault.core.internal.fault;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.regex.Pattern;

import dev.dbfault.core.internal.text.Values;

/**
 * Which statements a statement fault acts on: those whose SQL contains a match of its
 * {@code match} (every statement, when it takes none). The search is bounded
 * ({@link BoundedMatch}): a pattern that would backtrack without end counts as no match and
 * is logged once.
 */
final class StatementMatch {

	private static final Logger logger = System.getLogger("dev.dbfault");

	private final FaultContext fault;

	private final Pattern match;

	/**
	 * Whether a match gave up already, so that the log says so once (connections of both
	 * transports look at it).
	 */
	private volatile boolean gaveUp;

	StatementMatch(FaultContext fault, Pattern match) {
		this.fault = fault;
		this.match = match;
	}

	/**
	 * Returns whether the fault acts on a statement: its SQL matches and the event fires.
	 * @param statement the statement
	 * @return whether the fault fires on it
	 */
	boolean fires(StatementDecision statement) {
		return matches(statement.sql()) && this.fault.tryFire(statement);
	}

	private boolean matches(String sql) {
		if (this.match == null) {
			return true;
		}
		BoundedMatch.Result result = BoundedMatch.find(this.match, sql);
		if (result == BoundedMatch.Result.GAVE_UP && !this.gaveUp) {
			this.gaveUp = true;
			logger.log(Level.WARNING, () -> "dbfault [" + this.fault.proxyName() + "] " + this.fault.id()
					+ ": match '" + Values.shorten(this.match.pattern()) + "' took too long on a statement of "
					+ sql.length() + " characters and was counted as no match; a pattern that backtracks this much "
					+ "cannot be used on every statement (said once for this fault)");
		}
		return result == BoundedMatch.Result.FOUND;
	}

}
