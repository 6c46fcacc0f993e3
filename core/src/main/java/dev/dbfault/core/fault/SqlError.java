package dev.dbfault.core.fault;

import java.util.regex.Pattern;

/**
 * The settings of a {@code sql-error} fault: statements matching {@code match} fail with a real ErrorResponse.
 *
 * @param match regular expression found in the statement's SQL
 * @param sqlState SQLSTATE of the error
 * @param message message of the error, or {@code null} for one naming the fault
 * @param options the common options
 */
public record SqlError(Pattern match, String sqlState, String message, FaultOptions options) implements FaultSpec {

	public SqlError {
		match = Specs.setting(FaultType.SQL_ERROR, "match", match);
		sqlState = Specs.setting(FaultType.SQL_ERROR, "sqlState", sqlState);
		message = Specs.setting(FaultType.SQL_ERROR, "message", message);
		options = Specs.options(FaultType.SQL_ERROR, options);
	}

	@Override
	public FaultType type() {
		return FaultType.SQL_ERROR;
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
	 * Builds a {@code sql-error} spec: its optional settings and the common options.
	 */
	public static final class Builder extends FaultSpec.Builder<SqlError, Builder> {

		Builder() {
			super(FaultType.SQL_ERROR);
		}

		/**
		 * Sets message: message of the error, or {@code null} for one naming the fault.
		 * @param message the value
		 * @return this builder
		 */
		public Builder message(String message) {
			return set("message", message);
		}

	}

}
