package dev.dbfault.core.fault;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The settings of a {@code sql-latency} fault: statements matching {@code match} reach the server {@code latency} late.
 *
 * @param match regular expression found in the statement's SQL
 * @param latency delay before the statement reaches the server
 * @param options the common options
 */
public record SqlLatency(Pattern match, Duration latency, FaultOptions options) implements FaultSpec {

	public SqlLatency {
		match = Specs.setting(FaultType.SQL_LATENCY, "match", match);
		latency = Specs.setting(FaultType.SQL_LATENCY, "latency", latency);
		options = Specs.options(FaultType.SQL_LATENCY, options);
	}

	@Override
	public FaultType type() {
		return FaultType.SQL_LATENCY;
	}

	@Override
	public boolean equals(Object other) {
		return Specs.equal(this, other);
	}

	@Override
	public int hashCode() {
		return Specs.hash(this);
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
