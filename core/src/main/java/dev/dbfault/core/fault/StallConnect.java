package dev.dbfault.core.fault;

/**
 * The settings of a {@code stall-connect} fault: new connections are accepted but never connected upstream.
 *
 * @param options the common options
 */
public record StallConnect(FaultOptions options) implements FaultSpec {

	public StallConnect {
		options = Specs.options(FaultType.STALL_CONNECT, options);
	}

	@Override
	public FaultType type() {
		return FaultType.STALL_CONNECT;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
