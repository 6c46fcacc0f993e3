package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.ResetPeer;
import dev.dbfault.core.internal.text.Values;

/**
 * {@code reset-peer}: each connection the fault meets is reset {@code timeout} later, whether
 * or not data flows (a connection idle in a pool is reset on time too).
 */
final class ResetPeerFault implements FaultUnit.Attaching {

	private final FaultContext fault;

	private final long timeoutNanos;

	private final String effect;

	/** The reset to come on a connection the fault fired on. */
	private final StateKey<Cancellable> pendingReset = StateKey.of(Cancellable.class);

	ResetPeerFault(ResetPeer spec, FaultContext fault) {
		this.fault = fault;
		this.timeoutNanos = spec.timeout().toNanos();
		this.effect = (this.timeoutNanos == 0) ? "RST" : "RST in " + Values.format(spec.timeout());
	}

	@Override
	public String effect() {
		return this.effect;
	}

	@Override
	public void attach(ProxiedConnection connection) {
		if (!this.fault.tryFire(connection)) {
			return;
		}
		if (this.timeoutNanos == 0) {
			connection.reset();
			return;
		}
		this.fault.effectStarted();
		connection.states().put(this.pendingReset, connection.schedule(this.timeoutNanos, connection::reset));
	}

	@Override
	public void detach(ProxiedConnection connection) {
		Cancellable reset = connection.states().remove(this.pendingReset);
		if (reset != null) {
			reset.cancel();
			this.fault.effectEnded();
		}
	}

}
