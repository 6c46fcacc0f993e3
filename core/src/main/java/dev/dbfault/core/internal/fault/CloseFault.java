package dev.dbfault.core.internal.fault;

/**
 * {@code close}: a FIN to both sides of every live connection, as a peer closing normally.
 */
final class CloseFault implements FaultUnit.Action {

	private final FaultContext fault;

	CloseFault(FaultContext fault) {
		this.fault = fault;
	}

	@Override
	public String effect() {
		return "closed (FIN both ways)";
	}

	@Override
	public void act(ProxiedConnection connection) {
		if (this.fault.tryFire(connection)) {
			connection.close();
		}
	}

}
