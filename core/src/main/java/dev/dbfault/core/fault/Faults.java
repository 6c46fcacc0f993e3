package dev.dbfault.core.fault;

import java.time.Duration;

/**
 * Starting points for every fault type, each with its main parameters; the returned
 * builder takes the remaining parameters and the common options.
 *
 * <pre>{@code
 * proxy.inject(Faults.sqlError("(?i)^update accounts", "40001").times(2));
 * proxy.inject(Faults.latency(Duration.ofMillis(50)).direction(Direction.BOTH));
 * }</pre>
 */
public final class Faults {

	private Faults() {
	}

	/** TCP RST on every live connection. */
	public static FaultSpec.OptionsBuilder<Reset> reset() {
		return new FaultSpec.OptionsBuilder<>(FaultType.RESET);
	}

	/** FIN on every live connection. */
	public static FaultSpec.OptionsBuilder<Close> close() {
		return new FaultSpec.OptionsBuilder<>(FaultType.CLOSE);
	}

	/** New connections refused, live ones kept. */
	public static FaultSpec.OptionsBuilder<Refuse> refuse() {
		return new FaultSpec.OptionsBuilder<>(FaultType.REFUSE);
	}

	/** New connections refused and live ones reset. */
	public static FaultSpec.OptionsBuilder<Down> down() {
		return new FaultSpec.OptionsBuilder<>(FaultType.DOWN);
	}

	/** Bytes vanish both ways; sockets stay open. */
	public static FaultSpec.OptionsBuilder<Blackhole> blackhole() {
		return new FaultSpec.OptionsBuilder<>(FaultType.BLACKHOLE);
	}

	/** New connections accepted but never connected upstream. */
	public static FaultSpec.OptionsBuilder<StallConnect> stallConnect() {
		return new FaultSpec.OptionsBuilder<>(FaultType.STALL_CONNECT);
	}

	/**
	 * Data from the database delayed (set a direction for the other way).
	 * @param latency the delay
	 * @return the builder
	 */
	public static Latency.Builder latency(Duration latency) {
		return new Latency.Builder().set("latency", latency);
	}

	/**
	 * Data from the database limited to a rate.
	 * @param bytesPerSecond the rate
	 * @return the builder
	 */
	public static FaultSpec.OptionsBuilder<Bandwidth> bandwidth(long bytesPerSecond) {
		return new FaultSpec.OptionsBuilder<Bandwidth>(FaultType.BANDWIDTH).set("rate", bytesPerSecond);
	}

	/**
	 * Closes reach the other side late.
	 * @param delay how late
	 * @return the builder
	 */
	public static FaultSpec.OptionsBuilder<SlowClose> slowClose(Duration delay) {
		return new FaultSpec.OptionsBuilder<SlowClose>(FaultType.SLOW_CLOSE).set("delay", delay);
	}

	/**
	 * Data stops, the connection is closed after the timeout ({@link Duration#ZERO}: never).
	 * @param timeout the time until the close
	 * @return the builder
	 */
	public static FaultSpec.OptionsBuilder<Timeout> timeout(Duration timeout) {
		return new FaultSpec.OptionsBuilder<Timeout>(FaultType.TIMEOUT).set("timeout", timeout);
	}

	/**
	 * Each connection reset after the timeout, idle or not.
	 * @param timeout the time until the RST
	 * @return the builder
	 */
	public static FaultSpec.OptionsBuilder<ResetPeer> resetPeer(Duration timeout) {
		return new FaultSpec.OptionsBuilder<ResetPeer>(FaultType.RESET_PEER).set("timeout", timeout);
	}

	/**
	 * Data from the database cut into small pieces.
	 * @param averageSize the average piece size in bytes
	 * @return the builder
	 */
	public static Slicer.Builder slicer(long averageSize) {
		return new Slicer.Builder().set("averageSize", averageSize);
	}

	/**
	 * Connections closed once this many bytes came from the database.
	 * @param bytes the limit
	 * @return the builder
	 */
	public static FaultSpec.OptionsBuilder<LimitData> limitData(long bytes) {
		return new FaultSpec.OptionsBuilder<LimitData>(FaultType.LIMIT_DATA).set("bytes", bytes);
	}

	/**
	 * Statements matching the regex fail with the SQLSTATE.
	 * @param match the regular expression searched in the SQL
	 * @param sqlState the SQLSTATE, such as {@code 40001}
	 * @return the builder
	 */
	public static SqlError.Builder sqlError(String match, String sqlState) {
		return new SqlError.Builder().set("match", match).set("sqlState", sqlState);
	}

	/**
	 * Statements matching the regex delayed before they reach the server.
	 * @param match the regular expression searched in the SQL
	 * @param latency the delay
	 * @return the builder
	 */
	public static FaultSpec.OptionsBuilder<SqlLatency> sqlLatency(String match, Duration latency) {
		return new FaultSpec.OptionsBuilder<SqlLatency>(FaultType.SQL_LATENCY).set("match", match).set("latency", latency);
	}

	/**
	 * The connection killed when a statement matching the regex passes; {@code when} and
	 * {@code mode} refine it.
	 * @param match the regular expression searched in the SQL
	 * @return the builder
	 */
	public static DropOn.Builder dropOn(String match) {
		return new DropOn.Builder().set("match", match);
	}

	/**
	 * The connection killed after this many rows of a result.
	 * @param rows the rows delivered first
	 * @return the builder
	 */
	public static DropAfterRows.Builder dropAfterRows(long rows) {
		return new DropAfterRows.Builder().set("rows", rows);
	}

	/** FATAL 57P01 admin_shutdown on every live connection. */
	public static FaultSpec.OptionsBuilder<Terminate> terminate() {
		return new FaultSpec.OptionsBuilder<>(FaultType.TERMINATE);
	}

	/**
	 * New connections fail at login with FATAL 57P03 "the database system is starting up"
	 * (another SQLSTATE with {@code sqlState}); open ones are untouched.
	 * @return the builder
	 */
	public static LoginError.Builder loginError() {
		return new LoginError.Builder();
	}

	/**
	 * Writes fail with 25006 "cannot execute INSERT in a read-only transaction", enforced by
	 * the server, on the connections open when the fault starts ({@code connections("all")}:
	 * on new ones too); reads work, and removing the fault makes them writable again.
	 * @return the builder
	 */
	public static ReadOnly.Builder readOnly() {
		return new ReadOnly.Builder();
	}

}
