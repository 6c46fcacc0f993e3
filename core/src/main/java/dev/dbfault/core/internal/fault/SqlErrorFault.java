package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.SqlError;

/**
 * {@code sql-error}: a matching statement fails with a real ErrorResponse carrying
 * {@code sqlState} and {@code message}, made by the server so that its transaction state
 * follows.
 */
final class SqlErrorFault implements FaultUnit.StatementHandling {

	private final StatementMatch match;

	private final String sqlState;

	private final String message;

	SqlErrorFault(SqlError spec, FaultContext fault) {
		this.match = new StatementMatch(fault, spec.match());
		this.sqlState = spec.sqlState();
		String text = spec.message();
		this.message = (text != null) ? text : "injected by dbfault (" + fault.id() + ")";
	}

	@Override
	public String effect() {
		return this.sqlState + " instead of the statement";
	}

	@Override
	public void onStatement(StatementDecision decision) {
		if (this.match.fires(decision)) {
			decision.fail(this.sqlState, this.message);
		}
	}

}
