package dev.dbfault.core.fault;

import java.time.Duration;

/**
 * The settings of a {@code slow-close} fault: the close of a connection reaches the other side {@code delay} late.
 *
 * @param delay how long a close is held back
 * @param options the common options
 */
public record SlowClose(Duration delay, FaultOptions options) implements FaultSpec {

	public SlowClose {
		delay = Specs.setting(FaultType.SLOW_CLOSE, "delay", delay);
		options = Specs.options(FaultType.SLOW_CLOSE, options);
	}

	@Override
	public FaultType type() {
		return FaultType.SLOW_CLOSE;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
