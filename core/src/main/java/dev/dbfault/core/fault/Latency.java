package dev.dbfault.core.fault;

import java.time.Duration;

/**
 * The settings of a {@code latency} fault: data is delayed by {@code latency} plus or minus {@code jitter}.
 *
 * @param latency the delay added to each chunk of data
 * @param jitter the random variation of the delay, plus or minus
 * @param options the common options
 */
public record Latency(Duration latency, Duration jitter, FaultOptions options) implements FaultSpec {

	public Latency {
		latency = Specs.setting(FaultType.LATENCY, "latency", latency);
		jitter = Specs.setting(FaultType.LATENCY, "jitter", jitter);
		options = Specs.options(FaultType.LATENCY, options);
	}

	@Override
	public FaultType type() {
		return FaultType.LATENCY;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

	/**
	 * Builds a {@code latency} spec: its optional settings and the common options.
	 */
	public static final class Builder extends FaultSpec.Builder<Latency, Builder> {

		Builder() {
			super(FaultType.LATENCY);
		}

		/**
		 * Sets jitter: the random variation of the delay, plus or minus.
		 * @param jitter the value
		 * @return this builder
		 */
		public Builder jitter(Duration jitter) {
			return set("jitter", jitter);
		}

	}

}
