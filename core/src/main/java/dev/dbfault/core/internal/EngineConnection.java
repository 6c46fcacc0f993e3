package dev.dbfault.core.internal;

import java.util.function.BooleanSupplier;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.internal.fault.ConnectionIdentity;
import dev.dbfault.core.internal.fault.FaultContext;
import dev.dbfault.core.internal.fault.FaultStates;
import dev.dbfault.core.internal.fault.ProxiedConnection;
import dev.dbfault.core.internal.fault.StateKey;

/**
 * One connection of a proxy, whichever transport carries it: a {@link Link} relayed by the
 * proxy's loop, or an {@link InProcessConnection} that the JDBC driver's own thread drives.
 * Both run the same protocol handler and the same fault units; this is what the proxy, its
 * faults and the protocol handler need of either.
 *
 * <p>Engine work on a connection (fault hooks, its protocol handler, its states) happens one
 * piece at a time: a link's on the loop, an in-process connection's under its lock. The
 * loop reaches a connection only through {@link #guard(Runnable)}.
 */
public abstract sealed class EngineConnection implements ProxiedConnection permits Link, InProcessConnection {

	private final ProxyServer server;

	private final long id;

	private final FaultStates states = new FaultStates();

	private final ConnectionIdentity identity;

	private ProtocolHandler protocol;

	private RegisteredFault stalledBy;

	private boolean opaque;

	EngineConnection(ProxyServer server, long id, String client) {
		this.server = server;
		this.id = id;
		this.identity = new ConnectionIdentity(id, client);
	}

	public final long id() {
		return this.id;
	}

	public final ProxyServer server() {
		return this.server;
	}

	/**
	 * Returns one direction of the connection, where the protocol handler sends bytes on.
	 * @param direction the direction
	 * @return its path
	 */
	public abstract DataPath pipe(Direction direction);

	@Override
	public final void failLogin(FaultContext fault, String sqlState, String message) {
		ProtocolHandler handler = this.protocol;
		if (handler != null) {
			handler.failLogin(fault, sqlState, message);
		}
	}

	@Override
	public final void readOnly(FaultContext fault, boolean readOnly) {
		ProtocolHandler handler = this.protocol;
		if (handler != null) {
			handler.readOnly(fault, readOnly);
		}
	}

	public final ProtocolHandler protocol() {
		return this.protocol;
	}

	final void protocol(ProtocolHandler protocol) {
		this.protocol = protocol;
	}

	public abstract boolean isClosed();

	/**
	 * Returns whether the calling thread has this connection's turn: the proxy's loop for a
	 * relayed connection, the holder of its lock for an in-process one. The engine's
	 * per-connection state (its protocol handler, its delay lines, its fault states) is used
	 * on that turn only, and asserts so.
	 * @return whether the engine may touch the connection from this thread now
	 */
	public abstract boolean hasTurn();

	/**
	 * Runs engine work for this connection that comes from the proxy's loop (a fault
	 * injected, removed or timed out), one piece at a time with the connection's own work.
	 * @param work the work
	 */
	final void guard(Runnable work) {
		guarded(() -> {
			work.run();
			return true;
		});
	}

	/**
	 * Runs engine work for this connection that another connection asks for (a cancel
	 * request), one piece at a time with the connection's own work, if it can be done from
	 * the calling thread now.
	 * @param work the work
	 * @return what the work returned, or {@code false} if it could not run here
	 */
	public abstract boolean guarded(BooleanSupplier work);

	/**
	 * Keeps the connection from reaching the database until the fault goes.
	 * @param fault the stalling fault
	 */
	void stall(RegisteredFault fault) {
		this.stalledBy = fault;
	}

	/**
	 * Returns the fault that keeps this connection from connecting upstream.
	 * @return the stalling fault, or {@code null}
	 */
	public final RegisteredFault stalledBy() {
		return this.stalledBy;
	}

	/**
	 * Forgets the stalling fault if it is the given one.
	 * @return whether it was
	 */
	final boolean unstall(Object fault) {
		if (this.stalledBy == null || this.stalledBy != fault) {
			return false;
		}
		this.stalledBy = null;
		return true;
	}

	@Override
	public final FaultStates states() {
		return this.states;
	}

	@Override
	public final ConnectionIdentity identity() {
		return this.identity;
	}

	/**
	 * Notes that this connection is relayed unread by its protocol handler (encrypted, or
	 * unreadable), for the proxy's counters.
	 */
	public final void markOpaque() {
		if (!this.opaque && !isClosed()) {
			this.opaque = true;
			this.server.encryptedConnections(1);
		}
	}

	/**
	 * Notes that the connection ended, for the proxy's counters.
	 */
	final void unmarkOpaque() {
		if (this.opaque) {
			this.opaque = false;
			this.server.encryptedConnections(-1);
		}
	}

	/**
	 * Notes that the connection has logged in (PostgreSQL's first ReadyForQuery): who it is
	 * is known, and faults aimed at some connections meet it.
	 */
	public final void loggedIn() {
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
	public final void applicationName(String name) {
		if (this.identity.applicationName(name) && this.identity.isLoggedIn() && !isClosed()) {
			this.server.identified(this);
		}
	}

	/**
	 * Takes a fault that was just removed out of the data it delayed: its share of every
	 * delay goes, and what it held is let go.
	 * @param fault the removed fault's unit
	 * @param keepDelays whether the delays it added stay (it used itself up)
	 */
	abstract void faultRemoved(Object fault, boolean keepDelays);

	/**
	 * Forgets a state both directions keep (a fault's per-connection decision).
	 * @param key the state's key
	 */
	abstract void forgetFlowState(StateKey<?> key);

}
