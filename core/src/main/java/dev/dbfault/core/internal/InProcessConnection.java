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
 * between. The same protocol handler, fault units and {@link DelayLine} as a {@link Link}'s
 * see every byte.
 *
 * <pre>
 *  driver thread --write--&gt; [protocol handler] --&gt; [data faults] --&gt; up line   --&gt; database socket
 *                                                                     (due now: the writing thread;
 *                                                                      due later: the releaser)
 *  driver thread &lt;--read--  received &lt;-- down line &lt;-- [data faults] &lt;-- [protocol handler] &lt;-- database socket
 *                         fast path, no fault, nothing queued: bytes stay where the socket put them
 * </pre>
 *
 * <p>With no fault in effect a read goes from the database socket straight into the driver's
 * array, and the protocol handler only reads it there; a write goes out from the driver's
 * array. What faults delay or hold waits in a delay line per direction, and each line has one
 * thread that waits for its head: downstream the reading thread itself, upstream the
 * connection's releaser, a thread of the proxy that runs while the line holds anything due
 * later (bytes due at once are written by the writing thread). Both wait on
 * {@link #changed}, which a fault's removal and the connection's end signal, so a heal lets
 * a held query go at once.
 *
 * <p>Locks: engine work (the protocol handler, the faults' hooks, the lines) runs under
 * {@link #lock}, never held while a socket blocks; the proxy's loop takes it to inject,
 * remove and time faults. {@link #writing} is held by whoever writes to the database socket,
 * so that bytes leave in order; it is always taken before {@link #lock}, never while holding
 * it. Effects are real: a reset closes the database socket with {@code SO_LINGER} 0 (the
 * server sees a RST) and the driver's next read or write fails with
 * {@code Connection reset}; a close ends the server's session and the driver reads an end of
 * stream after what was already delivered.
 *
 * <p>Why this file is long: one lock guards all of it. The driver's reads and writes, the
 * releaser, the two delay lines' waits and the engine's hooks change the same state under
 * that lock, and the order in which they take it and {@link #writing} is what keeps bytes in
 * order; kept in one class, that order can be read and checked in one place.
 */
public final class InProcessConnection extends EngineConnection {

	/** Queued bytes above which a writing thread waits for them to leave, and a reader stops reading ahead. */
	static final int HIGH_WATER = Pipe.HIGH_WATER;

	/**
	 * Delayed bytes due later than this are read past: a socket times out in whole
	 * milliseconds, so a nearer due time is waited for exactly instead.
	 */
	private static final long READ_AHEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	/**
	 * A thread reading ahead blocks in the socket, where a fault's removal cannot wake it: it
	 * reads for at most this long before it looks at the line again.
	 */
	private static final long READ_AHEAD_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final ReentrantLock lock = new ReentrantLock();

	/** Signalled whenever a line, the received bytes or the connection's state changed. */
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
	private final ArrayDeque<Chunk> received = new ArrayDeque<>(2);

	private final DelayLine.Sink receiving = this::receive;

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

	/** Whether the releaser runs (it writes what falls due upstream later). */
	private boolean releasing;

	/** Whether the loop will deliver the down line's head, and when. */
	private boolean downArmed;

	private long downArmedAt;

	private int socketTimeout = -1;

	/** Whether the up line may hold something: the writing thread's cue to look at it. */
	private volatile boolean upPending;

	InProcessConnection(ProxyServer server, long id, String client, Socket socket) {
		super(server, id, client);
		this.socket = socket;
		this.clock = server.loop().clock();
		this.up = new Side(Direction.UPSTREAM);
		this.down = new Side(Direction.DOWNSTREAM);
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
				DelayLine line = this.down.line;
				if (this.sourceEnded && line.isEmpty()) {
					return -1;
				}
				if (!line.isEmpty()) {
					Chunk head = line.peek();
					long untilDue = head.releaseAt() - this.clock.nanoTime();
					if (head.isHeld() || this.sourceEnded || line.bytes() >= HIGH_WATER || untilDue < READ_AHEAD_NANOS) {
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
			boolean ahead = readAheadUntil != 0;
			byte[] into = ahead ? new byte[length] : bytes;
			int at = ahead ? 0 : offset;
			long until = deadline;
			if (ahead) {
				until = Math.min(readAheadUntil, this.clock.nanoTime() + READ_AHEAD_SLICE_NANOS);
				if (deadline != 0 && deadline - until <= 0) {
					until = deadline;
				}
			}
			int read;
			try {
				read = readSocket(into, at, length, until);
			}
			catch (SocketTimeoutException ex) {
				if (until != deadline) {
					// the head is due, or a removal may have made it so: look again
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
				int delivered = received(into, at, read, !ahead);
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
		// bytes read ahead are the line's, never the driver's array's
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
		if (!this.down.line.isEmpty()) {
			flushDown(this.clock.nanoTime());
		}
		int taken = 0;
		while (taken < length && !this.received.isEmpty()) {
			Chunk head = this.received.peek();
			int piece = head.pieceSize();
			int count = Math.min(length - taken, piece);
			System.arraycopy(head.array(), head.offset(), bytes, offset + taken, count);
			head.consumed(count);
			taken += count;
			if (head.size() == 0) {
				this.received.poll();
			}
			if (head.isCut()) {
				// the pieces of a cut chunk reach the driver one read at a time, as segments do
				break;
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

	/**
	 * Waits for the down line's head to fall due, for a change (a fault removed, the
	 * connection ended), or for the driver's deadline; under the lock.
	 */
	private void awaitDue(long deadline) throws SocketTimeoutException, SocketException {
		Chunk head = this.down.line.peek();
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
				if (!this.down.line.isEmpty()) {
					// a close or reset already due downstream ends the connection before this goes
					flushDown(this.clock.nanoTime());
				}
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
				writeSocket(bytes, offset, direct);
			}
			if (this.upPending) {
				drainUp();
			}
		}
		finally {
			this.writing.unlock();
		}
		awaitUpstreamRoom();
	}

	/**
	 * Writes to the database socket; the caller holds {@link #writing}.
	 */
	private void writeSocket(byte[] bytes, int offset, int length) throws IOException {
		try {
			this.output.write(bytes, offset, length);
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

	/**
	 * Writes what is due upstream, and leaves what is due later to the releaser; the caller
	 * holds {@link #writing}.
	 */
	private void drainUp() throws IOException {
		while (true) {
			Chunk chunk;
			this.lock.lock();
			try {
				DelayLine line = this.up.line;
				if (this.closed || line.isEmpty()) {
					this.upPending = false;
					return;
				}
				if (!line.isDue(this.clock.nanoTime())) {
					startReleaser();
					return;
				}
				chunk = line.poll();
				// a writer waiting for room may go on
				this.changed.signalAll();
				if (!chunk.isData()) {
					marker(chunk.kind(), Direction.UPSTREAM);
					continue;
				}
			}
			finally {
				this.lock.unlock();
			}
			while (chunk.size() > 0) {
				// a chunk a fault cut goes piece by piece, each in a write of its own
				int piece = chunk.pieceSize();
				writeSocket(chunk.array(), chunk.offset(), piece);
				chunk.consumed(piece);
			}
		}
	}

	/**
	 * Has the releaser write what the up line holds, unless it runs already; under the lock.
	 */
	private void startReleaser() {
		if (!this.releasing && !this.closed && !this.up.line.isEmpty()) {
			this.releasing = true;
			if (!server().writeUpstream(this::release)) {
				this.releasing = false;
			}
		}
	}

	/**
	 * The releaser: waits for the up line's head to fall due, or to be let go by its
	 * holder's removal, writes it, and ends once the line is empty or the connection closed.
	 */
	private void release() {
		try {
			releaseWhileQueued();
		}
		catch (Throwable ex) {
			// what a fault's work threw here ends this connection, as on the relay
			this.lock.lock();
			try {
				this.releasing = false;
				end(true);
			}
			finally {
				this.lock.unlock();
			}
			LoopErrors.survive(ex, "releaser of an in-process connection");
		}
	}

	private void releaseWhileQueued() {
		while (true) {
			this.lock.lock();
			try {
				while (true) {
					DelayLine line = this.up.line;
					if (this.closed || line.isEmpty()) {
						this.releasing = false;
						return;
					}
					long now = this.clock.nanoTime();
					if (line.isDue(now)) {
						break;
					}
					if (line.waitsForTime()) {
						this.changed.awaitNanos(line.peek().releaseAt() - now);
					}
					else {
						this.changed.await();
					}
				}
			}
			catch (InterruptedException ex) {
				// the proxy stopped: its connections are closed with it
				this.releasing = false;
				return;
			}
			finally {
				this.lock.unlock();
			}
			this.writing.lock();
			try {
				drainUp();
			}
			catch (IOException ex) {
				// the connection is reset; the driver hears it at its next read or write
			}
			finally {
				this.writing.unlock();
			}
		}
	}

	private void awaitUpstreamRoom() throws SocketException {
		if (!this.upPending) {
			return;
		}
		this.lock.lock();
		try {
			while (this.up.line.bytes() > HIGH_WATER && !this.closed) {
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
	}

	/**
	 * The driver closes its socket: the database sees the connection end.
	 */
	public void closeByDriver() {
		this.lock.lock();
		try {
			this.closedByDriver = true;
			if (!this.closed && this.connected && (server().chunkFaults().length > 0 || !this.up.line.isEmpty())) {
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
	}

	/**
	 * Returns how many bytes the driver can read without blocking, as far as known.
	 * @return the count
	 * @throws IOException as the socket's count fails
	 */
	public int available() throws IOException {
		this.lock.lock();
		try {
			if (!this.down.line.isEmpty()) {
				flushDown(this.clock.nanoTime());
			}
			int count = 0;
			for (Chunk each : this.received) {
				count += each.size();
			}
			if (count > 0 || this.closed || !this.connected) {
				return count;
			}
			if (!this.down.line.isEmpty() || server().chunkFaults().length > 0) {
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
	public boolean hasTurn() {
		return this.lock.isHeldByCurrentThread();
	}

	@Override
	public boolean guarded(BooleanSupplier work) {
		this.lock.lock();
		try {
			return work.getAsBoolean();
		}
		finally {
			this.lock.unlock();
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
		this.up.line.discardData();
		this.down.line.discardData();
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
		this.up.line.clear();
		this.down.line.clear();
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
	void faultRemoved(Object fault, boolean keepDelays) {
		boolean upChanged = this.up.line.removeFault(fault, keepDelays);
		if (this.down.line.removeFault(fault, keepDelays)) {
			flushDown(this.clock.nanoTime());
		}
		if (upChanged) {
			// the releaser waits for the head's old due time: it looks again
			this.changed.signalAll();
		}
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
		if (!this.closed && this.down.line.drain(now, this.receiving) && this.down.line.waitsForTime()) {
			armDown(this.down.line.peek().releaseAt());
		}
		this.changed.signalAll();
	}

	/**
	 * Has the loop deliver the down line's head when it falls due, for when the driver is not
	 * reading: a marker there (a close, a reset) must act on time, as through the relay.
	 */
	private void armDown(long at) {
		if (this.downArmed && this.downArmedAt == at) {
			return;
		}
		this.downArmed = true;
		this.downArmedAt = at;
		EventLoop loop = server().loop();
		Runnable due = () -> guard(() -> {
			if (this.downArmedAt == at) {
				this.downArmed = false;
			}
			flushDown(this.clock.nanoTime());
		});
		if (loop.inLoop()) {
			loop.schedule(at, due);
		}
		else {
			loop.execute(() -> loop.schedule(at, due));
		}
	}

	/**
	 * Takes a due chunk off the down line: bytes join what the driver reads, markers act.
	 * @return whether the next one may come too
	 */
	private boolean receive(Chunk chunk) {
		if (chunk.isData()) {
			this.received.add(chunk);
			return true;
		}
		marker(chunk.kind(), Direction.DOWNSTREAM);
		return !this.closed;
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

		final DelayLine line;

		/**
		 * The driver's array whose bytes pass the handler in place, while they do: the one a
		 * write comes from, or the one a read fills.
		 */
		byte[] inPlace;

		/** Where the next byte passing in place must be. */
		int inPlaceNext;

		Side(Direction direction) {
			this.direction = direction;
			this.line = new DelayLine(InProcessConnection.this::hasTurn);
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
			if (faults.length == 0 && this.line.isEmpty() && passesInPlace(data)) {
				return;
			}
			long now = InProcessConnection.this.clock.nanoTime();
			this.line.pass(faults, this, Chunk.copyOf(data, now), now, InProcessConnection.this.scratch,
					InProcessConnection.this.scratchToo);
			afterQueued(now);
		}

		@Override
		public void forwardMarker(Chunk.Kind kind) {
			if (InProcessConnection.this.closed) {
				return;
			}
			long now = InProcessConnection.this.clock.nanoTime();
			this.line.pass(server().chunkFaults(), this, Chunk.marker(kind, now), now,
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
				// queued by the loop or another connection (a statement let go, a cancel): no
				// writing thread will look at the line, the releaser does
				startReleaser();
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
