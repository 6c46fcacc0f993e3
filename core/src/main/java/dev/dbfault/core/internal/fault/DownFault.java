package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.FaultSpec;

/**
 * {@code down}: the server died. Live connections are reset when the fault is injected and
 * new ones are refused as by {@link RefuseFault} until it is removed.
 */
final class DownFault extends RefuseFault {

	DownFault(FaultSpec spec, FaultContext fault) {
		super(spec, fault);
	}

	@Override
	public void injected() {
		super.injected();
		for (ProxiedConnection connection : this.fault.liveConnections()) {
			connection.reset();
		}
	}

}
