package dev.dbfault.core;

/**
 * Hears what a proxy does to its faults, for logs and metrics.
 *
 * <p>Called on the proxy's I/O thread: implementations must return quickly and must not
 * call back into the proxy's blocking methods.
 */
public interface FaultProxyListener {

	/**
	 * Why a fault was removed.
	 */
	enum Removal {

		/** Removed through the API (or by closing its handle). */
		REMOVED,

		/** Removed by healing everything. */
		HEALED,

		/** Its {@code duration}, or the proxy's maximum, ran out. */
		EXPIRED,

		/** It fired {@code times} times. */
		USED_UP,

		/** An action that has acted on the live connections. */
		ACTED,

		/** The proxy stopped. */
		STOPPED

	}

	default void faultInjected(FaultProxy proxy, ActiveFault fault) {
	}

	/**
	 * A fault fired on one event; {@link ActiveFault#fired()} is already counted.
	 * @param proxy the proxy
	 * @param fault the fault
	 */
	default void faultFired(FaultProxy proxy, ActiveFault fault) {
	}

	default void faultRemoved(FaultProxy proxy, ActiveFault fault, Removal reason) {
	}

}
