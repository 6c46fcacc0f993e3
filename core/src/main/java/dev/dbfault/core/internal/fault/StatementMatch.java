package dev.dbfault.core.internal.fault;

import java.util.regex.Pattern;

import dev.dbfault.core.internal.text.LinearPattern;

/**
 * Which statements a statement fault acts on: those whose SQL contains a match of its
 * {@code match} (every statement, when it takes none), found in time linear in the SQL
 * ({@link LinearPattern}), whatever the pattern.
 */
final class StatementMatch {

	private final FaultContext fault;

	private final LinearPattern match;

	StatementMatch(FaultContext fault, Pattern match) {
		this.fault = fault;
		this.match = (match != null) ? LinearPattern.of(match) : null;
	}

	/**
	 * Returns whether the fault acts on a statement: its SQL matches and the event fires.
	 * @param statement the statement
	 * @return whether the fault fires on it
	 */
	boolean fires(StatementDecision statement) {
		return (this.match == null || this.match.find(statement.sql())) && this.fault.tryFire(statement);
	}

}
