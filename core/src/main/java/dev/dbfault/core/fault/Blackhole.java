package dev.dbfault.core.fault;

/**
 * The settings of a {@code blackhole} fault: bytes vanish while the sockets stay open: a partition with no RST.
 *
 * @param options the common options
 */
public record Blackhole(FaultOptions options) implements FaultSpec {

	public Blackhole {
		options = Specs.options(FaultType.BLACKHOLE, options);
	}

	@Override
	public FaultType type() {
		return FaultType.BLACKHOLE;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
