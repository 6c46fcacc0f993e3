package dev.dbfault.core.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.internal.fault.Cancellable;
import dev.dbfault.core.internal.fault.ConnectionIdentity;
import dev.dbfault.core.internal.fault.FaultContext;
import dev.dbfault.core.internal.fault.FaultStates;
import dev.dbfault.core.internal.fault.ProxiedConnection;
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
 * one side is passed to the other as a reset; a FIN as a FIN. Loop only.
 */
public final class Link implements ProxiedConnection {

	private static final Logger logger = System.getLogger(Link.class.getName());

	enum State {

		ACCEPTED, STALLED, CONNECTING, OPEN, CLOSED

	}

	private final ProxyServer server;

	private final long id;

	private final SocketSide client;

	private final Pipe up;

	private final Pipe down;

	private SocketSide upstream;

	private State state = State.ACCEPTED;

	private RegisteredFault stalledBy;

	private boolean blackholed;

	private boolean opaque;

	private ProtocolHandler protocol;

	private final FaultStates states = new FaultStates();

	private final ConnectionIdentity identity;

	Link(ProxyServer server, long id, SocketChannel clientChannel) {
		this.server = server;
		this.id = id;
		this.identity = new ConnectionIdentity(id, remoteAddress(clientChannel));
		this.client = new SocketSide(this, clientChannel);
		this.up = new Pipe(this, Direction.UPSTREAM);
		this.down = new Pipe(this, Direction.DOWNSTREAM);
		this.client.pipes(this.up, this.down);
		this.up.endpoints(this.client, null);
		this.down.endpoints(null, this.client);
	}

	public long id() {
		return this.id;
	}

	public ProxyServer server() {
		return this.server;
	}

	public EventLoop loop() {
		return this.server.loop();
	}

	public Pipe pipe(Direction direction) {
		return (direction == Direction.UPSTREAM) ? this.up : this.down;
	}

	public ProtocolHandler protocol() {
		return this.protocol;
	}

	void protocol(ProtocolHandler protocol) {
		this.protocol = protocol;
	}

	public boolean isClosed() {
		return this.state == State.CLOSED;
	}

	boolean isStalled() {
		return this.state == State.STALLED;
	}

	boolean isConnected() {
		return this.state == State.OPEN;
	}

	/**
	 * Notes that this connection is relayed unread by its protocol handler (encrypted, or
	 * unreadable), for the proxy's counters.
	 */
	public void markOpaque() {
		if (!this.opaque && !isClosed()) {
			this.opaque = true;
			this.server.encryptedConnections(1);
		}
	}

	public boolean isBlackholed() {
		return this.blackholed;
	}

	/**
	 * Returns the fault that keeps this connection from connecting upstream.
	 * @return the stalling fault, or {@code null}
	 */
	public RegisteredFault stalledBy() {
		return this.stalledBy;
	}

	/**
	 * Returns what faults keep about this connection.
	 * @return the states
	 */
	@Override
	public FaultStates states() {
		return this.states;
	}

	@Override
	public ConnectionIdentity identity() {
		return this.identity;
	}

	/**
	 * Notes that the connection has logged in (PostgreSQL's first ReadyForQuery): who it is
	 * is known, and faults aimed at some connections meet it.
	 */
	public void loggedIn() {
		if (!this.identity.isLoggedIn() && !isClosed()) {
			this.identity.loggedIn();
			this.server.identified(this);
		}
	}

	/**
	 * Notes the connection's {@code application_name} as the server reports it (drivers
	 * may set it after login); faults aimed at that name meet the connection now.
	 * @param name the name
	 */
	public void applicationName(String name) {
		if (this.identity.applicationName(name) && this.identity.isLoggedIn() && !isClosed()) {
			this.server.identified(this);
		}
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

	void stall(RegisteredFault fault) {
		this.state = State.STALLED;
		this.stalledBy = fault;
	}

	@Override
	public boolean resumeIfStalledBy(FaultContext fault) {
		if (this.stalledBy != fault) {
			return false;
		}
		this.stalledBy = null;
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
		if (this.protocol == null || !this.protocol.terminate()) {
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
			boolean connected = channel.connect(this.server.upstreamAddress());
			this.upstream.connecting(!connected);
			this.upstream.register(loop().selector());
			if (connected) {
				connected();
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.log(Level.DEBUG, () -> "dbfault " + this.server.name() + ": connecting to "
					+ this.server.upstreamAddress() + " failed: " + ex);
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
			logger.log(Level.DEBUG, () -> "dbfault " + this.server.name() + ": connecting to "
					+ this.server.upstreamAddress() + " failed: " + ex);
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
		if (this.opaque) {
			this.server.encryptedConnections(-1);
		}
		if (this.protocol != null) {
			this.protocol.closed();
		}
		this.server.linkClosed(this);
	}

	/**
	 * Releases data held by delaying faults, which have just been removed.
	 */
	void releaseHeld(Object holder, boolean delays) {
		this.up.releaseHeld(holder, delays);
		if (!isClosed()) {
			this.down.releaseHeld(holder, delays);
		}
	}

	/**
	 * Forgets a state both directions keep (a fault's per-connection decision).
	 * @param key the state's key
	 */
	void forgetFlowState(StateKey<?> key) {
		this.up.states().remove(key);
		this.down.states().remove(key);
	}

	@Override
	public String toString() {
		return "link " + this.id + " (" + this.state + ")";
	}

}
