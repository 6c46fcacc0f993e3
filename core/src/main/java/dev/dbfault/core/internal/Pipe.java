package dev.dbfault.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.internal.fault.Chunk;
import dev.dbfault.core.internal.fault.Clock;
import dev.dbfault.core.internal.fault.FaultStates;
import dev.dbfault.core.internal.fault.FaultUnit;

/**
 * One direction of a {@link Link}: bytes read from a source socket pass the protocol
 * handler, then the data faults, and are written to the destination socket.
 *
 * <pre>
 *  src --read--> [protocol handler] --forward--> [fault 1 .. fault n] --enqueue--> queue --flush--> dst
 *                                          fast path, no fault, nothing queued: write straight to dst
 * </pre>
 *
 * <p>Back-pressure: the source is read only while the destination accepts writes and fewer
 * than {@value #HIGH_WATER} bytes wait in the queue, so a slow reader or a throttling fault
 * makes the writer's TCP window fill rather than the proxy's heap. An idle pipe holds no
 * buffer at all. On the proxy's loop only (its delay line asserts it).
 */
public final class Pipe implements DataPath {

	/** Queued bytes above which the source is no longer read. */
	static final int HIGH_WATER = 1024 * 1024;

	private final Link link;

	private final Direction direction;

	private SocketSide source;

	private SocketSide destination;

	private final DelayLine queue;

	private final DelayLine.Sink sink = this::write;

	private final Clock clock;

	private boolean sourceEnded;

	private boolean outputShut;

	private boolean destinationFull;

	private Timer releaseTimer;

	private final FaultStates states = new FaultStates();

	Pipe(Link link, Direction direction) {
		this.link = link;
		this.direction = direction;
		this.clock = link.loop().clock();
		this.queue = new DelayLine(link::hasTurn);
	}

	void endpoints(SocketSide source, SocketSide destination) {
		this.source = source;
		this.destination = destination;
	}

	@Override
	public Link connection() {
		return this.link;
	}

	/**
	 * Returns the direction data flows in here: {@link Direction#UPSTREAM} or
	 * {@link Direction#DOWNSTREAM}.
	 * @return the direction
	 */
	@Override
	public Direction direction() {
		return this.direction;
	}

	/**
	 * Returns what faults keep about this direction of the connection.
	 * @return the states
	 */
	@Override
	public FaultStates states() {
		return this.states;
	}

	boolean isOutputShut() {
		return this.outputShut;
	}

	void onReadable() {
		ByteBuffer buffer = this.link.loop().readBuffer();
		int read;
		try {
			read = this.source.channel().read(buffer);
		}
		catch (IOException ex) {
			// the peer reset or vanished: pass that on as a reset, as a router would
			this.link.reset();
			return;
		}
		if (read < 0) {
			onEndOfStream();
			return;
		}
		if (read == 0) {
			return;
		}
		buffer.flip();
		this.link.loop().bytesRead(read);
		this.link.server().countBytes(this.direction, read);
		ProtocolHandler protocol = this.link.protocol();
		if (protocol != null) {
			protocol.onData(this.direction, buffer);
		}
		else {
			forward(buffer);
		}
	}

	@Override
	public void forward(ByteBuffer data) {
		if (!data.hasRemaining() || this.link.isClosed() || this.link.isBlackholed()) {
			data.position(data.limit());
			return;
		}
		FaultUnit.DataHandling[] faults = this.link.server().chunkFaults();
		if (faults.length == 0 && this.queue.isEmpty() && destinationReady()) {
			writeDirect(data);
			return;
		}
		through(faults, Chunk.copyOf(data, this.clock.nanoTime()));
	}

	@Override
	public void forwardMarker(Chunk.Kind kind) {
		if (this.link.isClosed()) {
			return;
		}
		through(this.link.server().chunkFaults(), Chunk.marker(kind, this.clock.nanoTime()));
	}

	/**
	 * Returns whether bytes can be written: the client is always there, the database only
	 * once connected.
	 */
	private boolean destinationReady() {
		return this.destination != null && (this.direction == Direction.DOWNSTREAM || this.link.isConnected());
	}

	private void writeDirect(ByteBuffer data) {
		try {
			this.destination.channel().write(data);
		}
		catch (IOException ex) {
			this.link.reset();
			return;
		}
		if (data.hasRemaining()) {
			this.queue.add(Chunk.copyOf(data, this.clock.nanoTime()));
			this.destinationFull = true;
			this.destination.wantWrite(true);
			updateReading();
		}
	}

	private void through(FaultUnit.DataHandling[] faults, Chunk chunk) {
		ProxyServer server = this.link.server();
		this.queue.pass(faults, this, chunk, this.clock.nanoTime(), server.scratch(0), server.scratch(1));
		flush();
	}

	/**
	 * Writes what is due, arms a timer for what is not, and adjusts reading.
	 */
	void flush() {
		if (this.link.isClosed()) {
			return;
		}
		this.destinationFull = false;
		long now = this.clock.nanoTime();
		if (this.queue.drain(now, this.sink) && this.queue.waitsForTime()) {
			armRelease(this.queue.peek().releaseAt());
		}
		if (this.link.isClosed()) {
			return;
		}
		if (this.destination != null) {
			this.destination.wantWrite(this.destinationFull);
		}
		updateReading();
	}

	/**
	 * Writes a due chunk, or acts on a due marker.
	 * @return whether it went whole and the next one may go too
	 */
	private boolean write(Chunk chunk) {
		if (!destinationReady()) {
			return false;
		}
		if (!chunk.isData()) {
			return releaseMarker(chunk);
		}
		// through the loop's direct buffer: the channel would copy a heap array into one anyway
		ByteBuffer buffer = this.link.loop().writeBuffer();
		while (chunk.size() > 0) {
			// a chunk a fault cut goes piece by piece, each in a write of its own
			int count = Math.min(buffer.capacity(), chunk.pieceSize());
			buffer.clear();
			buffer.put(chunk.array(), chunk.offset(), count).flip();
			try {
				this.destination.channel().write(buffer);
			}
			catch (IOException ex) {
				this.link.reset();
				return false;
			}
			chunk.consumed(count - buffer.remaining());
			if (buffer.hasRemaining()) {
				// the socket is full: the rest waits for it to take more
				this.destinationFull = true;
				return false;
			}
		}
		return true;
	}

	/**
	 * Acts on a marker that reached the head of the queue.
	 * @return whether the link is still open
	 */
	private boolean releaseMarker(Chunk marker) {
		switch (marker.kind()) {
			case EOF -> {
				this.outputShut = true;
				try {
					this.destination.channel().shutdownOutput();
				}
				catch (IOException ex) {
					this.link.reset();
					return false;
				}
				this.link.outputShut();
			}
			case CLOSE -> this.link.close();
			case RESET -> this.link.reset();
			case BLACKHOLE -> this.link.blackhole();
			default -> throw new IllegalStateException("Not a marker: " + marker.kind());
		}
		return !this.link.isClosed();
	}

	private void armRelease(long at) {
		if (this.releaseTimer != null && !this.releaseTimer.isCancelled()) {
			if (this.releaseTimer.deadline() == at) {
				return;
			}
			this.releaseTimer.cancel();
		}
		this.releaseTimer = this.link.loop().schedule(at, this::flush);
	}

	void updateReading() {
		if (this.source != null) {
			this.source.wantRead(!this.sourceEnded && !this.destinationFull && this.queue.bytes() < HIGH_WATER
					&& !this.link.isClosed());
		}
	}

	private void onEndOfStream() {
		this.sourceEnded = true;
		this.source.wantRead(false);
		if (this.link.isStalled()) {
			// the client gave up before the connection was ever made: there is no one to tell
			this.link.close();
			return;
		}
		forwardMarker(Chunk.Kind.EOF);
	}

	/**
	 * Takes a removed fault's share of every delay here and lets go what it held.
	 * @param fault the removed fault's unit
	 * @param keepDelays whether the delays it added stay
	 */
	void faultRemoved(Object fault, boolean keepDelays) {
		if (this.queue.removeFault(fault, keepDelays)) {
			flush();
		}
	}

	/**
	 * Drops every queued byte (the connection is blackholed or closing).
	 */
	void discard() {
		if (this.releaseTimer != null) {
			this.releaseTimer.cancel();
		}
		this.queue.discardData();
	}

	boolean isSourceEnded() {
		return this.sourceEnded;
	}

}
