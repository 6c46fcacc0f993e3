package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.SqlLatency;
import dev.dbfault.core.internal.text.Values;

/**
 * {@code sql-latency}: a matching statement reaches the server {@code latency} late (and
 * what the client sends after it waits behind it). Cancelling it meanwhile ends it with
 * 57014, as on a slow server.
 */
final class SqlLatencyFault implements FaultUnit.StatementHandling {

	private final StatementMatch match;

	private final long latencyNanos;

	private final String effect;

	SqlLatencyFault(SqlLatency spec, FaultContext fault) {
		this.match = new StatementMatch(fault, spec.match());
		this.latencyNanos = spec.latency().toNanos();
		this.effect = "held the statement " + Values.format(spec.latency());
	}

	@Override
	public String effect() {
		return this.effect;
	}

	@Override
	public void onStatement(StatementDecision decision) {
		if (this.match.fires(decision)) {
			decision.delay(this.latencyNanos);
		}
	}

}
