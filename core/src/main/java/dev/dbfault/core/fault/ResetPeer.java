package dev.dbfault.core.fault;

import java.time.Duration;

/**
 * The settings of a {@code reset-peer} fault: each connection is reset {@code timeout} after it meets the fault, idle or not.
 *
 * @param timeout time from connection (or injection) to the RST
 * @param options the common options
 */
public record ResetPeer(Duration timeout, FaultOptions options) implements FaultSpec {

	public ResetPeer {
		timeout = Specs.setting(FaultType.RESET_PEER, "timeout", timeout);
		options = Specs.options(FaultType.RESET_PEER, options);
	}

	@Override
	public FaultType type() {
		return FaultType.RESET_PEER;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
