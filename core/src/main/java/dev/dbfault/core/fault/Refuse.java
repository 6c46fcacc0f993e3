package dev.dbfault.core.fault;

/**
 * The settings of a {@code refuse} fault: new connections are refused; live ones are kept.
 *
 * @param options the common options
 */
public record Refuse(FaultOptions options) implements FaultSpec {

	public Refuse {
		options = Specs.options(FaultType.REFUSE, options);
	}

	@Override
	public FaultType type() {
		return FaultType.REFUSE;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
