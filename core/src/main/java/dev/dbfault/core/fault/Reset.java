package dev.dbfault.core.fault;

/**
 * The settings of a {@code reset} fault: a TCP RST on every live connection, idle ones included.
 *
 * @param options the common options
 */
public record Reset(FaultOptions options) implements FaultSpec {

	public Reset {
		options = Specs.options(FaultType.RESET, options);
	}

	@Override
	public FaultType type() {
		return FaultType.RESET;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
