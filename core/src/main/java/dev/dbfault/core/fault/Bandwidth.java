package dev.dbfault.core.fault;

/**
 * The settings of a {@code bandwidth} fault: data flows at most {@code rate} bytes per second;
 * at 0, data is held until the fault is removed.
 *
 * @param rate bytes per second let through, or 0 to hold everything
 * @param options the common options
 */
public record Bandwidth(long rate, FaultOptions options) implements FaultSpec {

	public Bandwidth {
		rate = Specs.setting(FaultType.BANDWIDTH, "rate", rate);
		options = Specs.options(FaultType.BANDWIDTH, options);
	}

	@Override
	public FaultType type() {
		return FaultType.BANDWIDTH;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
