package dev.dbfault.core.fault;

import java.util.regex.Pattern;

/**
 * The settings of a {@code drop-on} fault: the connection is killed when a statement matching {@code match} passes.
 *
 * @param match regular expression found in the statement's SQL
 * @param when before the statement reaches the server, or right after it was answered
 * @param mode how the connection is killed
 * @param options the common options
 */
public record DropOn(Pattern match, KillTiming when, KillMode mode, FaultOptions options) implements FaultSpec {

	public DropOn {
		match = Specs.setting(FaultType.DROP_ON, "match", match);
		when = Specs.choice(FaultType.DROP_ON, "when", when, KillTiming.class);
		mode = Specs.choice(FaultType.DROP_ON, "mode", mode, KillMode.class);
		options = Specs.options(FaultType.DROP_ON, options);
	}

	@Override
	public FaultType type() {
		return FaultType.DROP_ON;
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

	/**
	 * Builds a {@code drop-on} spec: its optional settings and the common options.
	 */
	public static final class Builder extends FaultSpec.Builder<DropOn, Builder> {

		Builder() {
			super(FaultType.DROP_ON);
		}

		/**
		 * Sets when: before the statement reaches the server, or right after it was answered.
		 * @param when the value
		 * @return this builder
		 */
		public Builder when(KillTiming when) {
			return set("when", when);
		}

		/**
		 * Sets when by its name in requests.
		 * @param when one of {@link KillTiming}, in lower case
		 * @return this builder
		 */
		public Builder when(String when) {
			return set("when", when);
		}

		/**
		 * Sets mode: how the connection is killed.
		 * @param mode the value
		 * @return this builder
		 */
		public Builder mode(KillMode mode) {
			return set("mode", mode);
		}

		/**
		 * Sets mode by its name in requests.
		 * @param mode one of {@link KillMode}, in lower case
		 * @return this builder
		 */
		public Builder mode(String mode) {
			return set("mode", mode);
		}

	}

}
