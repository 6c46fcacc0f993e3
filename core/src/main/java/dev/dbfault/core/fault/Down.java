package dev.dbfault.core.fault;

/**
 * The settings of a {@code down} fault: new connections are refused and live ones reset: the server died.
 *
 * @param options the common options
 */
public record Down(FaultOptions options) implements FaultSpec {

	public Down {
		options = Specs.options(FaultType.DOWN, options);
	}

	@Override
	public FaultType type() {
		return FaultType.DOWN;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
