package dev.dbfault.core.fault;

/**
 * The settings of a {@code bandwidth} fault: data flows at most {@code rate} bytes per second.
 *
 * @param rate bytes per second let through
 * @param options the common options
 */
public record Bandwidth(long rate, FaultOptions options) implements FaultSpec {

	public Bandwidth {
		rate = Specs.setting(FaultType.BANDWIDTH, "rate", rate);
		if (rate < 1) {
			throw new FaultParameterException("rate", "rate must be at least 1 byte per second");
		}
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
