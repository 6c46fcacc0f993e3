package dev.dbfault.core.internal.fault;

/**
 * One proxied connection of either transport, as a fault unit acts on it. Used on its turn
 * (the proxy's loop, or an in-process connection's lock).
 */
public interface ProxiedConnection {

	/**
	 * Resets both sides: each peer gets a TCP RST.
	 */
	void reset();

	/**
	 * Closes both sides normally: each peer reads an end of stream.
	 */
	void close();

	/**
	 * Ends the connection as its database does when it shuts down (PostgreSQL: FATAL 57P01
	 * to the client), or closes it where the protocol is not read.
	 */
	void terminate();

	/**
	 * Makes the connection fail its login, when its startup arrives, with a FATAL error
	 * (PostgreSQL), if the fault fires then; or, with a {@code null} SQLSTATE, takes back
	 * what that fault asked. Does nothing where the protocol is not read.
	 * @param fault the fault asking, which decides when the startup arrives
	 * @param sqlState the SQLSTATE, or {@code null} to take it back
	 * @param message the message, or {@code null} for the server's own
	 */
	default void failLogin(FaultContext fault, String sqlState, String message) {
	}

	/**
	 * Makes the connection read-only on its server (PostgreSQL: every write fails with
	 * 25006), or, with {@code false}, writable again. Does nothing where the protocol is not
	 * read.
	 * @param fault the fault asking
	 * @param readOnly whether the connection must refuse writes
	 */
	default void readOnly(FaultContext fault, boolean readOnly) {
	}

	/**
	 * Lets go of a connection the given fault stalled: connects it upstream, unless it
	 * closed meanwhile.
	 * @param fault the fault
	 * @return whether that fault had stalled it
	 */
	boolean resumeIfStalledBy(FaultContext fault);

	/**
	 * Runs an action on the loop after a delay, unless the connection closes first or it
	 * is cancelled.
	 * @param delayNanos the delay
	 * @param action the action
	 * @return a handle to cancel it
	 */
	Cancellable schedule(long delayNanos, Runnable action);

	/**
	 * Returns who the connection is, as far as known: its number, the application's
	 * address, and its PostgreSQL startup values and backend.
	 * @return the identity
	 */
	ConnectionIdentity identity();

	/**
	 * Returns what faults keep about this connection.
	 * @return the states
	 */
	FaultStates states();

}
