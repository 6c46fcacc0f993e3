package dev.dbfault.core.internal.fault;

/**
 * {@code terminate}: every live connection gets FATAL 57P01 admin_shutdown and is closed, as
 * when the server shuts down or an administrator runs pg_terminate_backend.
 */
final class TerminateFault implements FaultUnit.Action {

	private final FaultContext fault;

	TerminateFault(FaultContext fault) {
		this.fault = fault;
	}

	@Override
	public String effect() {
		return "FATAL 57P01 admin_shutdown, then closed";
	}

	@Override
	public void act(ProxiedConnection connection) {
		if (this.fault.tryFire(connection)) {
			connection.terminate();
		}
	}

}
