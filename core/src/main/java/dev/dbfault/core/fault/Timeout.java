package dev.dbfault.core.fault;

import java.time.Duration;

/**
 * The settings of a {@code timeout} fault: data stops; the connection is closed after {@code timeout} (never when 0).
 *
 * @param timeout time until the connection is closed; zero keeps it open
 * @param options the common options
 */
public record Timeout(Duration timeout, FaultOptions options) implements FaultSpec {

	public Timeout {
		timeout = Specs.setting(FaultType.TIMEOUT, "timeout", timeout);
		options = Specs.options(FaultType.TIMEOUT, options);
	}

	@Override
	public FaultType type() {
		return FaultType.TIMEOUT;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
