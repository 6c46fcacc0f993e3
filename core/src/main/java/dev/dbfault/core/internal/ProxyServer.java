package dev.dbfault.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import dev.dbfault.core.fault.ActiveFault.Removal;
import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.JournalEntry;
import dev.dbfault.core.internal.fault.Chunk;
import dev.dbfault.core.internal.fault.Clock;
import dev.dbfault.core.internal.fault.ConnectionIdentity;
import dev.dbfault.core.internal.fault.FaultUnit;
import dev.dbfault.core.internal.fault.FaultUnit.Admission;

/**
 * The running proxy: a listening socket, the live {@link Link}s and the faults, all owned by
 * one {@link EventLoop}. Public methods may be called from any thread: they hand their work
 * to the loop and wait for it (briefly: the loop never blocks). Counters are readable from
 * any thread.
 */
public final class ProxyServer {

	/** How long a caller waits for the loop; the loop does no blocking work, so far more than enough. */
	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

	/** How many fired events a proxy's journal keeps unless configured. */
	public static final int DEFAULT_JOURNAL_SIZE = 1000;

	private final String name;

	private final InetSocketAddress upstream;

	private final Function<EngineConnection, ProtocolHandler> protocols;

	private final ProxyEvents events;

	private final EventLoop loop;

	private final FaultRegistry registry;

	private final Set<EngineConnection> links = new LinkedHashSet<>();

	private final ListenSocket listenSocket;

	private final List<List<Chunk>> scratch = List.of(new ArrayList<>(), new ArrayList<>());

	private final AtomicInteger liveConnections = new AtomicInteger();

	private final AtomicLong totalConnections = new AtomicLong();

	private final LongAdder bytesUpstream = new LongAdder();

	private final LongAdder bytesDownstream = new LongAdder();

	private final AtomicInteger encryptedConnections = new AtomicInteger();

	/** Numbers the connections of both transports, in the order they arrive. */
	private final AtomicLong linkSequence = new AtomicLong();

	/** The last events faults fired on; replaced only before start. */
	private Journal journal = new Journal(DEFAULT_JOURNAL_SIZE);

	private final UpstreamWriters upstreamWriters;

	/**
	 * Creates a proxy server; nothing is bound until {@link #start}.
	 * @param name the proxy's name, for threads and logs
	 * @param upstream where connections go
	 * @param maxFaultDuration the longest any fault may stay
	 * @param busyPoll how long its loop polls the sockets before it blocks
	 * @param protocols creates each connection's protocol handler, or returns {@code null}
	 * @param events hears about faults
	 */
	public ProxyServer(String name, InetSocketAddress upstream, Duration maxFaultDuration, Duration busyPoll,
			Function<EngineConnection, ProtocolHandler> protocols, ProxyEvents events) {
		this(name, upstream, maxFaultDuration, busyPoll, protocols, events, Clock.SYSTEM);
	}

	/**
	 * Creates a proxy server whose loop reads the time from the given clock, as
	 * {@link EventLoop#EventLoop(String, Duration, Clock)} does.
	 * @param name the proxy's name, for threads and logs
	 * @param upstream where connections go
	 * @param maxFaultDuration the longest any fault may stay
	 * @param busyPoll how long its loop polls the sockets before it blocks
	 * @param protocols creates each connection's protocol handler, or returns {@code null}
	 * @param events hears about faults
	 * @param clock the clock every deadline is read on
	 */
	public ProxyServer(String name, InetSocketAddress upstream, Duration maxFaultDuration, Duration busyPoll,
			Function<EngineConnection, ProtocolHandler> protocols, ProxyEvents events, Clock clock) {
		this.name = name;
		this.upstream = upstream;
		this.protocols = protocols;
		this.events = events;
		this.loop = new EventLoop("dbfault-proxy-" + name, busyPoll, clock);
		this.listenSocket = new ListenSocket(name, this.loop, this::accept);
		this.loop.onFailure(this::failed);
		this.upstreamWriters = new UpstreamWriters(name);
		this.registry = new FaultRegistry(this, maxFaultDuration, events);
	}

	/**
	 * Binds the listening socket (on the calling thread, so a busy port fails here) and starts
	 * the loop.
	 * @param bind the address to listen on; port 0 picks a free one
	 * @return the address actually bound
	 * @throws UncheckedIOException if the address cannot be bound
	 */
	public InetSocketAddress start(InetSocketAddress bind) {
		InetSocketAddress bound = this.listenSocket.bind(bind);
		this.loop.start();
		return bound;
	}

	/**
	 * Stops: closes the listening socket and every connection, removes the faults, ends the
	 * loop, and waits for its thread.
	 * @param timeout how long to wait for the thread at most
	 * @return whether the thread ended in time
	 */
	public boolean stop(Duration timeout) {
		if (!this.loop.isRunning()) {
			return this.loop.awaitTermination(timeout);
		}
		this.loop.stop(() -> {
			try {
				this.registry.removeAll(Removal.STOPPED);
			}
			catch (Throwable ex) {
				LoopErrors.survive(ex, "removal of the faults as the proxy stops");
			}
			this.listenSocket.closeForGood();
			for (EngineConnection link : new ArrayList<>(this.links)) {
				link.guard(link::close);
			}
			this.loop.releaseClosedChannels();
		});
		boolean ended = this.loop.awaitTermination(timeout);
		this.upstreamWriters.stop(false);
		return ended;
	}

	public String name() {
		return this.name;
	}

	/**
	 * Sets how many fired events the journal keeps (0 keeps none); before {@link #start}.
	 * @param size the number of entries
	 */
	public void journalSize(int size) {
		this.journal = new Journal(size);
	}

	/**
	 * Returns the journal's entries, oldest first, as {@link Journal#read} does.
	 * @param faultId only this fault's, or {@code null}
	 * @param afterSequence only those numbered above this
	 * @param from only those at or after this time, or {@code null}
	 * @param limit at most this many, the oldest that match
	 * @return the entries
	 */
	public List<JournalEntry> journal(String faultId, long afterSequence, Instant from, int limit) {
		return this.journal.read(faultId, afterSequence, from, limit);
	}

	/**
	 * Returns the number the next journal entry will have.
	 * @return the sequence number
	 */
	public long nextJournalSequence() {
		return this.journal.nextSequence();
	}

	/**
	 * Returns how many entries the journal keeps.
	 * @return its size
	 */
	public int journalSize() {
		return this.journal.size();
	}

	public EventLoop loop() {
		return this.loop;
	}

	public InetSocketAddress upstreamAddress() {
		return this.upstream;
	}

	public InetSocketAddress listenAddress() {
		return this.listenSocket.address();
	}

	public boolean isRunning() {
		return this.loop.isRunning();
	}

	/**
	 * Returns the error that stopped the proxy, if one did.
	 * @return the error, or {@code null}
	 */
	public Throwable failure() {
		return this.loop.failure();
	}

	/**
	 * The loop hit an error it could not survive and ends: nothing may be left half-served,
	 * so the listening socket and every connection close (reset: the peers must not take the
	 * end for an orderly one). On the loop's thread, as it ends.
	 */
	private void failed(Throwable cause) {
		try {
			this.listenSocket.closeForGood();
		}
		catch (Throwable ex) {
			cause.addSuppressed(ex);
		}
		try {
			for (EngineConnection link : new ArrayList<>(this.links)) {
				try {
					link.guard(link::reset);
				}
				catch (Throwable ex) {
					cause.addSuppressed(ex);
				}
			}
		}
		catch (Throwable ex) {
			cause.addSuppressed(ex);
		}
		this.upstreamWriters.stop(true);
	}

	/**
	 * Returns whether the listening socket is open (it is closed while a plain
	 * {@code refuse} or {@code down} is active).
	 * @return whether new connections are accepted
	 */
	public boolean isListening() {
		return this.listenSocket.isListening();
	}

	/**
	 * Returns the proxy's counters at one moment.
	 * @return the counters
	 */
	public Counters counters() {
		return new Counters(this.liveConnections.get(), this.totalConnections.get(), this.bytesUpstream.sum(),
				this.bytesDownstream.sum(), this.encryptedConnections.get());
	}

	/**
	 * A proxy's counters at one moment.
	 *
	 * @param live connections open now
	 * @param total connections accepted since start
	 * @param bytesUpstream bytes read from the application
	 * @param bytesDownstream bytes read from the database
	 * @param encrypted live connections relayed encrypted (unread)
	 */
	public record Counters(int live, long total, long bytesUpstream, long bytesDownstream, int encrypted) {
	}

	/**
	 * Returns the backend process ids of the live connections that have one.
	 * @return the ids, oldest connection first
	 */
	public List<Integer> backendPids() {
		return this.loop.call(() -> {
			List<Integer> pids = new ArrayList<>();
			for (EngineConnection link : this.links) {
				int pid = link.identity().backendPid();
				if (pid != 0) {
					pids.add(pid);
				}
			}
			return pids;
		}, CALL_TIMEOUT);
	}

	/**
	 * Returns the proxy's faults.
	 * @return the registry
	 */
	public FaultRegistry registry() {
		return this.registry;
	}

	/**
	 * Returns the faults that act on SQL statements, in injection order; any thread.
	 * @return the faults, never {@code null}
	 */
	public FaultUnit.StatementHandling[] statementFaults() {
		return this.registry.statementFaults();
	}

	/**
	 * Returns the faults that look at data, in injection order; any thread.
	 * @return the faults, never {@code null}
	 */
	FaultUnit.DataHandling[] chunkFaults() {
		return this.registry.chunkFaults();
	}

	void encryptedConnections(int change) {
		this.encryptedConnections.addAndGet(change);
	}

	/**
	 * Returns a copy of the live connections, safe to iterate while closing them; loop only.
	 * @return the connections, oldest first
	 */
	public List<EngineConnection> liveLinks() {
		assert this.loop.inLoop() : "the live connections read off the proxy's loop";
		return (this.links.isEmpty()) ? Collections.emptyList() : new ArrayList<>(this.links);
	}

	List<Chunk> scratch(int index) {
		assert this.loop.inLoop() : "the loop's scratch lists used off the loop";
		return this.scratch.get(index);
	}

	/**
	 * Journals a firing and tells the listeners.
	 * @param sameAs the entry a firing of the same flow went to last, which this one joins
	 * while it is recent; 0 for none
	 * @return the entry it went to (0 when the journal keeps nothing)
	 */
	long fired(RegisteredFault fault, long count, ConnectionIdentity connection, Direction direction, String sql,
			long sameAs) {
		JournalEntry.Connection who = connection.describe();
		long entry = (sameAs > 0 && this.journal.repeat(sameAs, who)) ? sameAs
				: this.journal.add(fault, count, who, direction, sql);
		this.events.fired(fault);
		return entry;
	}

	/**
	 * Tells the faults that who a connection is became known or changed (it logged in, or
	 * its {@code application_name} changed), so that those aimed at it meet it. On the
	 * connection's own turn (the loop, or an in-process connection's lock).
	 */
	void identified(EngineConnection link) {
		for (RegisteredFault fault : this.registry.inEffect()) {
			if (link.isClosed()) {
				return;
			}
			fault.identified(link);
		}
	}

	void countBytes(Direction direction, int count) {
		((direction == Direction.UPSTREAM) ? this.bytesUpstream : this.bytesDownstream).add(count);
	}

	private void accept(SocketChannel channel) {
		Link link = null;
		try {
			link = admitAccepted(channel);
		}
		catch (Throwable ex) {
			// what a fault's admit or attach threw ends this connection, not the loop
			if (link != null) {
				link.reset();
			}
			else {
				refuse(channel);
			}
			LoopErrors.survive(ex, "admission of a connection");
		}
	}

	private Link admitAccepted(SocketChannel channel) {
		this.totalConnections.incrementAndGet();
		Link link = new Link(this, this.linkSequence.incrementAndGet(), channel);
		try {
			channel.configureBlocking(false);
			channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
		}
		catch (IOException ex) {
			ListenSocket.closeQuietly(channel);
			return null;
		}
		if (!admit(link)) {
			refuse(channel);
			return null;
		}
		try {
			link.register();
		}
		catch (IOException ex) {
			link.reset();
			return link;
		}
		attachAll(link);
		if (!link.isClosed() && link.stalledBy() == null) {
			link.connect();
		}
		return link;
	}

	/**
	 * Lets the faults decide about a new connection and, unless one refuses it, makes it a
	 * live one with its protocol handler; loop only.
	 * @return whether it was admitted (it may be stalled)
	 */
	private boolean admit(EngineConnection link) {
		assert this.loop.inLoop() : "a connection admitted off the proxy's loop";
		for (RegisteredFault fault : this.registry.inEffect()) {
			Admission admission = fault.admit(link);
			if (admission == Admission.REFUSE) {
				return false;
			}
			if (admission == Admission.STALL && link.stalledBy() == null) {
				link.stall(fault);
			}
		}
		this.links.add(link);
		this.liveConnections.incrementAndGet();
		if (this.protocols != null) {
			link.protocol(this.protocols.apply(link));
		}
		return true;
	}

	/**
	 * Lets every fault meet a new connection; loop only.
	 */
	private void attachAll(EngineConnection link) {
		assert this.loop.inLoop() : "faults attached off the proxy's loop";
		for (RegisteredFault fault : this.registry.inEffect()) {
			if (link.isClosed()) {
				return;
			}
			link.guard(() -> fault.attach(link));
		}
	}

	/**
	 * Runs a blocking write of an in-process connection off the loop: upstream bytes a fault
	 * delayed or held, once they are due.
	 * @param write the write
	 * @return whether it runs (not once the proxy stopped)
	 */
	boolean writeUpstream(Runnable write) {
		return this.upstreamWriters.run(write);
	}


	/**
	 * Opens a connection of the in-process transport: the faults decide about it on the
	 * loop as about an accepted one, then it is the caller's to connect.
	 * @param client who the application is, for the journal
	 * @param socket the unconnected socket it is to connect to the database with
	 * @return the connection, or {@code null} if a fault or a closed port refuses it
	 */
	public InProcessConnection openInProcess(String client, java.net.Socket socket) {
		if (this.registry.inEffect().isEmpty() && this.listenSocket.isListening() && this.loop.isRunning()) {
			// no fault to decide about it: it is admitted at once, and meets on the loop the faults
			// injected since, as a connection accepted just before them would
			this.totalConnections.incrementAndGet();
			InProcessConnection connection = new InProcessConnection(this, this.linkSequence.incrementAndGet(), client,
					socket);
			this.liveConnections.incrementAndGet();
			if (this.protocols != null) {
				connection.protocol(this.protocols.apply(connection));
			}
			this.loop.execute(new Registration(connection));
			if (!this.loop.isRunning()) {
				// stopped meanwhile, perhaps after its last look at the tasks
				connection.close();
			}
			return connection;
		}
		return this.loop.call(() -> {
			this.totalConnections.incrementAndGet();
			if (!this.listenSocket.isListening()) {
				return null;
			}
			InProcessConnection connection = new InProcessConnection(this, this.linkSequence.incrementAndGet(), client,
					socket);
			if (!admit(connection)) {
				return null;
			}
			attachAll(connection);
			return connection;
		}, CALL_TIMEOUT);
	}

	/**
	 * Makes an in-process connection admitted off the loop one of the proxy's live ones;
	 * closes it if the proxy stopped first.
	 */
	private final class Registration implements Runnable, EventLoop.StopAware {

		private final InProcessConnection connection;

		Registration(InProcessConnection connection) {
			this.connection = connection;
		}

		@Override
		public void run() {
			if (!ProxyServer.this.loop.isRunning()) {
				loopStopped();
				return;
			}
			ProxyServer.this.links.add(this.connection);
			if (!ProxyServer.this.listenSocket.isListening()) {
				// a refuse or down came first: it would have refused this connection
				this.connection.reset();
				return;
			}
			attachAll(this.connection);
		}

		@Override
		public void loopStopped() {
			this.connection.close();
		}

	}

	private static void refuse(SocketChannel channel) {
		try {
			channel.setOption(StandardSocketOptions.SO_LINGER, 0);
		}
		catch (IOException ex) {
			// closing below is what matters
		}
		ListenSocket.closeQuietly(channel);
	}

	void linkClosed(EngineConnection link) {
		if (!this.links.remove(link)) {
			return;
		}
		this.liveConnections.decrementAndGet();
		for (RegisteredFault fault : this.registry.inEffect()) {
			link.guard(() -> fault.detach(link));
		}
	}

	/**
	 * Closes the listening socket so the kernel refuses new connections; loop only.
	 * @param fault the fault that wants it closed
	 */
	public void closeListener(RegisteredFault fault) {
		assert this.loop.inLoop() : "the listening socket closed off the proxy's loop";
		this.listenSocket.close(fault);
	}

	/**
	 * Binds the listening socket again once no fault wants it closed; loop only.
	 * @param fault the fault that no longer wants it closed
	 */
	public void openListener(RegisteredFault fault) {
		assert this.loop.inLoop() : "the listening socket opened off the proxy's loop";
		this.listenSocket.reopen(fault);
	}

}
