package dev.dbfault.core.internal.fault;

import dev.dbfault.core.internal.Link;
import dev.dbfault.core.internal.RegisteredFault;
import dev.dbfault.core.internal.Timer;

/**
 * {@code reset-peer}: each connection the fault meets is reset {@code timeout} later, whether
 * or not data flows (a connection idle in a pool is reset on time too).
 */
final class ResetPeerFault extends FaultBehaviour {

	private final long timeoutNanos;

	ResetPeerFault(RegisteredFault fault) {
		super(fault);
		this.timeoutNanos = fault.spec().durationParameter("timeout").toNanos();
	}

	@Override
	public void attach(Link link) {
		if (!this.fault.tryFire()) {
			return;
		}
		if (this.timeoutNanos == 0) {
			link.reset();
			return;
		}
		this.fault.effectStarted();
		link.states().put(this.fault, link.loop().schedule(System.nanoTime() + this.timeoutNanos, link::reset));
	}

	@Override
	public void detach(Link link) {
		if (link.states().remove(this.fault) instanceof Timer timer) {
			timer.cancel();
			this.fault.effectEnded();
		}
	}

}
