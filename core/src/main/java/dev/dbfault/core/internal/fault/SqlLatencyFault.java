package dev.dbfault.core.internal.fault;

import dev.dbfault.core.internal.RegisteredFault;
import dev.dbfault.core.internal.pg.StatementDecision;

/**
 * {@code sql-latency}: a matching statement reaches the server {@code latency} late (and
 * what the client sends after it waits behind it). Cancelling it meanwhile ends it with
 * 57014, as on a slow server.
 */
final class SqlLatencyFault extends StatementMatcher {

	private final long latencyNanos;

	SqlLatencyFault(RegisteredFault fault) {
		super(fault);
		this.latencyNanos = fault.spec().durationParameter("latency").toNanos();
	}

	@Override
	void fire(StatementDecision decision) {
		decision.delay(this.latencyNanos);
	}

}
