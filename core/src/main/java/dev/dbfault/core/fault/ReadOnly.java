package dev.dbfault.core.fault;

/**
 * The settings of a {@code read-only} fault: the server itself refuses every write on the
 * connections it holds, with {@code 25006} "cannot execute INSERT in a read-only
 * transaction", as a primary demoted by a failover does; reads work.
 *
 * @param connections the connections open when the fault starts, or every connection
 * @param options the common options
 */
public record ReadOnly(ReadOnlyScope connections, FaultOptions options) implements FaultSpec {

	public ReadOnly {
		connections = Specs.choice(FaultType.READ_ONLY, "connections", connections, ReadOnlyScope.class);
		options = Specs.options(FaultType.READ_ONLY, options);
	}

	@Override
	public FaultType type() {
		return FaultType.READ_ONLY;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

	/**
	 * Builds a {@code read-only} spec: its optional settings and the common options.
	 */
	public static final class Builder extends FaultSpec.Builder<ReadOnly, Builder> {

		Builder() {
			super(FaultType.READ_ONLY);
		}

		/**
		 * Sets which connections are made read-only: those open when the fault starts (the
		 * default), or all of them.
		 * @param connections the value
		 * @return this builder
		 */
		public Builder connections(ReadOnlyScope connections) {
			return set("connections", connections);
		}

		/**
		 * Sets which connections are made read-only by its name in requests.
		 * @param connections {@code existing} or {@code all}
		 * @return this builder
		 */
		public Builder connections(String connections) {
			return set("connections", connections);
		}

	}

}
