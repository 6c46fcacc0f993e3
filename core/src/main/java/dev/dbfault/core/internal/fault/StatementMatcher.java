package dev.dbfault.core.internal.fault;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.regex.Pattern;

import dev.dbfault.core.internal.Values;

import dev.dbfault.core.internal.RegisteredFault;
import dev.dbfault.core.internal.pg.StatementDecision;

/**
 * The common part of the statement faults: a statement is an event when its SQL contains a
 * match of {@code match} (every statement, when a fault takes no {@code match}). The search
 * is bounded ({@link BoundedMatch}): a pattern that would backtrack without end counts as
 * no match and is logged once.
 */
abstract class StatementMatcher extends FaultBehaviour {

	private static final Logger logger = System.getLogger("dev.dbfault");

	private final Pattern match;

	/** Whether a match gave up already, so that the log says so once. Loop only. */
	private boolean gaveUp;

	StatementMatcher(RegisteredFault fault) {
		super(fault);
		this.match = fault.spec().patternParameter("match");
	}

	@Override
	public final boolean handlesStatements() {
		return true;
	}

	@Override
	public final void onStatement(StatementDecision decision) {
		if (matches(decision.sql()) && this.fault.tryFire()) {
			fire(decision);
		}
	}

	private boolean matches(String sql) {
		if (this.match == null) {
			return true;
		}
		BoundedMatch.Result result = BoundedMatch.find(this.match, sql);
		if (result == BoundedMatch.Result.GAVE_UP && !this.gaveUp) {
			this.gaveUp = true;
			logger.log(Level.WARNING, () -> "dbfault [" + this.fault.server().name() + "] " + this.fault.id()
					+ ": match '" + Values.shorten(this.match.pattern()) + "' took too long on a statement of "
					+ sql.length() + " characters and was counted as no match; a pattern that backtracks this much "
					+ "cannot be used on every statement (said once for this fault)");
		}
		return result == BoundedMatch.Result.FOUND;
	}

	/**
	 * Adds this fault's effect to a matching statement's decision.
	 * @param decision the decision
	 */
	abstract void fire(StatementDecision decision);

}
