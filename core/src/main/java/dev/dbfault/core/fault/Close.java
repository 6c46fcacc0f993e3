package dev.dbfault.core.fault;

/**
 * The settings of a {@code close} fault: a FIN on every live connection.
 *
 * @param options the common options
 */
public record Close(FaultOptions options) implements FaultSpec {

	public Close {
		options = Specs.options(FaultType.CLOSE, options);
	}

	@Override
	public FaultType type() {
		return FaultType.CLOSE;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
