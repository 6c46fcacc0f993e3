package dev.dbfault.core.internal.fault;

/**
 * Something scheduled that can still be called off, such as a timer on the proxy's loop.
 */
public interface Cancellable {

	/**
	 * Stops it from happening; does nothing once it happened.
	 */
	void cancel();

}
