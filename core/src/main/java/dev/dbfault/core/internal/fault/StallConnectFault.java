package dev.dbfault.core.internal.fault;

import dev.dbfault.core.internal.Link;
import dev.dbfault.core.internal.RegisteredFault;

/**
 * {@code stall-connect}: new connections are accepted but not connected upstream, so the
 * client waits for the server's first answer. What the client sends is kept; when the fault
 * is removed the stalled connections connect and carry on, as after a healed network.
 */
final class StallConnectFault extends FaultBehaviour {

	StallConnectFault(RegisteredFault fault) {
		super(fault);
	}

	@Override
	public Admission admit(Link link) {
		if (this.fault.tryFire()) {
			this.fault.effectStarted();
			return Admission.STALL;
		}
		return Admission.CONNECT;
	}

	@Override
	public void detach(Link link) {
		if (link.stalledBy() == this.fault) {
			this.fault.effectEnded();
			link.resume();
		}
	}

}
