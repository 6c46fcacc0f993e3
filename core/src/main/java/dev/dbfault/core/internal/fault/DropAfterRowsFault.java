package dev.dbfault.core.internal.fault;

import dev.dbfault.core.internal.RegisteredFault;
import dev.dbfault.core.internal.pg.StatementDecision;

/**
 * {@code drop-after-rows}: the connection is killed after {@code rows} rows of a matching
 * statement's result reached the client, counted across the fetches of one portal.
 */
final class DropAfterRowsFault extends StatementMatcher {

	private final long rows;

	private final String mode;

	DropAfterRowsFault(RegisteredFault fault) {
		super(fault);
		this.rows = fault.spec().longParameter("rows");
		this.mode = fault.spec().stringParameter("mode");
	}

	@Override
	void fire(StatementDecision decision) {
		decision.limitRows(this.rows, this.mode);
	}

}
