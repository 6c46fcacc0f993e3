package dev.dbfault.core.internal;

import java.nio.ByteBuffer;

import dev.dbfault.core.internal.fault.Chunk;
import dev.dbfault.core.internal.fault.Flow;

/**
 * One direction of a connection as its protocol handler sends bytes on: through the data
 * faults to the other end.
 */
public interface DataPath extends Flow {

	/**
	 * Sends bytes on through the data faults to the destination. The bytes are consumed or
	 * copied before this returns.
	 * @param data the bytes, from position to limit
	 */
	void forward(ByteBuffer data);

	/**
	 * Sends a marker (end of stream, close, reset) on through the data faults, behind
	 * everything already sent.
	 * @param kind the marker's kind
	 */
	void forwardMarker(Chunk.Kind kind);

}
