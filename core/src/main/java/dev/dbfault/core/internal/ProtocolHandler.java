package dev.dbfault.core.internal;

import java.nio.ByteBuffer;

/**
 * Sees a connection's bytes before the TCP faults do, to understand a database protocol.
 * It must forward every byte it is given, in order, through {@link Pipe#forward} (now or
 * later); it may add bytes of its own. One per connection; loop only.
 */
public interface ProtocolHandler {

	/**
	 * Handles bytes read in one direction.
	 * @param pipe the pipe they were read on
	 * @param data the bytes; valid only during this call
	 */
	void onData(Pipe pipe, ByteBuffer data);

	/**
	 * Ends the connection as the database does when it shuts down.
	 * @return whether the protocol did; if not, the connection is just closed
	 */
	default boolean terminate() {
		return false;
	}

	/**
	 * Called when the connection ends, to release what the handler holds.
	 */
	default void closed() {
	}

}
