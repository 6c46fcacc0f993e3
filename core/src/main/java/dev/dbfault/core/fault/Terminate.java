package dev.dbfault.core.fault;

/**
 * The settings of a {@code terminate} fault: fATAL 57P01 admin_shutdown on every live connection, then close.
 *
 * @param options the common options
 */
public record Terminate(FaultOptions options) implements FaultSpec {

	public Terminate {
		options = Specs.options(FaultType.TERMINATE, options);
	}

	@Override
	public FaultType type() {
		return FaultType.TERMINATE;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
