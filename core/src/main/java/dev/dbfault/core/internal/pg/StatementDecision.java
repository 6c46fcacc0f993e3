package dev.dbfault.core.internal.pg;

/**
 * What the statement faults decided for one statement about to run. Each fault that
 * matches and fires adds its part; a kill before the statement or an error ends the
 * decision, since nothing after either can happen to it.
 */
public final class StatementDecision {

	private final String sql;

	private long delayNanos;

	private String errorState;

	private String errorMessage;

	private String killWhen;

	private String killMode;

	private long rowLimit = -1;

	private String rowMode;

	StatementDecision(String sql) {
		this.sql = sql;
	}

	/**
	 * Returns the statement's SQL, as sent in its Query or Parse message.
	 * @return the SQL
	 */
	public String sql() {
		return this.sql;
	}

	/**
	 * Returns whether nothing more can be decided.
	 * @return whether the decision is final
	 */
	public boolean isFinal() {
		return this.errorState != null || "before".equals(this.killWhen);
	}

	/** The statement waits this much longer before it reaches the server. */
	public void delay(long nanos) {
		this.delayNanos += nanos;
	}

	/** The statement fails with this SQLSTATE and message. */
	public void fail(String sqlState, String message) {
		this.errorState = sqlState;
		this.errorMessage = message;
	}

	/**
	 * The connection is killed before the statement reaches the server, or once the server
	 * has answered it.
	 * @param when {@code before} or {@code after}
	 * @param mode {@code reset}, {@code close} or {@code blackhole}
	 */
	public void kill(String when, String mode) {
		if (this.killWhen == null) {
			this.killWhen = when;
			this.killMode = mode;
		}
	}

	/** The connection is killed after this many rows of the statement's result. */
	public void limitRows(long rows, String mode) {
		if (this.rowLimit < 0) {
			this.rowLimit = rows;
			this.rowMode = mode;
		}
	}

	long delayNanos() {
		return this.delayNanos;
	}

	String errorState() {
		return this.errorState;
	}

	String errorMessage() {
		return this.errorMessage;
	}

	String killWhen() {
		return this.killWhen;
	}

	String killMode() {
		return this.killMode;
	}

	long rowLimit() {
		return this.rowLimit;
	}

	String rowMode() {
		return this.rowMode;
	}

}
