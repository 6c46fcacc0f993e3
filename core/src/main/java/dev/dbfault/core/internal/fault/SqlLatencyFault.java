package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.SqlLatency;

/**
 * {@code sql-latency}: a matching statement reaches the server {@code latency} late (and
 * what the client sends after it waits behind it). Cancelling it meanwhile ends it with
 * 57014, as on a slow server.
 */
final class SqlLatencyFault implements FaultUnit.StatementHandling {

	private final StatementMatch match;

	private final long latencyNanos;

	SqlLatencyFault(SqlLatency spec, FaultContext fault) {
		this.match = new StatementMatch(fault, spec.match());
		this.latencyNanos = spec.latency().toNanos();
	}

	@Override
	public void onStatement(StatementDecision decision) {
		if (this.match.fires(decision.sql())) {
			decision.delay(this.latencyNanos);
		}
	}

}
