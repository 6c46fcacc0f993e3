package dev.dbfault.core.internal.pg;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.KillMode;
import dev.dbfault.core.internal.EngineConnection;
import dev.dbfault.core.internal.ProtocolHandler;
import dev.dbfault.core.internal.fault.Cancellable;
import dev.dbfault.core.internal.fault.Chunk;
import dev.dbfault.core.internal.fault.FaultContext;
import dev.dbfault.core.internal.pg.Tracker.Entry;
import dev.dbfault.core.internal.pg.Tracker.Poison;
import dev.dbfault.core.internal.pg.Tracker.Portal;

/**
 * The PostgreSQL view of one proxied connection: the state its two halves share, the
 * client's messages ({@link PgClientMessages}) and the server's ({@link PgServerMessages}),
 * which read the messages as they pass and apply the statement faults.
 *
 * <pre>
 *  client --&gt; PgClientMessages: startup, TLS request, cancel; Parse/Bind/Query --&gt; statement faults
 *                 |                poison (error), hold (latency), kill before / after
 *                 v
 *              Tracker: which message each response answers
 *                 ^
 *  client &lt;-- PgServerMessages: backend key; error of a poisoned statement replaced; rows counted;
 *                               answers swallowed before a kill-after; FATAL 57P01 injected
 * </pre>
 *
 * <p>An injected error is made by the server itself: the statement's Bind (or simple Query)
 * is replaced by one the server rejects, so the server's transaction state changes exactly
 * as for a real error (inside a transaction the next statement fails with 25P02), and only
 * the error's SQLSTATE and message are rewritten on the way back.
 *
 * <p>A connection that negotiates TLS or GSS encryption, or whose startup cannot be read, is
 * relayed unread: TCP faults still apply to it, statement faults do not. Used on its
 * connection's turn only ({@link EngineConnection#hasTurn()}, asserted).
 */
final class PgConnection implements ProtocolHandler {

	private static final Logger logger = System.getLogger("dev.dbfault");

	final PgProtocol protocol;

	final EngineConnection link;

	final PgClientMessages frontend = new PgClientMessages(this);

	final PgServerMessages backend = new PgServerMessages(this);

	final Tracker tracker = new Tracker();

	final Transactions transactions = new Transactions();

	final Map<String, String> statements = new HashMap<>();

	final Map<String, Portal> portals = new HashMap<>();

	String unnamedSql;

	String backendKey;

	private boolean opaque;

	boolean terminatePending;

	KillMode swallowThenKill;

	Hold hold;

	/** A {@code login-error} waiting for the startup packet, or {@code null}. */
	private FaultContext loginFault;

	private String loginSqlState;

	private String loginMessage;

	/** The {@code read-only} faults that hold this connection. */
	private final List<FaultContext> readOnlyFaults = new ArrayList<>(1);

	/** Whether dbfault made the session's transactions read-only, to be undone. */
	private boolean sessionReadOnly;

	/**
	 * Whether the client has sent extended-protocol messages that no Sync has ended yet: the
	 * cycle is open even when every message so far is answered (after a Flush), and after an
	 * error the server skips to the Sync.
	 */
	boolean unsynced;

	/**
	 * The session's {@code default_transaction_read_only} as the server last reported it
	 * outside dbfault's own commands (PostgreSQL 14 and later report it), or {@code null}:
	 * what removing {@code read-only} restores.
	 */
	String clientDefaultReadOnly;

	/**
	 * The transaction status of the last ReadyForQuery the client got: {@code I}, {@code T}
	 * or {@code E}; 0 before login.
	 */
	byte status;

	/** Who the startup packet says the client is, for the server's login messages. */
	String startupUser;

	String startupDatabase;

	PgConnection(PgProtocol protocol, EngineConnection link) {
		this.protocol = protocol;
		this.link = link;
	}

	@Override
	public void onData(Direction direction, ByteBuffer data) {
		assert this.link.hasTurn() : "a protocol handler used by a thread without its connection's turn";
		if (direction == Direction.UPSTREAM) {
			this.frontend.feed(data);
		}
		else {
			this.backend.feed(data);
		}
	}

	@Override
	public void closed() {
		this.protocol.unregister(this.backendKey, this);
		if (this.hold != null) {
			this.hold.timer.cancel();
			this.hold = null;
		}
	}

	/**
	 * Sends FATAL 57P01 admin_shutdown to the client, as a server shutting down does, and
	 * closes the connection. Waits for the end of a message the server is sending.
	 */
	@Override
	public boolean terminate() {
		if (this.opaque) {
			logger.log(Level.INFO, () -> "dbfault [" + this.link.server().name() + "] " + this.link
					+ " is encrypted: closing it without the FATAL message");
			return false;
		}
		if (this.backend.atBoundary()) {
			injectTerminate();
		}
		else {
			this.terminatePending = true;
		}
		return true;
	}

	@Override
	public void failLogin(FaultContext fault, String sqlState, String message) {
		if (sqlState != null) {
			this.loginFault = fault;
			this.loginSqlState = sqlState;
			this.loginMessage = message;
		}
		else if (this.loginFault == fault) {
			this.loginFault = null;
		}
	}

	/**
	 * Returns whether a {@code login-error} waits for this connection's startup packet.
	 * @return whether one does
	 */
	boolean loginErrorPending() {
		return this.loginFault != null;
	}

	/**
	 * The startup packet has arrived: fails the login if a {@code login-error} waits for it
	 * and fires, answering with its FATAL error as the server would and closing the
	 * connection; the server never sees the packet.
	 * @return whether the login was failed
	 */
	boolean failLoginIfAsked() {
		FaultContext fault = this.loginFault;
		if (fault == null || !fault.tryFire(this.link)) {
			return false;
		}
		this.loginFault = null;
		this.frontend.stop();
		this.backend.emit(PgMessages.errorResponse("FATAL", this.loginSqlState,
				(this.loginMessage != null) ? this.loginMessage : loginMessage(this.loginSqlState, fault.id())));
		this.backend.stop();
		this.link.pipe(Direction.DOWNSTREAM).forwardMarker(Chunk.Kind.CLOSE);
		return true;
	}

	@Override
	public void readOnly(FaultContext fault, boolean readOnly) {
		if (readOnly) {
			this.readOnlyFaults.add(fault);
		}
		else {
			this.readOnlyFaults.remove(fault);
		}
	}

	/**
	 * Returns the command to send the server ahead of the client's next one so that it
	 * refuses writes, or accepts them again, as {@code read-only} wants; or {@code null}. The
	 * server itself then fails every write with 25006 (a write inside a function too), as a
	 * demoted primary does. Sent only when the client waits for no answer, so that the
	 * status of its last ReadyForQuery is the one the command meets, and again before each
	 * command while wanted, since the client may reset the session or begin
	 * {@code READ WRITE}: idle, the session's default becomes read-only; in a transaction,
	 * the transaction does (always allowed); in a failed one nothing can write anyway. Taken
	 * back when idle, to the session's own setting as the server last reported it (else its
	 * default), so that a transaction made read-only ends as it is. Only between cycles: never
	 * after extended-protocol messages no Sync has ended ({@link #unsynced}).
	 * @return the SQL, or {@code null}
	 */
	String readOnlyCommand() {
		if (this.readOnlyFaults.isEmpty() && !this.sessionReadOnly) {
			// what the relay meets on every command of a connection no read-only fault holds
			return null;
		}
		if (this.opaque || this.status == 0 || !this.tracker.isEmpty() || this.hold != null) {
			return null;
		}
		if (!this.readOnlyFaults.isEmpty()) {
			if (this.status == 'I') {
				this.sessionReadOnly = true;
				return "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY";
			}
			return (this.status == 'T') ? "SET TRANSACTION READ ONLY" : null;
		}
		if (this.sessionReadOnly && this.status == 'I') {
			this.sessionReadOnly = false;
			return (this.clientDefaultReadOnly != null)
					? "SET default_transaction_read_only = " + (this.clientDefaultReadOnly.equals("on") ? "on" : "off")
					: "RESET default_transaction_read_only";
		}
		return null;
	}

	/**
	 * Returns PostgreSQL's own message for a failed login with this SQLSTATE.
	 */
	private String loginMessage(String sqlState, String faultId) {
		String user = (this.startupUser != null) ? this.startupUser : "";
		String database = (this.startupDatabase != null) ? this.startupDatabase : user;
		return switch (sqlState) {
			case "57P03" -> "the database system is starting up";
			case "53300" -> "sorry, too many clients already";
			case "28P01" -> "password authentication failed for user \"" + user + "\"";
			case "3D000" -> "database \"" + database + "\" does not exist";
			case "28000" -> "role \"" + user + "\" does not exist";
			default -> "login refused, injected by dbfault (" + faultId + ")";
		};
	}

	void injectTerminate() {
		this.terminatePending = false;
		this.frontend.stop();
		this.backend.emit(PgMessages.errorResponse("FATAL", "57P01", "terminating connection due to administrator command"));
		this.backend.stop();
		this.link.pipe(Direction.DOWNSTREAM).forwardMarker(Chunk.Kind.CLOSE);
	}

	/**
	 * Fails the statement held back by {@code sql-latency}, as a server does when the client
	 * cancels a running statement.
	 * @return whether a statement was held
	 */
	boolean cancelHeld() {
		Hold held = this.hold;
		if (held == null) {
			return false;
		}
		held.trigger.poison = new Poison("57014", "canceling statement due to user request");
		String why = "sql-latency cancel 57014";
		held.items.set(0, new Held.Bytes((held.bindPortal != null) ? PgMessages.poisonBind(held.bindPortal, why)
				: PgMessages.poisonQuery(why)));
		releaseHold();
		return true;
	}

	void opaque(String reason, Level level) {
		if (!this.opaque) {
			this.opaque = true;
			this.link.markOpaque();
			logger.log(level, () -> "dbfault [" + this.link.server().name() + "] " + this.link + ": " + reason
					+ "; relaying it unread (TCP faults apply, statement faults do not)");
		}
		this.frontend.passThroughFromNowOn();
		this.backend.passThroughFromNowOn();
	}

	boolean statementFaultsActive() {
		return this.link.server().statementFaults().length > 0;
	}

	static Chunk.Kind killKind(KillMode mode) {
		return switch (mode) {
			case CLOSE -> Chunk.Kind.CLOSE;
			case BLACKHOLE -> Chunk.Kind.BLACKHOLE;
			case RESET -> Chunk.Kind.RESET;
		};
	}

	void startHold(long delayNanos, Entry trigger, String bindPortal) {
		this.hold = new Hold(trigger, bindPortal);
		this.hold.timer = this.link.schedule(delayNanos, this::releaseHold);
	}

	/**
	 * Sends on what {@code sql-latency} held back, up to the next statement that must wait
	 * in its turn.
	 */
	private void releaseHold() {
		Hold held = this.hold;
		if (held == null) {
			return;
		}
		this.hold = null;
		held.timer.cancel();
		List<Held> items = held.items;
		for (int i = 0; i < items.size(); i++) {
			Held item = items.get(i);
			if (item instanceof Held.Statement next) {
				startHold(next.delayNanos(), next.trigger(), next.bindPortal());
				this.hold.items.addAll(items.subList(i + 1, items.size()));
				return;
			}
			if (item instanceof Held.Marker marker) {
				this.link.pipe(Direction.UPSTREAM).forwardMarker(marker.kind());
			}
			else if (item instanceof Held.Bytes bytes) {
				this.link.pipe(Direction.UPSTREAM).forward(bytes.data());
			}
		}
	}

	/**
	 * What the client sent behind a statement held back by {@code sql-latency}, in order.
	 */
	sealed interface Held permits Held.Bytes, Held.Marker, Held.Statement {

		/** Bytes of the client's messages. */
		record Bytes(ByteBuffer data) implements Held {
		}

		/** A kill decided for a statement behind the held one. */
		record Marker(Chunk.Kind kind) implements Held {
		}

		/**
		 * A statement behind the held one with a delay of its own, which starts when it is
		 * reached.
		 */
		record Statement(long delayNanos, Entry trigger, String bindPortal) implements Held {
		}

	}

	/**
	 * What {@code sql-latency} holds back; the first item is the message of the statement
	 * that started the hold.
	 */
	static final class Hold {

		final List<Held> items = new ArrayList<>();

		final Entry trigger;

		final String bindPortal;

		Cancellable timer;

		Hold(Entry trigger, String bindPortal) {
			this.trigger = trigger;
			this.bindPortal = bindPortal;
		}

	}

	static String key(int processId, byte[] secret) {
		return processId + ":" + HexFormat.of().formatHex(secret);
	}

}
