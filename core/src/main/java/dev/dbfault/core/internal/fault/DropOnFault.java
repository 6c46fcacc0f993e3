package dev.dbfault.core.internal.fault;

import dev.dbfault.core.internal.RegisteredFault;
import dev.dbfault.core.internal.pg.StatementDecision;

/**
 * {@code drop-on}: the connection is killed when a matching statement passes, {@code before}
 * it reaches the server or {@code after} the server answered it but before the client hears
 * the answer (on COMMIT: the ambiguous commit).
 */
final class DropOnFault extends StatementMatcher {

	private final String when;

	private final String mode;

	DropOnFault(RegisteredFault fault) {
		super(fault);
		this.when = fault.spec().stringParameter("when");
		this.mode = fault.spec().stringParameter("mode");
	}

	@Override
	void fire(StatementDecision decision) {
		decision.kill(this.when, this.mode);
	}

}
