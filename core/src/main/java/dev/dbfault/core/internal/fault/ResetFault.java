package dev.dbfault.core.internal.fault;

import dev.dbfault.core.internal.Link;
import dev.dbfault.core.internal.RegisteredFault;

/**
 * {@code reset}: a TCP RST to both sides of every live connection, idle ones too
 * (SO_LINGER 0, then close).
 */
final class ResetFault extends FaultBehaviour {

	ResetFault(RegisteredFault fault) {
		super(fault);
	}

	@Override
	public void act(Link link) {
		if (this.fault.tryFire()) {
			link.reset();
		}
	}

}
