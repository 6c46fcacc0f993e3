package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.FaultSpec;

/**
 * {@code refuse}: new connections fail, live ones carry on.
 *
 * <p>Plain, it closes the listening socket, so the kernel refuses connections exactly as for
 * a stopped server (ECONNREFUSED), and binds it again when removed. When its events must be
 * counted or sampled ({@code after}, {@code probability}, {@code times}) the port stays open
 * and each refused connection is reset right after it is accepted, before any byte: the
 * client then sees a reset during connect rather than a refusal.
 */
class RefuseFault implements FaultUnit.Admitting, FaultUnit.Lifecycle {

	protected final FaultContext fault;

	private final boolean closesPort;

	RefuseFault(FaultSpec spec, FaultContext fault) {
		this.fault = fault;
		this.closesPort = !spec.isCounted();
	}

	@Override
	public void injected() {
		if (this.closesPort) {
			this.fault.closeListener();
		}
	}

	@Override
	public String effect() {
		return "refused (RST)";
	}

	@Override
	public Admission admit(ProxiedConnection connection) {
		return (!this.closesPort && this.fault.tryFire(connection)) ? Admission.REFUSE : Admission.CONNECT;
	}

	@Override
	public void removed() {
		if (this.closesPort) {
			this.fault.openListener();
		}
	}

}
