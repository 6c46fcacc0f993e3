package dev.dbfault.core.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import dev.dbfault.core.internal.text.Values;

/**
 * A proxy's listening socket: bound once, closed while any fault wants new connections
 * refused by the kernel ({@code refuse}, {@code down}), and bound again on the same address
 * when none does. Accepted connections go to the proxy. Loop only, except {@link #bind} and
 * {@link #isListening()}.
 */
final class ListenSocket {

	private static final Logger logger = System.getLogger(ListenSocket.class.getName());

	private static final Duration REBIND_RETRY = Duration.ofMillis(100);

	/** How often an accept failure is logged as a warning at most. */
	private static final Duration WARN_EVERY = Duration.ofSeconds(10);

	/** How long the socket is not accepted from after an accept failed. */
	private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

	/** Connections accepted in one wake-up at most, so that the loop's other work goes on. */
	private static final int ACCEPTS_PER_WAKEUP = 64;

	private final String name;

	private final EventLoop loop;

	private final Consumer<SocketChannel> accepted;

	/** What keeps the socket closed: the faults that want it so. */
	private final Set<Object> closers = new HashSet<>();

	private volatile boolean listening;

	private InetSocketAddress address;

	private ServerSocketChannel channel;

	private SelectionKey key;

	/**
	 * A file descriptor held in reserve: when the process has none left, an accept fails while
	 * the connection stays queued and the socket stays ready. Giving this one up lets the
	 * proxy accept what waits and refuse it at once (a RST the client hears now), instead of
	 * leaving it to hang or the loop to spin; then the reserve is taken again.
	 */
	private Closeable reserve = openReserve();

	/** When an accept failure was last logged as a warning (later ones are at DEBUG for a while). */
	private long warnedAt;

	private boolean warned;

	/** Made before it is needed: it runs when no descriptor may be left to load its class. */
	private final Runnable resumeAccepting = this::resumeAccepting;

	ListenSocket(String name, EventLoop loop, Consumer<SocketChannel> accepted) {
		this.name = name;
		this.loop = loop;
		this.accepted = accepted;
	}

	/**
	 * Binds the socket, on the calling thread so that a busy port fails here.
	 * @param bind the address; port 0 picks a free one
	 * @return the address bound
	 * @throws UncheckedIOException if it cannot be bound
	 */
	InetSocketAddress bind(InetSocketAddress bind) {
		try {
			this.channel = open(bind);
			this.address = (InetSocketAddress) this.channel.getLocalAddress();
			this.key = this.channel.register(this.loop.selector(), SelectionKey.OP_ACCEPT, new Acceptor());
			this.listening = true;
			return this.address;
		}
		catch (IOException ex) {
			closeQuietly(this.channel);
			closeQuietly(this.reserve);
			this.reserve = null;
			throw new UncheckedIOException("dbfault proxy '" + this.name + "' cannot listen on " + bind, ex);
		}
	}

	InetSocketAddress address() {
		return this.address;
	}

	/**
	 * Returns whether the socket is open; any thread.
	 * @return whether new connections are accepted
	 */
	boolean isListening() {
		return this.listening;
	}

	/**
	 * Closes the socket so that the kernel refuses new connections, until every closer
	 * has {@link #reopen reopened} it.
	 * @param closer what wants it closed
	 */
	void close(Object closer) {
		this.closers.add(closer);
		close();
	}

	/**
	 * Binds the socket again once nothing wants it closed; retries while the address is
	 * not free yet.
	 * @param closer what no longer wants it closed
	 */
	void reopen(Object closer) {
		this.closers.remove(closer);
		rebind();
	}

	/**
	 * Closes the socket for good, as the proxy stops.
	 */
	void close() {
		if (this.channel != null) {
			this.key.cancel();
			closeQuietly(this.channel);
			this.channel = null;
			this.listening = false;
			this.loop.closedChannel();
		}
	}

	/**
	 * Closes the socket and gives up the reserve, as the proxy stops.
	 */
	void closeForGood() {
		close();
		closeQuietly(this.reserve);
		this.reserve = null;
	}

	private void rebind() {
		if (!this.closers.isEmpty() || this.channel != null || !this.loop.isRunning()) {
			return;
		}
		try {
			// the closed socket must be released before its address can be bound again
			this.loop.releaseClosedChannels();
			this.channel = open(this.address);
			this.key = this.channel.register(this.loop.selector(), SelectionKey.OP_ACCEPT, new Acceptor());
			this.listening = true;
		}
		catch (IOException ex) {
			this.channel = null;
			logger.log(Level.WARNING, () -> "dbfault proxy '" + this.name + "' cannot listen on " + this.address
					+ " again yet (" + ex.getMessage() + "); retrying every " + Values.format(REBIND_RETRY));
			this.loop.schedule(this.loop.clock().nanoTime() + REBIND_RETRY.toNanos(), this::rebind);
		}
	}

	private static ServerSocketChannel open(InetSocketAddress bind) throws IOException {
		ServerSocketChannel channel = ServerSocketChannel.open();
		try {
			channel.configureBlocking(false);
			// rebinding after `refuse` must work while accepted connections still use the port
			channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			channel.bind(bind, 1024);
			return channel;
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw ex;
		}
	}

	static void closeQuietly(Closeable channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// nothing left to do with it
			}
		}
	}

	private static Closeable openReserve() {
		try {
			return DatagramChannel.open();
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * An accept failed, most often for want of a file descriptor (EMFILE, ENFILE): stops
	 * accepting for a moment, refuses what waits with the reserve's descriptor, and says so,
	 * so that the loop neither spins on a socket it cannot accept from nor dies. In that order,
	 * and with nothing made on the way that would load a class: loading one needs a descriptor
	 * too.
	 */
	private void acceptFailed(ServerSocketChannel ready, IOException ex) {
		this.key.interestOps(0);
		this.loop.schedule(this.loop.clock().nanoTime() + ACCEPT_BACKOFF.toNanos(), this.resumeAccepting);
		// only a process out of descriptors is helped by giving up the reserve's
		String reason = String.valueOf(ex.getMessage());
		int refused = reason.contains("open files") ? refuseWaiting(ready) : 0;
		long now = this.loop.clock().nanoTime();
		boolean warn = !this.warned || now - this.warnedAt > WARN_EVERY.toNanos();
		if (warn) {
			this.warned = true;
			this.warnedAt = now;
		}
		try {
			LoopErrors.logSafely(warn ? Level.WARNING : Level.DEBUG, () -> "dbfault proxy '" + this.name
					+ "' cannot accept connections (" + ex.getMessage() + "): refused " + refused
					+ " waiting, accepting again in " + Values.format(ACCEPT_BACKOFF)
					+ (warn ? "; more such failures within " + Values.format(WARN_EVERY) + " are logged at DEBUG" : ""),
					null);
		}
		catch (Throwable failed) {
			if (LoopErrors.isFatal(failed)) {
				throw failed;
			}
			// the message could not even be made: the proxy goes on without it
		}
	}

	private void resumeAccepting() {
		if (this.channel != null && this.key.isValid()) {
			this.key.interestOps(SelectionKey.OP_ACCEPT);
		}
	}

	private int refuseWaiting(ServerSocketChannel ready) {
		if (this.reserve == null) {
			this.reserve = openReserve();
			return 0;
		}
		closeQuietly(this.reserve);
		this.reserve = null;
		int refused = 0;
		try {
			for (SocketChannel waiting; refused < ACCEPTS_PER_WAKEUP && (waiting = ready.accept()) != null;) {
				try {
					waiting.setOption(StandardSocketOptions.SO_LINGER, 0);
				}
				catch (IOException ignored) {
					// closed normally then
				}
				closeQuietly(waiting);
				refused++;
			}
		}
		catch (IOException stillFailing) {
			// no descriptor even with the reserve's: the backoff is all there is
		}
		this.reserve = openReserve();
		return refused;
	}

	/**
	 * Accepts new connections when the socket is ready.
	 */
	private final class Acceptor extends ReadyHandler {

		@Override
		public void handle(SelectionKey key) {
			ServerSocketChannel ready = (ServerSocketChannel) key.channel();
			for (int i = 0; i < ACCEPTS_PER_WAKEUP && ready == ListenSocket.this.channel; i++) {
				SocketChannel connection;
				try {
					connection = ready.accept();
				}
				catch (IOException ex) {
					acceptFailed(ready, ex);
					return;
				}
				if (connection == null) {
					return;
				}
				ListenSocket.this.accepted.accept(connection);
			}
		}

		@Override
		public void failed(Throwable ex) {
			// the proxy keeps its own failures to the connection at hand
		}

	}

}
