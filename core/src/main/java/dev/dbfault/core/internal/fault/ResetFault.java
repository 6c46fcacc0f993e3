package dev.dbfault.core.internal.fault;

/**
 * {@code reset}: a TCP RST to both sides of every live connection, idle ones too
 * (SO_LINGER 0, then close).
 */
final class ResetFault implements FaultUnit.Action {

	private final FaultContext fault;

	ResetFault(FaultContext fault) {
		this.fault = fault;
	}

	@Override
	public String effect() {
		return "RST both ways";
	}

	@Override
	public void act(ProxiedConnection connection) {
		if (this.fault.tryFire(connection)) {
			connection.reset();
		}
	}

}
