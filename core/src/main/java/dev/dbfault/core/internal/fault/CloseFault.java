package dev.dbfault.core.internal.fault;

import dev.dbfault.core.internal.Link;
import dev.dbfault.core.internal.RegisteredFault;

/**
 * {@code close}: a FIN to both sides of every live connection, as a peer closing normally.
 */
final class CloseFault extends FaultBehaviour {

	CloseFault(RegisteredFault fault) {
		super(fault);
	}

	@Override
	public void act(Link link) {
		if (this.fault.tryFire()) {
			link.close();
		}
	}

}
