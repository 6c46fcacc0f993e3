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
	public static FaultSpec.Builder reset() {
		return FaultSpec.builder(FaultType.RESET);
	}

	/** FIN on every live connection. */
	public static FaultSpec.Builder close() {
		return FaultSpec.builder(FaultType.CLOSE);
	}

	/** New connections refused, live ones kept. */
	public static FaultSpec.Builder refuse() {
		return FaultSpec.builder(FaultType.REFUSE);
	}

	/** New connections refused and live ones reset. */
	public static FaultSpec.Builder down() {
		return FaultSpec.builder(FaultType.DOWN);
	}

	/** Bytes vanish both ways; sockets stay open. */
	public static FaultSpec.Builder blackhole() {
		return FaultSpec.builder(FaultType.BLACKHOLE);
	}

	/** New connections accepted but never connected upstream. */
	public static FaultSpec.Builder stallConnect() {
		return FaultSpec.builder(FaultType.STALL_CONNECT);
	}

	/**
	 * Data from the database delayed (set a direction for the other way).
	 * @param latency the delay
	 * @return the builder
	 */
	public static FaultSpec.Builder latency(Duration latency) {
		return FaultSpec.builder(FaultType.LATENCY).latency(latency);
	}

	/**
	 * Data from the database limited to a rate.
	 * @param bytesPerSecond the rate
	 * @return the builder
	 */
	public static FaultSpec.Builder bandwidth(long bytesPerSecond) {
		return FaultSpec.builder(FaultType.BANDWIDTH).rate(bytesPerSecond);
	}

	/**
	 * Closes reach the other side late.
	 * @param delay how late
	 * @return the builder
	 */
	public static FaultSpec.Builder slowClose(Duration delay) {
		return FaultSpec.builder(FaultType.SLOW_CLOSE).delay(delay);
	}

	/**
	 * Data stops, the connection is closed after the timeout ({@link Duration#ZERO}: never).
	 * @param timeout the time until the close
	 * @return the builder
	 */
	public static FaultSpec.Builder timeout(Duration timeout) {
		return FaultSpec.builder(FaultType.TIMEOUT).timeout(timeout);
	}

	/**
	 * Each connection reset after the timeout, idle or not.
	 * @param timeout the time until the RST
	 * @return the builder
	 */
	public static FaultSpec.Builder resetPeer(Duration timeout) {
		return FaultSpec.builder(FaultType.RESET_PEER).timeout(timeout);
	}

	/**
	 * Data from the database cut into small pieces.
	 * @param averageSize the average piece size in bytes
	 * @return the builder
	 */
	public static FaultSpec.Builder slicer(long averageSize) {
		return FaultSpec.builder(FaultType.SLICER).averageSize(averageSize);
	}

	/**
	 * Connections closed once this many bytes came from the database.
	 * @param bytes the limit
	 * @return the builder
	 */
	public static FaultSpec.Builder limitData(long bytes) {
		return FaultSpec.builder(FaultType.LIMIT_DATA).bytes(bytes);
	}

	/**
	 * Statements matching the regex fail with the SQLSTATE.
	 * @param match the regular expression searched in the SQL
	 * @param sqlState the SQLSTATE, such as {@code 40001}
	 * @return the builder
	 */
	public static FaultSpec.Builder sqlError(String match, String sqlState) {
		return FaultSpec.builder(FaultType.SQL_ERROR).match(match).sqlState(sqlState);
	}

	/**
	 * Statements matching the regex delayed before they reach the server.
	 * @param match the regular expression searched in the SQL
	 * @param latency the delay
	 * @return the builder
	 */
	public static FaultSpec.Builder sqlLatency(String match, Duration latency) {
		return FaultSpec.builder(FaultType.SQL_LATENCY).match(match).latency(latency);
	}

	/**
	 * The connection killed when a statement matching the regex passes; {@code when} and
	 * {@code mode} refine it.
	 * @param match the regular expression searched in the SQL
	 * @return the builder
	 */
	public static FaultSpec.Builder dropOn(String match) {
		return FaultSpec.builder(FaultType.DROP_ON).match(match);
	}

	/**
	 * The connection killed after this many rows of a result.
	 * @param rows the rows delivered first
	 * @return the builder
	 */
	public static FaultSpec.Builder dropAfterRows(long rows) {
		return FaultSpec.builder(FaultType.DROP_AFTER_ROWS).rows(rows);
	}

	/** FATAL 57P01 admin_shutdown on every live connection. */
	public static FaultSpec.Builder terminate() {
		return FaultSpec.builder(FaultType.TERMINATE);
	}

}
