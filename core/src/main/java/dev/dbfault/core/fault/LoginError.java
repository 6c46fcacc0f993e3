package dev.dbfault.core.fault;

/**
 * The settings of a {@code login-error} fault: new connections fail at login with a FATAL
 * ErrorResponse, as a PostgreSQL server that is starting up, full or refusing the credentials
 * answers them; connections already logged in are untouched.
 *
 * @param sqlState SQLSTATE of the FATAL error
 * @param message message of the error, or {@code null} for PostgreSQL's own (for
 * {@code 57P03}, {@code 53300}, {@code 28P01}, {@code 3D000} and {@code 28000}; one naming the
 * fault for others)
 * @param options the common options
 */
public record LoginError(String sqlState, String message, FaultOptions options) implements FaultSpec {

	public LoginError {
		sqlState = Specs.setting(FaultType.LOGIN_ERROR, "sqlState", sqlState);
		message = Specs.setting(FaultType.LOGIN_ERROR, "message", message);
		options = Specs.options(FaultType.LOGIN_ERROR, options);
	}

	@Override
	public FaultType type() {
		return FaultType.LOGIN_ERROR;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

	/**
	 * Builds a {@code login-error} spec: its optional settings and the common options.
	 */
	public static final class Builder extends FaultSpec.Builder<LoginError, Builder> {

		Builder() {
			super(FaultType.LOGIN_ERROR);
		}

		/**
		 * Sets the SQLSTATE of the FATAL error (57P03 by default).
		 * @param sqlState the SQLSTATE
		 * @return this builder
		 */
		public Builder sqlState(String sqlState) {
			return set("sqlState", sqlState);
		}

		/**
		 * Sets the message of the error, in place of PostgreSQL's own.
		 * @param message the message
		 * @return this builder
		 */
		public Builder message(String message) {
			return set("message", message);
		}

	}

}
