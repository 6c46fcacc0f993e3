package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.KillMode;

/**
 * {@code drop-after-rows}: the connection is killed after {@code rows} rows of a matching
 * statement's result reached the client, counted across the fetches of one portal.
 */
final class DropAfterRowsFault implements FaultUnit.StatementHandling {

	private final StatementMatch match;

	private final long rows;

	private final KillMode mode;

	DropAfterRowsFault(FaultSpec spec, FaultContext fault) {
		this.match = new StatementMatch(fault, spec.patternParameter("match"));
		this.rows = spec.longParameter("rows");
		this.mode = spec.choiceParameter("mode", KillMode.class);
	}

	@Override
	public void onStatement(StatementDecision decision) {
		if (this.match.fires(decision.sql())) {
			decision.limitRows(this.rows, this.mode);
		}
	}

}
