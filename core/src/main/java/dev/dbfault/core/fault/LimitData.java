package dev.dbfault.core.fault;

/**
 * The settings of a {@code limit-data} fault: a connection is closed once {@code bytes} bytes have passed.
 *
 * @param bytes bytes let through on each connection before it is closed
 * @param options the common options
 */
public record LimitData(long bytes, FaultOptions options) implements FaultSpec {

	public LimitData {
		bytes = Specs.setting(FaultType.LIMIT_DATA, "bytes", bytes);
		options = Specs.options(FaultType.LIMIT_DATA, options);
	}

	@Override
	public FaultType type() {
		return FaultType.LIMIT_DATA;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

}
