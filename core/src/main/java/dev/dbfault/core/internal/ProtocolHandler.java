package dev.dbfault.core.internal;

import java.nio.ByteBuffer;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.internal.fault.FaultContext;

/**
 * Sees a connection's bytes before the TCP faults do, to understand a database protocol.
 * It must forward every byte it is given, in order, through {@link DataPath#forward} (now or
 * later); it may add bytes of its own. One per connection, used by one thread at a time (the
 * loop, or the thread that holds an in-process connection's lock).
 */
public interface ProtocolHandler {

	/**
	 * Handles bytes read in one direction.
	 * @param direction the direction they were read in
	 * @param data the bytes; valid only during this call
	 */
	void onData(Direction direction, ByteBuffer data);

	/**
	 * Ends the connection as the database does when it shuts down.
	 * @return whether the protocol did; if not, the connection is just closed
	 */
	default boolean terminate() {
		return false;
	}

	/**
	 * Makes the connection fail its login with a FATAL error when its startup arrives, if
	 * the fault fires then; a {@code null} SQLSTATE takes back what that fault asked.
	 * @param fault the fault
	 * @param sqlState the SQLSTATE, or {@code null}
	 * @param message the message, or {@code null} for the server's own
	 */
	default void failLogin(FaultContext fault, String sqlState, String message) {
	}

	/**
	 * Makes the connection read-only on its server, or writable again.
	 * @param fault the fault
	 * @param readOnly whether the connection must refuse writes
	 */
	default void readOnly(FaultContext fault, boolean readOnly) {
	}

	/**
	 * Called when the connection ends, to release what the handler holds.
	 */
	default void closed() {
	}

}
