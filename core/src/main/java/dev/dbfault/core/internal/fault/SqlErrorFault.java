package dev.dbfault.core.internal.fault;

import dev.dbfault.core.internal.RegisteredFault;
import dev.dbfault.core.internal.pg.StatementDecision;

/**
 * {@code sql-error}: a matching statement fails with a real ErrorResponse carrying
 * {@code sqlState} and {@code message}, made by the server so that its transaction state
 * follows.
 */
final class SqlErrorFault extends StatementMatcher {

	private final String sqlState;

	private final String message;

	SqlErrorFault(RegisteredFault fault) {
		super(fault);
		this.sqlState = fault.spec().stringParameter("sqlState");
		String text = fault.spec().stringParameter("message");
		this.message = (text != null) ? text : "injected by dbfault (" + fault.id() + ")";
	}

	@Override
	void fire(StatementDecision decision) {
		decision.fail(this.sqlState, this.message);
	}

}
