package dev.dbfault.core.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.internal.fault.Cancellable;
import dev.dbfault.core.internal.fault.FaultContext;
import dev.dbfault.core.internal.fault.StateKey;

/**
 * One proxied connection: the socket the application opened to the proxy, the socket the
 * proxy opened to the database, and a {@link Pipe} each way.
 *
 * <pre>
 *  application --&gt; [client] --up pipe--&gt;   [upstream] --&gt; database
 *  application &lt;-- [client] &lt;--down pipe-- [upstream] &lt;-- database
 * </pre>
 *
 * <p>Life: accepted, then stalled (by {@code stall-connect}) or connecting, open, and closed
 * by a FIN or RST from either side, by a fault, or by the proxy stopping. A reset or error on
 * one side is passed to the other as a reset; a FIN as a FIN. On the proxy's loop only
 * ({@link #hasTurn()}, asserted by its delay lines and protocol handler).
 */
public final class Link extends EngineConnection {

	private static final Logger logger = System.getLogger(Link.class.getName());

	enum State {

		ACCEPTED, STALLED, CONNECTING, OPEN, CLOSED

	}

	private final SocketSide client;

	private final Pipe up;

	private final Pipe down;

	private SocketSide upstream;

	private State state = State.ACCEPTED;

	private boolean blackholed;

	Link(ProxyServer server, long id, SocketChannel clientChannel) {
		super(server, id, remoteAddress(clientChannel));
		this.client = new SocketSide(this, clientChannel);
		this.up = new Pipe(this, Direction.UPSTREAM);
		this.down = new Pipe(this, Direction.DOWNSTREAM);
		this.client.pipes(this.up, this.down);
		this.up.endpoints(this.client, null);
		this.down.endpoints(null, this.client);
	}

	public EventLoop loop() {
		return server().loop();
	}

	@Override
	public Pipe pipe(Direction direction) {
		return (direction == Direction.UPSTREAM) ? this.up : this.down;
	}

	@Override
	public boolean isClosed() {
		return this.state == State.CLOSED;
	}

	@Override
	public boolean hasTurn() {
		return loop().inLoop();
	}

	boolean isStalled() {
		return this.state == State.STALLED;
	}

	boolean isConnected() {
		return this.state == State.OPEN;
	}

	public boolean isBlackholed() {
		return this.blackholed;
	}

	private static String remoteAddress(SocketChannel channel) {
		try {
			if (channel.getRemoteAddress() instanceof java.net.InetSocketAddress address) {
				String host = (address.getAddress() != null) ? address.getAddress().getHostAddress()
						: address.getHostString();
				return ((host.indexOf(':') >= 0) ? "[" + host + "]" : host) + ":" + address.getPort();
			}
			return null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Starts reading from the application; bytes wait in the up pipe until the upstream
	 * socket connects.
	 */
	void register() throws IOException {
		this.client.register(loop().selector());
		this.up.updateReading();
	}

	@Override
	void stall(RegisteredFault fault) {
		super.stall(fault);
		this.state = State.STALLED;
	}

	@Override
	public boolean guarded(BooleanSupplier work) {
		// a link belongs to the loop: only the loop can act on it at once
		return loop().inLoop() && work.getAsBoolean();
	}

	@Override
	public boolean resumeIfStalledBy(FaultContext fault) {
		if (!unstall(fault)) {
			return false;
		}
		if (this.state == State.STALLED) {
			connect();
		}
		return true;
	}

	@Override
	public Cancellable schedule(long delayNanos, Runnable action) {
		return loop().schedule(loop().clock().nanoTime() + delayNanos, action);
	}

	@Override
	public void terminate() {
		if (protocol() == null || !protocol().terminate()) {
			close();
		}
	}

	void connect() {
		if (this.state != State.ACCEPTED && this.state != State.STALLED) {
			return;
		}
		this.state = State.CONNECTING;
		SocketChannel channel = null;
		try {
			channel = SocketChannel.open();
			channel.configureBlocking(false);
			channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
			this.upstream = new SocketSide(this, channel);
			this.upstream.pipes(this.down, this.up);
			this.up.endpoints(this.client, this.upstream);
			this.down.endpoints(this.upstream, this.client);
			boolean connected = channel.connect(server().upstreamAddress());
			this.upstream.connecting(!connected);
			this.upstream.register(loop().selector());
			if (connected) {
				connected();
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.log(Level.DEBUG, () -> "dbfault " + server().name() + ": connecting to "
					+ server().upstreamAddress() + " failed: " + ex);
			if (this.upstream == null && channel != null) {
				try {
					channel.close();
				}
				catch (IOException ignored) {
					// never connected
				}
			}
			reset();
		}
	}

	void finishConnect() {
		try {
			if (!this.upstream.channel().finishConnect()) {
				return;
			}
		}
		catch (IOException ex) {
			logger.log(Level.DEBUG, () -> "dbfault " + server().name() + ": connecting to "
					+ server().upstreamAddress() + " failed: " + ex);
			// the application connected to us, so a refusal upstream reaches it as a reset
			reset();
			return;
		}
		this.upstream.connecting(false);
		connected();
	}

	private void connected() {
		this.state = State.OPEN;
		this.down.updateReading();
		this.up.flush();
	}

	/**
	 * Called when one pipe propagated an end of stream; the link closes once both have.
	 */
	void outputShut() {
		if (this.up.isOutputShut() && this.down.isOutputShut()) {
			close();
		}
	}

	/**
	 * Resets both sides: SO_LINGER 0 and close, so each peer gets a RST.
	 */
	@Override
	public void reset() {
		end(true);
	}

	/**
	 * Closes both sides normally: each peer reads an end of stream.
	 */
	@Override
	public void close() {
		end(false);
	}

	/**
	 * Drops everything this connection carries from now on, both ways, while both sockets
	 * stay open until a peer closes them.
	 */
	public void blackhole() {
		this.blackholed = true;
		this.up.discard();
		this.down.discard();
	}

	private void end(boolean reset) {
		if (this.state == State.CLOSED) {
			return;
		}
		this.state = State.CLOSED;
		this.client.close(reset);
		if (this.upstream != null) {
			this.upstream.close(reset);
		}
		this.up.discard();
		this.down.discard();
		loop().closedChannel();
		unmarkOpaque();
		if (protocol() != null) {
			protocol().closed();
		}
		server().linkClosed(this);
	}

	@Override
	void faultRemoved(Object fault, boolean keepDelays) {
		this.up.faultRemoved(fault, keepDelays);
		if (!isClosed()) {
			this.down.faultRemoved(fault, keepDelays);
		}
	}

	/**
	 * Forgets a state both directions keep (a fault's per-connection decision).
	 * @param key the state's key
	 */
	@Override
	void forgetFlowState(StateKey<?> key) {
		this.up.states().remove(key);
		this.down.states().remove(key);
	}

	@Override
	public String toString() {
		return "link " + id() + " (" + this.state + ")";
	}

}
