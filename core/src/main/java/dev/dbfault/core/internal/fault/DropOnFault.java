package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.DropOn;
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

	DropOnFault(DropOn spec, FaultContext fault) {
		this.match = new StatementMatch(fault, spec.match());
		this.when = spec.when();
		this.mode = spec.mode();
	}

	@Override
	public String effect() {
		return killed(this.mode) + ((this.when == KillTiming.BEFORE) ? " before the statement reached the server"
				: " once the server had the statement, its answer withheld");
	}

	@Override
	public void onStatement(StatementDecision decision) {
		if (this.match.fires(decision)) {
			decision.kill(this.when, this.mode);
		}
	}

	/**
	 * Says how a connection is killed, for the journal.
	 * @param mode the kill mode
	 * @return {@code RST}, {@code FIN} or {@code blackholed}
	 */
	static String killed(KillMode mode) {
		return switch (mode) {
			case RESET -> "RST";
			case CLOSE -> "FIN";
			case BLACKHOLE -> "blackholed";
		};
	}

}
