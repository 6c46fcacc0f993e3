package dev.dbfault.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.internal.fault.Cancellable;
import dev.dbfault.core.internal.fault.Chunk;
import dev.dbfault.core.internal.fault.Clock;
import dev.dbfault.core.internal.fault.FaultContext;
import dev.dbfault.core.internal.fault.FaultStates;
import dev.dbfault.core.internal.fault.FaultUnit;
import dev.dbfault.core.internal.fault.StateKey;

/**
 * One connection of the in-process transport: the JDBC driver's socket talks straight to the
 * database, and the fault engine runs on the thread that reads or writes, with no relay in
 * between. The same protocol handler and fault units as a {@link Link}'s see every byte.
 *
 * <pre>
 *  driver thread --write--&gt; [protocol handler] --&gt; [data faults] --&gt; up queue --&gt; database socket
 *  driver thread &lt;--read--  received &lt;-- down queue &lt;-- [data faults] &lt;-- [protocol handler] &lt;-- database socket
 *                         fast path, no fault, nothing queued: bytes stay where the socket put them
 * </pre>
 *
 * <p>With no fault in effect a read goes to the database socket straight into the driver's
 * array, and the protocol handler only reads it there; a write goes out from the driver's
 * array. What faults delay or hold waits in a queue per direction: the reading thread waits
 * for the downstream one's due time itself; the upstream one is written by the writing
 * thread, or, for data a fault lets go later, by the proxy's loop.
 *
 * <p>Engine work (the protocol handler, the faults' hooks, the queues) runs under the
 * connection's lock, never held while a socket blocks; the proxy's loop takes it to inject,
 * remove and time faults. Effects are real: a reset closes the database socket with
 * {@code SO_LINGER} 0 (the server sees a RST) and the driver's next read or write fails with
 * {@code Connection reset}; a close ends the server's session and the driver reads an end of
 * stream after what was already delivered.
 */
public final class InProcessConnection extends EngineConnection {

	/** Queued bytes above which a writing thread waits for them to leave, and a reader stops reading ahead. */
	static final int HIGH_WATER = Pipe.HIGH_WATER;

	/**
	 * Delayed bytes due later than this are read past: a socket times out in whole
	 * milliseconds, so a nearer due time is waited for exactly instead.
	 */
	private static final long READ_AHEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	/** Held by whoever writes to the database socket, so that bytes leave in order. */
	private final ReentrantLock writing = new ReentrantLock();

	private final Clock clock;

	private final Side up;

	private final Side down;

	private final Socket socket;

	private InputStream input;

	private OutputStream output;

	/** Bytes due to the driver (its receive buffer), oldest first. */
	private final ArrayDeque<ByteBuffer> received = new ArrayDeque<>(2);

	private final List<Chunk> scratch = new ArrayList<>(2);

	private final List<Chunk> scratchToo = new ArrayList<>(2);

	private volatile boolean closed;

	/** Closed abortively: the driver's reads and writes fail as after a RST. */
	private boolean reset;

	/** Closed by the driver itself. */
	private boolean closedByDriver;

	private boolean blackholed;

	/** The database's end of stream was read. */
	private boolean sourceEnded;

	/** The database's end of stream reached the driver. */
	private boolean ended;

	private boolean connected;

	private int socketTimeout = -1;

	/** Whether the up queue may hold something to write: the writer's cue to look at it. */
	private volatile boolean upPending;

	InProcessConnection(ProxyServer server, long id, String client, Socket socket) {
		super(server, id, client);
		this.socket = socket;
		this.clock = server.loop().clock();
		long now = this.clock.nanoTime();
		this.up = new Side(Direction.UPSTREAM, now);
		this.down = new Side(Direction.DOWNSTREAM, now);
	}

	// ---- the driver's side: connect, read, write, close

	/**
	 * Connects to the database, unless a fault stalls the connection (then waits, as a connect
	 * to an unanswering host does) or it was closed meanwhile.
	 * @param endpoint where the driver connects
	 * @param timeoutMillis the driver's connect timeout, 0 for none
	 * @throws IOException as a connect fails
	 */
	public void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
		long deadline = this.clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		this.lock.lock();
		try {
			while (stalledBy() != null && !this.closed) {
				if (timeoutMillis > 0) {
					long left = deadline - this.clock.nanoTime();
					if (left <= 0) {
						end(false);
						throw new SocketTimeoutException("Connect timed out");
					}
					this.changed.awaitNanos(left);
				}
				else {
					this.changed.await();
				}
			}
			if (this.closed) {
				throw new ConnectException("Connection refused");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			end(false);
			throw new SocketException("Interrupted while connecting");
		}
		finally {
			this.lock.unlock();
		}
		try {
			this.socket.connect(endpoint, timeoutMillis);
			this.input = this.socket.getInputStream();
			this.output = this.socket.getOutputStream();
		}
		catch (IOException | RuntimeException ex) {
			this.lock.lock();
			try {
				end(false);
			}
			finally {
				this.lock.unlock();
			}
			throw ex;
		}
		this.lock.lock();
		try {
			this.connected = true;
			if (this.closed) {
				// a fault ended it while it connected
				closeSocket(this.reset);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Reads what is due to the driver, from the database if nothing is, waiting no longer
	 * than the driver's timeout.
	 * @param bytes the driver's array
	 * @param offset where to start
	 * @param length how many bytes at most
	 * @param timeoutMillis the driver's {@code SO_TIMEOUT}, 0 for none
	 * @return how many bytes were read, or -1 at the end of the stream
	 * @throws IOException as a socket read fails
	 */
	public int read(byte[] bytes, int offset, int length, int timeoutMillis) throws IOException {
		if (length == 0) {
			return 0;
		}
		long deadline = (timeoutMillis > 0) ? this.clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
		while (true) {
			long readAheadUntil = 0;
			this.lock.lock();
			try {
				int taken = takeReceived(bytes, offset, length);
				if (taken != 0) {
					return taken;
				}
				if (this.sourceEnded && this.down.queue.isEmpty()) {
					return -1;
				}
				if (!this.down.queue.isEmpty()) {
					Chunk head = this.down.queue.peek();
					long untilDue = head.releaseAt() - this.clock.nanoTime();
					if (head.isHeld() || this.sourceEnded || this.down.queue.bytes() >= HIGH_WATER
							|| untilDue < READ_AHEAD_NANOS) {
						// held by a fault, or due soon: wait for it, as for bytes on their way
						awaitDue(deadline);
						continue;
					}
					// delayed: what the database sends meanwhile is on its way too, and its delay
					// runs from now, as through the relay, which keeps reading
					readAheadUntil = head.releaseAt();
				}
			}
			finally {
				this.lock.unlock();
			}
			byte[] into = (readAheadUntil != 0) ? new byte[length] : bytes;
			int at = (readAheadUntil != 0) ? 0 : offset;
			long until = (readAheadUntil != 0 && (deadline == 0 || readAheadUntil - deadline < 0)) ? readAheadUntil
					: deadline;
			int read;
			try {
				read = readSocket(into, at, length, until);
			}
			catch (SocketTimeoutException ex) {
				if (until != deadline) {
					// the head of the queue is due: deliver it
					continue;
				}
				throw ex;
			}
			catch (IOException ex) {
				this.lock.lock();
				try {
					if (!this.closed) {
						// the database reset or vanished: the driver hears it as a reset
						end(true);
					}
				}
				finally {
					this.lock.unlock();
				}
				continue;
			}
			this.lock.lock();
			try {
				int delivered = received(into, at, read, readAheadUntil == 0);
				if (delivered > 0) {
					return delivered;
				}
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	private int readSocket(byte[] bytes, int offset, int length, long deadline) throws IOException {
		int timeout = 0;
		if (deadline != 0) {
			long left = deadline - this.clock.nanoTime();
			if (left <= 0) {
				throw new SocketTimeoutException("Read timed out");
			}
			timeout = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
		}
		if (timeout != this.socketTimeout) {
			this.socket.setSoTimeout(timeout);
			this.socketTimeout = timeout;
		}
		return this.input.read(bytes, offset, length);
	}

	/**
	 * Passes bytes read from the database through the handler and the faults; what passes
	 * straight on stays in the driver's array, if they were read into it.
	 * @return how many bytes at the start of the array are the driver's now
	 */
	private int received(byte[] bytes, int offset, int read, boolean inPlace) {
		if (read < 0) {
			this.sourceEnded = true;
			if (!this.closed) {
				this.down.forwardMarker(Chunk.Kind.EOF);
			}
			return 0;
		}
		if (this.closed || this.blackholed) {
			return 0;
		}
		server().countBytes(Direction.DOWNSTREAM, read);
		// bytes read ahead are the queue's, never the driver's array's
		this.down.inPlace = inPlace ? bytes : null;
		this.down.inPlaceNext = offset;
		try {
			ByteBuffer data = ByteBuffer.wrap(bytes, offset, read);
			if (protocol() != null) {
				protocol().onData(Direction.DOWNSTREAM, data);
			}
			else {
				this.down.forward(data);
			}
			return this.down.inPlaceNext - offset;
		}
		finally {
			this.down.inPlace = null;
		}
	}

	/**
	 * Moves what is due to the driver and takes from it.
	 * @return how many bytes, -1 at the end of the stream, 0 if none is due
	 */
	private int takeReceived(byte[] bytes, int offset, int length) throws SocketException {
		if (!this.down.queue.isEmpty()) {
			flushDown(this.clock.nanoTime());
		}
		int taken = 0;
		while (taken < length && !this.received.isEmpty()) {
			ByteBuffer head = this.received.peek();
			int count = Math.min(length - taken, head.remaining());
			head.get(bytes, offset + taken, count);
			taken += count;
			if (!head.hasRemaining()) {
				this.received.poll();
			}
		}
		if (taken > 0) {
			return taken;
		}
		if (this.reset) {
			throw new SocketException("Connection reset");
		}
		if (this.closedByDriver) {
			throw new SocketException("Socket closed");
		}
		return (this.closed || this.ended) ? -1 : 0;
	}

	private void awaitDue(long deadline) throws SocketTimeoutException, SocketException {
		Chunk head = this.down.queue.peek();
		long now = this.clock.nanoTime();
		long wait = (head != null && !head.isHeld()) ? head.releaseAt() - now : Long.MAX_VALUE;
		if (deadline != 0) {
			if (deadline - now <= 0) {
				throw new SocketTimeoutException("Read timed out");
			}
			wait = Math.min(wait, deadline - now);
		}
		try {
			if (wait == Long.MAX_VALUE) {
				this.changed.await();
			}
			else if (wait > 0) {
				this.changed.awaitNanos(wait);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SocketException("Interrupted while reading");
		}
	}

	/**
	 * Sends the driver's bytes through the handler and the faults to the database.
	 * @param bytes the driver's array
	 * @param offset where to start
	 * @param length how many bytes
	 * @throws IOException as a socket write fails
	 */
	public void write(byte[] bytes, int offset, int length) throws IOException {
		if (length == 0) {
			return;
		}
		this.writing.lock();
		try {
			int direct;
			this.lock.lock();
			try {
				if (this.reset) {
					throw new SocketException("Connection reset");
				}
				if (this.closedByDriver) {
					throw new SocketException("Socket closed");
				}
				if (this.closed || this.blackholed) {
					// the bytes go nowhere, as to a peer that closed its side
					return;
				}
				server().countBytes(Direction.UPSTREAM, length);
				this.up.inPlace = bytes;
				this.up.inPlaceNext = offset;
				ByteBuffer data = ByteBuffer.wrap(bytes, offset, length);
				if (protocol() != null) {
					protocol().onData(Direction.UPSTREAM, data);
				}
				else {
					this.up.forward(data);
				}
				direct = this.up.inPlaceNext - offset;
			}
			finally {
				this.up.inPlace = null;
				this.lock.unlock();
			}
			if (direct > 0) {
				writeSocket(ByteBuffer.wrap(bytes, offset, direct));
			}
			if (this.upPending) {
				drainUp();
			}
		}
		finally {
			this.writing.unlock();
		}
		if (this.upPending) {
			// queued by another thread while this one wrote
			flushUp();
			awaitUpstreamRoom();
		}
	}

	/**
	 * Writes to the database socket; the caller holds {@link #writing}.
	 */
	private void writeSocket(ByteBuffer data) throws IOException {
		try {
			this.output.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
		}
		catch (IOException ex) {
			this.lock.lock();
			try {
				if (!this.closed) {
					end(true);
				}
				if (this.reset) {
					throw new SocketException("Connection reset");
				}
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	private void awaitUpstreamRoom() throws SocketException {
		if (this.up.queue.bytes() <= HIGH_WATER) {
			return;
		}
		this.lock.lock();
		try {
			while (this.up.queue.bytes() > HIGH_WATER && !this.closed) {
				this.changed.await();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SocketException("Interrupted while writing");
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Sends the database an end of stream after what is already on its way.
	 */
	public void shutdownOutput() {
		this.lock.lock();
		try {
			if (!this.closed) {
				this.up.forwardMarker(Chunk.Kind.EOF);
			}
		}
		finally {
			this.lock.unlock();
		}
		flushUp();
	}

	/**
	 * The driver closes its socket: the database sees the connection end.
	 */
	public void closeByDriver() {
		boolean behindData;
		this.lock.lock();
		try {
			this.closedByDriver = true;
			behindData = !this.closed && this.connected
					&& (server().chunkFaults().length > 0 || !this.up.queue.isEmpty());
			if (behindData) {
				// the end of stream goes behind what faults delay, and they may delay it too
				// (slow-close), as a FIN does through the relay; the connection ends as it passes
				this.up.forwardMarker(Chunk.Kind.EOF);
			}
			else {
				end(false);
			}
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		if (behindData) {
			flushUp();
		}
	}

	/**
	 * Returns how many bytes the driver can read without blocking, as far as known.
	 * @return the count
	 * @throws IOException as the socket's count fails
	 */
	public int available() throws IOException {
		this.lock.lock();
		try {
			int count = 0;
			for (ByteBuffer each : this.received) {
				count += each.remaining();
			}
			if (count > 0 || this.closed || !this.connected) {
				return count;
			}
			if (!this.down.queue.isEmpty() || server().chunkFaults().length > 0) {
				return 0;
			}
		}
		finally {
			this.lock.unlock();
		}
		return this.input.available();
	}

	// ---- the engine's side

	@Override
	public Side pipe(Direction direction) {
		return (direction == Direction.UPSTREAM) ? this.up : this.down;
	}

	@Override
	public boolean isClosed() {
		return this.closed;
	}

	@Override
	public boolean guarded(BooleanSupplier work) {
		this.lock.lock();
		try {
			return work.getAsBoolean();
		}
		finally {
			this.lock.unlock();
			flushUpSoon();
		}
	}

	/**
	 * Writes what fell due upstream: here, unless this is the proxy's loop, which must not
	 * block in a write.
	 */
	private void flushUpSoon() {
		if (!this.upPending) {
			return;
		}
		if (server().loop().inLoop()) {
			server().writeUpstream(this::flushUp);
		}
		else {
			flushUp();
		}
	}

	@Override
	public boolean resumeIfStalledBy(FaultContext fault) {
		return guarded(() -> {
			if (!unstall(fault)) {
				return false;
			}
			this.changed.signalAll();
			return true;
		});
	}

	@Override
	public void reset() {
		guard(() -> end(true));
	}

	@Override
	public void close() {
		guard(() -> end(false));
	}

	@Override
	public void terminate() {
		if (protocol() == null || !protocol().terminate()) {
			close();
		}
	}

	/**
	 * Drops everything this connection carries from now on, both ways, while the database
	 * socket stays open until a peer closes it.
	 */
	private void blackhole() {
		this.blackholed = true;
		this.up.queue.discardData();
		this.down.queue.discardData();
	}

	@Override
	public Cancellable schedule(long delayNanos, Runnable action) {
		Scheduled scheduled = new Scheduled(action);
		long deadline = this.clock.nanoTime() + delayNanos;
		EventLoop loop = server().loop();
		if (loop.inLoop()) {
			scheduled.timer = loop.schedule(deadline, scheduled);
		}
		else {
			loop.execute(() -> {
				if (!scheduled.cancelled) {
					scheduled.timer = loop.schedule(deadline, scheduled);
				}
			});
		}
		return scheduled;
	}

	private void end(boolean abortive) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.reset = abortive;
		if (abortive) {
			// a RST takes what the driver had not read yet with it
			this.received.clear();
		}
		this.up.queue.clear();
		this.down.queue.clear();
		closeSocket(abortive && this.connected);
		unmarkOpaque();
		if (protocol() != null) {
			protocol().closed();
		}
		this.changed.signalAll();
		EventLoop loop = server().loop();
		if (loop.inLoop()) {
			server().linkClosed(this);
		}
		else {
			loop.execute(() -> server().linkClosed(this));
		}
	}

	private void closeSocket(boolean abortive) {
		try {
			if (abortive) {
				this.socket.setSoLinger(true, 0);
			}
		}
		catch (IOException ex) {
			// not connected: a plain close is all there is
		}
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing is all we wanted
		}
	}

	@Override
	void releaseHeld(Object holder, boolean delays) {
		long now = this.clock.nanoTime();
		this.up.queue.releaseHeld(holder, delays, now);
		this.down.queue.releaseHeld(holder, delays, now);
		flushDown(now);
	}

	@Override
	void forgetFlowState(StateKey<?> key) {
		this.up.states.remove(key);
		this.down.states.remove(key);
	}

	/**
	 * Delivers what is due downstream to the driver, acting on markers as they come; under
	 * the lock.
	 */
	private void flushDown(long now) {
		ChunkQueue queue = this.down.queue;
		while (!queue.isEmpty() && !this.closed) {
			Chunk chunk = queue.peek();
			if (chunk.isHeld()) {
				break;
			}
			if (chunk.releaseAt() - now > 0) {
				this.down.armRelease(chunk.releaseAt());
				break;
			}
			queue.poll();
			if (chunk.isData()) {
				this.received.add(chunk.data());
			}
			else {
				marker(chunk.kind(), Direction.DOWNSTREAM);
			}
		}
		this.changed.signalAll();
	}

	/**
	 * Writes what is due upstream to the database, if no other thread is writing (that one
	 * writes it when it is done).
	 */
	private void flushUp() {
		if (this.writing.isHeldByCurrentThread() || this.lock.isHeldByCurrentThread()) {
			// this thread is writing, or in the middle of engine work: it flushes when done
			return;
		}
		while (this.upPending && !this.closed) {
			if (!this.writing.tryLock()) {
				return;
			}
			try {
				drainUp();
			}
			catch (IOException ex) {
				// the connection is reset; the driver hears it at its next read or write
			}
			finally {
				this.writing.unlock();
			}
			if (!this.up.hasDue()) {
				// what is left waits for its time (its release is armed) or for its holder
				return;
			}
		}
	}

	/**
	 * Writes what is due upstream; the caller holds {@link #writing}.
	 */
	private void drainUp() throws IOException {
		while (true) {
			ByteBuffer data;
			this.lock.lock();
			try {
				ChunkQueue queue = this.up.queue;
				if (this.closed || queue.isEmpty()) {
					this.upPending = false;
					return;
				}
				Chunk chunk = queue.peek();
				if (chunk.isHeld()) {
					return;
				}
				if (chunk.releaseAt() - this.clock.nanoTime() > 0) {
					this.up.armRelease(chunk.releaseAt());
					return;
				}
				queue.poll();
				this.changed.signalAll();
				if (!chunk.isData()) {
					marker(chunk.kind(), Direction.UPSTREAM);
					continue;
				}
				data = chunk.data();
			}
			finally {
				this.lock.unlock();
			}
			writeSocket(data);
		}
	}

	private void marker(Chunk.Kind kind, Direction direction) {
		switch (kind) {
			case EOF -> {
				if (direction == Direction.DOWNSTREAM) {
					this.ended = true;
				}
				else if (this.closedByDriver) {
					end(false);
				}
				else if (this.connected) {
					try {
						this.socket.shutdownOutput();
					}
					catch (IOException ex) {
						end(true);
					}
				}
			}
			case CLOSE -> end(false);
			case RESET -> end(true);
			case BLACKHOLE -> blackhole();
			default -> throw new IllegalStateException("Not a marker: " + kind);
		}
	}

	@Override
	public String toString() {
		return "in-process connection " + id() + (this.closed ? " (closed)" : "");
	}

	/**
	 * One direction: where the handler sends bytes on, through the data faults.
	 */
	public final class Side implements DataPath {

		private final Direction direction;

		private final FaultStates states = new FaultStates();

		final ChunkQueue queue;

		/**
		 * The driver's array whose bytes pass the handler in place, while they do: the one a
		 * write comes from, or the one a read fills.
		 */
		byte[] inPlace;

		/** Where the next byte passing in place must be. */
		int inPlaceNext;

		private long armedAt;

		private boolean armed;

		Side(Direction direction, long now) {
			this.direction = direction;
			this.queue = new ChunkQueue(now);
		}

		@Override
		public Direction direction() {
			return this.direction;
		}

		@Override
		public InProcessConnection connection() {
			return InProcessConnection.this;
		}

		@Override
		public FaultStates states() {
			return this.states;
		}

		@Override
		public void forward(ByteBuffer data) {
			if (!data.hasRemaining()) {
				return;
			}
			if (InProcessConnection.this.closed || InProcessConnection.this.blackholed) {
				data.position(data.limit());
				return;
			}
			FaultUnit.DataHandling[] faults = server().chunkFaults();
			if (faults.length == 0 && this.queue.isEmpty() && passesInPlace(data)) {
				return;
			}
			long now = InProcessConnection.this.clock.nanoTime();
			this.queue.pass(faults, this, Chunk.copyOf(data, now), now, InProcessConnection.this.scratch,
					InProcessConnection.this.scratchToo);
			afterQueued(now);
		}

		@Override
		public void forwardMarker(Chunk.Kind kind) {
			if (InProcessConnection.this.closed) {
				return;
			}
			long now = InProcessConnection.this.clock.nanoTime();
			this.queue.pass(server().chunkFaults(), this, Chunk.marker(kind, now), now,
					InProcessConnection.this.scratch, InProcessConnection.this.scratchToo);
			afterQueued(now);
		}

		/**
		 * Lets bytes that are still where the socket or the driver put them count as passed.
		 */
		private boolean passesInPlace(ByteBuffer data) {
			// downstream, bytes already due to the driver go first
			if (this.inPlace == null || !data.hasArray() || data.array() != this.inPlace
					|| data.arrayOffset() + data.position() != this.inPlaceNext
					|| (this.direction == Direction.DOWNSTREAM && !InProcessConnection.this.received.isEmpty())) {
				return false;
			}
			this.inPlaceNext += data.remaining();
			data.position(data.limit());
			return true;
		}

		private void afterQueued(long now) {
			if (this.direction == Direction.DOWNSTREAM) {
				flushDown(now);
				return;
			}
			InProcessConnection.this.upPending = true;
			if (!InProcessConnection.this.writing.isHeldByCurrentThread()) {
				// this thread holds the lock: a writer thread writes it, unless the driver's is at it
				server().writeUpstream(InProcessConnection.this::flushUp);
			}
		}

		boolean hasDue() {
			InProcessConnection.this.lock.lock();
			try {
				Chunk head = this.queue.peek();
				return head != null && !head.isHeld()
						&& head.releaseAt() - InProcessConnection.this.clock.nanoTime() <= 0;
			}
			finally {
				InProcessConnection.this.lock.unlock();
			}
		}

		/**
		 * Has the loop look at this direction again when its head falls due.
		 */
		void armRelease(long at) {
			if (this.armed && this.armedAt == at) {
				return;
			}
			this.armed = true;
			this.armedAt = at;
			EventLoop loop = server().loop();
			Runnable release = () -> {
				if (this.direction == Direction.DOWNSTREAM) {
					guard(() -> {
						this.armed = false;
						flushDown(InProcessConnection.this.clock.nanoTime());
					});
				}
				else {
					// the guard writes what fell due once it lets go of the lock
					guard(() -> this.armed = false);
				}
			};
			if (loop.inLoop()) {
				loop.schedule(at, release);
			}
			else {
				loop.execute(() -> loop.schedule(at, release));
			}
		}

	}

	/**
	 * An action a fault scheduled on this connection, run on the loop under its lock.
	 */
	private final class Scheduled implements Runnable, Cancellable {

		private final Runnable action;

		private volatile boolean cancelled;

		private volatile Timer timer;

		Scheduled(Runnable action) {
			this.action = action;
		}

		@Override
		public void run() {
			guard(() -> {
				if (!this.cancelled && !InProcessConnection.this.closed) {
					this.action.run();
				}
			});
		}

		@Override
		public void cancel() {
			this.cancelled = true;
			Timer scheduled = this.timer;
			if (scheduled != null && server().loop().inLoop()) {
				scheduled.cancel();
			}
		}

	}

}
