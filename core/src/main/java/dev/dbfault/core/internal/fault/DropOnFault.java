package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.KillMode;
import dev.dbfault.core.fault.KillTiming;

/**
 * {@code drop-on}: the connection is killed when a matching statement passes, {@code before}
 * it reaches the server or {@code after} the server answered it but before the client hears
 * the answer (on COMMIT: the ambiguous commit).
 */
final class DropOnFault implements FaultUnit.StatementHandling {

	private final StatementMatch match;

	private final KillTiming when;

	private final KillMode mode;

	DropOnFault(FaultSpec spec, FaultContext fault) {
		this.match = new StatementMatch(fault, spec.patternParameter("match"));
		this.when = spec.choiceParameter("when", KillTiming.class);
		this.mode = spec.choiceParameter("mode", KillMode.class);
	}

	@Override
	public void onStatement(StatementDecision decision) {
		if (this.match.fires(decision.sql())) {
			decision.kill(this.when, this.mode);
		}
	}

}
