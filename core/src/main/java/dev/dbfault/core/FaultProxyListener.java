package dev.dbfault.core;

import dev.dbfault.core.fault.ActiveFault;

/**
 * Hears what a proxy does to its faults, for logs and metrics.
 *
 * <p>Called on the proxy's I/O thread, and {@link #faultFired} on a connection of the
 * in-process transport on the JDBC driver's thread that met the event (so concurrently):
 * implementations must be thread-safe, return quickly and must not call back into the
 * proxy's blocking methods.
 */
public interface FaultProxyListener {

	/**
	 * A fault was injected, or scheduled when it was given {@code startAfter}
	 * ({@link ActiveFault#state()} says which).
	 * @param proxy the proxy
	 * @param fault the fault
	 */
	default void faultInjected(FaultProxy proxy, ActiveFault fault) {
	}

	/**
	 * A scheduled fault's {@code startAfter} passed: it acts from now on.
	 * @param proxy the proxy
	 * @param fault the fault
	 */
	default void faultStarted(FaultProxy proxy, ActiveFault fault) {
	}

	/**
	 * A fault fired on one event; {@link ActiveFault#fired()} is already counted.
	 * @param proxy the proxy
	 * @param fault the fault
	 */
	default void faultFired(FaultProxy proxy, ActiveFault fault) {
	}

	default void faultRemoved(FaultProxy proxy, ActiveFault fault, ActiveFault.Removal reason) {
	}

}
