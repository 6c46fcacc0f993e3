package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.KillMode;
import dev.dbfault.core.fault.KillTiming;

/**
 * What the statement faults decided for one statement about to run. Each fault that
 * matches and fires adds its part; a kill before the statement or an error ends the
 * decision, since nothing after either can happen to it.
 */
public final class StatementDecision {

	private final String sql;

	private final ProxiedConnection connection;

	private final boolean inTransaction;

	private final long index;

	private long delayNanos;

	private String errorState;

	private String errorMessage;

	private KillTiming killWhen;

	private KillMode killMode;

	private long rowLimit = -1;

	private KillMode rowMode;

	/**
	 * Starts the decision on one statement.
	 * @param sql its SQL
	 * @param connection the connection it runs on
	 * @param inTransaction whether it runs inside a transaction
	 * @param index its position in the transaction, from 1 (0 for {@code BEGIN} itself)
	 */
	public StatementDecision(String sql, ProxiedConnection connection, boolean inTransaction, long index) {
		this.sql = sql;
		this.connection = connection;
		this.inTransaction = inTransaction;
		this.index = index;
	}

	/**
	 * Returns the connection the statement runs on.
	 * @return the connection
	 */
	public ProxiedConnection connection() {
		return this.connection;
	}

	/**
	 * Returns whether the statement runs inside a transaction.
	 * @return whether a transaction is open
	 */
	public boolean inTransaction() {
		return this.inTransaction;
	}

	/**
	 * Returns the statement's position in its transaction: from 1, {@code BEGIN} not
	 * counted (it is 0), a statement outside a transaction being 1.
	 * @return the position
	 */
	public long index() {
		return this.index;
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
		return this.errorState != null || this.killWhen == KillTiming.BEFORE;
	}

	/**
	 * The statement waits this much longer before it reaches the server.
	 * @param nanos the delay
	 */
	public void delay(long nanos) {
		this.delayNanos += nanos;
	}

	/**
	 * The statement fails with this SQLSTATE and message.
	 * @param sqlState the SQLSTATE
	 * @param message the message
	 */
	public void fail(String sqlState, String message) {
		this.errorState = sqlState;
		this.errorMessage = message;
	}

	/**
	 * The connection is killed before the statement reaches the server, or once the server
	 * has answered it; the first kill decided stands.
	 * @param when before or after the statement
	 * @param mode how the connection is killed
	 */
	public void kill(KillTiming when, KillMode mode) {
		if (this.killWhen == null) {
			this.killWhen = when;
			this.killMode = mode;
		}
	}

	/**
	 * The connection is killed after this many rows of the statement's result; the first
	 * limit decided stands.
	 * @param rows the rows let through
	 * @param mode how the connection is killed
	 */
	public void limitRows(long rows, KillMode mode) {
		if (this.rowLimit < 0) {
			this.rowLimit = rows;
			this.rowMode = mode;
		}
	}

	public long delayNanos() {
		return this.delayNanos;
	}

	public String errorState() {
		return this.errorState;
	}

	public String errorMessage() {
		return this.errorMessage;
	}

	/**
	 * Returns when the connection is killed, if it is.
	 * @return the timing, or {@code null}
	 */
	public KillTiming killWhen() {
		return this.killWhen;
	}

	public KillMode killMode() {
		return this.killMode;
	}

	/**
	 * Returns after how many rows the connection is killed.
	 * @return the rows, or -1 for no limit
	 */
	public long rowLimit() {
		return this.rowLimit;
	}

	public KillMode rowMode() {
		return this.rowMode;
	}

}
