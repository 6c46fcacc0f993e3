package dev.dbfault.core.internal.fault;

import java.util.regex.Pattern;

import dev.dbfault.core.internal.RegisteredFault;
import dev.dbfault.core.internal.pg.StatementDecision;

/**
 * The common part of the statement faults: a statement is an event when its SQL contains a
 * match of {@code match} (every statement, when a fault takes no {@code match}).
 */
abstract class StatementMatcher extends FaultBehaviour {

	private final Pattern match;

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
		if ((this.match == null || this.match.matcher(decision.sql()).find()) && this.fault.tryFire()) {
			fire(decision);
		}
	}

	/**
	 * Adds this fault's effect to a matching statement's decision.
	 * @param decision the decision
	 */
	abstract void fire(StatementDecision decision);

}
