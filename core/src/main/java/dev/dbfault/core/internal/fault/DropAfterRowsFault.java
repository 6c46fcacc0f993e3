package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.DropAfterRows;
import dev.dbfault.core.fault.KillMode;

/**
 * {@code drop-after-rows}: the connection is killed after {@code rows} rows of a matching
 * statement's result reached the client, counted across the fetches of one portal.
 */
final class DropAfterRowsFault implements FaultUnit.StatementHandling {

	private final StatementMatch match;

	private final long rows;

	private final KillMode mode;

	DropAfterRowsFault(DropAfterRows spec, FaultContext fault) {
		this.match = new StatementMatch(fault, spec.match());
		this.rows = spec.rows();
		this.mode = spec.mode();
	}

	@Override
	public String effect() {
		return DropOnFault.killed(this.mode) + " after " + this.rows + " rows";
	}

	@Override
	public void onStatement(StatementDecision decision) {
		if (this.match.fires(decision)) {
			decision.limitRows(this.rows, this.mode);
		}
	}

}
