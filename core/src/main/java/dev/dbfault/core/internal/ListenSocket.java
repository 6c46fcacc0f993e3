package dev.dbfault.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
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

	static void closeQuietly(Channel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// nothing left to do with it
			}
		}
	}

	/**
	 * Accepts new connections when the socket is ready.
	 */
	private final class Acceptor extends EventLoop.Handler {

		@Override
		public void handle(SelectionKey key) {
			ServerSocketChannel ready = (ServerSocketChannel) key.channel();
			for (int i = 0; i < ACCEPTS_PER_WAKEUP && ready == ListenSocket.this.channel; i++) {
				SocketChannel connection;
				try {
					connection = ready.accept();
				}
				catch (IOException ex) {
					logger.log(Level.WARNING, () -> "dbfault proxy '" + ListenSocket.this.name + "' accept failed: " + ex);
					return;
				}
				if (connection == null) {
					return;
				}
				ListenSocket.this.accepted.accept(connection);
			}
		}

		@Override
		public void failed(RuntimeException ex) {
			// the proxy keeps its own failures to the connection at hand
		}

	}

}
