package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.FaultSpec;

/**
 * {@code sql-error}: a matching statement fails with a real ErrorResponse carrying
 * {@code sqlState} and {@code message}, made by the server so that its transaction state
 * follows.
 */
final class SqlErrorFault implements FaultUnit.StatementHandling {

	private final StatementMatch match;

	private final String sqlState;

	private final String message;

	SqlErrorFault(FaultSpec spec, FaultContext fault) {
		this.match = new StatementMatch(fault, spec.patternParameter("match"));
		this.sqlState = spec.stringParameter("sqlState");
		String text = spec.stringParameter("message");
		this.message = (text != null) ? text : "injected by dbfault (" + fault.id() + ")";
	}

	@Override
	public void onStatement(StatementDecision decision) {
		if (this.match.fires(decision.sql())) {
			decision.fail(this.sqlState, this.message);
		}
	}

}
