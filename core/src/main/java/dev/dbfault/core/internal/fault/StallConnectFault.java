package dev.dbfault.core.internal.fault;

/**
 * {@code stall-connect}: new connections are accepted but not connected upstream, so the
 * client waits for the server's first answer. What the client sends is kept; when the fault
 * is removed the stalled connections connect and carry on, as after a healed network.
 */
final class StallConnectFault implements FaultUnit.Admitting, FaultUnit.Attaching {

	private final FaultContext fault;

	StallConnectFault(FaultContext fault) {
		this.fault = fault;
	}

	@Override
	public String effect() {
		return "accepted, never connected upstream";
	}

	@Override
	public Admission admit(ProxiedConnection connection) {
		if (this.fault.tryFire(connection)) {
			this.fault.effectStarted();
			return Admission.STALL;
		}
		return Admission.CONNECT;
	}

	@Override
	public void attach(ProxiedConnection connection) {
	}

	@Override
	public void detach(ProxiedConnection connection) {
		if (connection.resumeIfStalledBy(this.fault)) {
			this.fault.effectEnded();
		}
	}

}
