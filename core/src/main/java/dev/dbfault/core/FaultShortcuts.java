package dev.dbfault.core;

import java.time.Duration;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Faults;

/**
 * One method per common fault, each a shortcut for injecting the {@link Faults} builder of
 * the same name with its defaults: {@code proxy.latency(d)} is
 * {@code proxy.inject(Faults.latency(d))}. A {@link FaultProxy} has them; for options
 * (direction, times, a target) inject the builder itself.
 */
public interface FaultShortcuts {

	/**
	 * Builds and injects a fault.
	 * @param spec the builder of what to inject
	 * @return the fault
	 * @throws dev.dbfault.core.fault.FaultParameterException if a parameter is unusable
	 */
	ActiveFault inject(FaultSpec.Builder<?, ?> spec);

	/**
	 * Shortcut for {@code inject(Faults.reset())}: RST on every live connection (the proxy
	 * itself carries on).
	 * @return the fault, already acted
	 */
	default ActiveFault resetConnections() {
		return inject(Faults.reset());
	}

	/** Shortcut for {@code inject(Faults.close())}: FIN on every live connection. */
	default ActiveFault closeConnections() {
		return inject(Faults.close());
	}

	/** Shortcut for {@code inject(Faults.refuse())}. */
	default ActiveFault refuse() {
		return inject(Faults.refuse());
	}

	/** Shortcut for {@code inject(Faults.down())}. */
	default ActiveFault down() {
		return inject(Faults.down());
	}

	/** Shortcut for {@code inject(Faults.blackhole())}. */
	default ActiveFault blackhole() {
		return inject(Faults.blackhole());
	}

	/** Shortcut for {@code inject(Faults.stallConnect())}. */
	default ActiveFault stallConnect() {
		return inject(Faults.stallConnect());
	}

	/** Shortcut for {@code inject(Faults.latency(latency))}: responses delayed. */
	default ActiveFault latency(Duration latency) {
		return inject(Faults.latency(latency));
	}

	/** Shortcut for {@code inject(Faults.bandwidth(bytesPerSecond))}. */
	default ActiveFault bandwidth(long bytesPerSecond) {
		return inject(Faults.bandwidth(bytesPerSecond));
	}

	/** Shortcut for {@code inject(Faults.slowClose(delay))}. */
	default ActiveFault slowClose(Duration delay) {
		return inject(Faults.slowClose(delay));
	}

	/** Shortcut for {@code inject(Faults.timeout(timeout))}. */
	default ActiveFault timeout(Duration timeout) {
		return inject(Faults.timeout(timeout));
	}

	/** Shortcut for {@code inject(Faults.resetPeer(timeout))}. */
	default ActiveFault resetPeer(Duration timeout) {
		return inject(Faults.resetPeer(timeout));
	}

	/** Shortcut for {@code inject(Faults.slicer(averageSize))}. */
	default ActiveFault slicer(long averageSize) {
		return inject(Faults.slicer(averageSize));
	}

	/** Shortcut for {@code inject(Faults.limitData(bytes))}. */
	default ActiveFault limitData(long bytes) {
		return inject(Faults.limitData(bytes));
	}

	/** Shortcut for {@code inject(Faults.sqlError(match, sqlState))}. */
	default ActiveFault sqlError(String match, String sqlState) {
		return inject(Faults.sqlError(match, sqlState));
	}

	/** Shortcut for {@code inject(Faults.sqlLatency(match, latency))}. */
	default ActiveFault sqlLatency(String match, Duration latency) {
		return inject(Faults.sqlLatency(match, latency));
	}

	/** Shortcut for {@code inject(Faults.dropOn(match))}: reset before a matching statement. */
	default ActiveFault dropOn(String match) {
		return inject(Faults.dropOn(match));
	}

	/** Shortcut for {@code inject(Faults.dropAfterRows(rows))}. */
	default ActiveFault dropAfterRows(long rows) {
		return inject(Faults.dropAfterRows(rows));
	}

	/** Shortcut for {@code inject(Faults.terminate())}: FATAL 57P01 on every live connection. */
	default ActiveFault terminate() {
		return inject(Faults.terminate());
	}

}
