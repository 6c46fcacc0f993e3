package dev.dbfault.core.internal.fault;

import dev.dbfault.core.internal.Link;
import dev.dbfault.core.internal.RegisteredFault;

/**
 * {@code down}: the server died. Live connections are reset when the fault is injected and
 * new ones are refused as by {@link RefuseFault} until it is removed.
 */
final class DownFault extends RefuseFault {

	DownFault(RegisteredFault fault) {
		super(fault);
	}

	@Override
	public void injected() {
		super.injected();
		for (Link link : this.fault.server().liveLinks()) {
			link.reset();
		}
	}

}
