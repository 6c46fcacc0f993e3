package dev.dbfault.core.fault;

import java.util.regex.Pattern;

/**
 * The settings of a {@code drop-after-rows} fault: the connection is killed after {@code rows} rows of a result.
 *
 * @param rows rows delivered before the connection is killed
 * @param match only results of statements whose SQL matches, or {@code null} for every statement
 * @param mode how the connection is killed
 * @param options the common options
 */
public record DropAfterRows(long rows, Pattern match, KillMode mode, FaultOptions options) implements FaultSpec {

	public DropAfterRows {
		rows = Specs.setting(FaultType.DROP_AFTER_ROWS, "rows", rows);
		match = Specs.setting(FaultType.DROP_AFTER_ROWS, "match", match);
		mode = Specs.choice(FaultType.DROP_AFTER_ROWS, "mode", mode, KillMode.class);
		options = Specs.options(FaultType.DROP_AFTER_ROWS, options);
	}

	@Override
	public FaultType type() {
		return FaultType.DROP_AFTER_ROWS;
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
	 * Builds a {@code drop-after-rows} spec: its optional settings and the common options.
	 */
	public static final class Builder extends FaultSpec.Builder<DropAfterRows, Builder> {

		Builder() {
			super(FaultType.DROP_AFTER_ROWS);
		}

		/**
		 * Sets match: only results of statements whose SQL matches, or {@code null} for every statement.
		 * @param regex the regular expression
		 * @return this builder
		 */
		public Builder match(String regex) {
			return set("match", regex);
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
