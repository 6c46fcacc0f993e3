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
import dev.dbfault.core.fault.KillTiming;
import dev.dbfault.core.internal.Link;
import dev.dbfault.core.internal.ProtocolHandler;
import dev.dbfault.core.internal.Timer;
import dev.dbfault.core.internal.fault.Chunk;
import dev.dbfault.core.internal.fault.FaultUnit;
import dev.dbfault.core.internal.fault.StatementDecision;
import dev.dbfault.core.internal.pg.MessageStream.Disposition;
import dev.dbfault.core.internal.pg.Tracker.Entry;
import dev.dbfault.core.internal.pg.Tracker.Poison;
import dev.dbfault.core.internal.pg.Tracker.Portal;

/**
 * The PostgreSQL view of one proxied connection: it reads the client's and the server's
 * messages as they pass and applies the statement faults.
 *
 * <pre>
 *  client --&gt; Frontend: startup, TLS request, cancel; Parse/Bind/Query --&gt; statement faults
 *                 |            poison (error), hold (latency), kill before / after
 *                 v
 *              Tracker: which message each response answers
 *                 ^
 *  client &lt;-- Backend: backend key; error of a poisoned statement replaced; rows counted;
 *                      answers swallowed before a kill-after; FATAL 57P01 injected
 * </pre>
 *
 * <p>An injected error is made by the server itself: the statement's Bind (or simple Query)
 * is replaced by one the server rejects, so the server's transaction state changes exactly
 * as for a real error (inside a transaction the next statement fails with 25P02), and only
 * the error's SQLSTATE and message are rewritten on the way back.
 *
 * <p>A connection that negotiates TLS or GSS encryption, or whose startup cannot be read, is
 * relayed unread: TCP faults still apply to it, statement faults do not. Loop only.
 */
final class PgConnection implements ProtocolHandler {

	private static final Logger logger = System.getLogger("dev.dbfault");

	private final PgProtocol protocol;

	private final Link link;

	private final Frontend frontend = new Frontend();

	private final Backend backend = new Backend();

	private final Tracker tracker = new Tracker();

	private final Map<String, String> statements = new HashMap<>();

	private final Map<String, Portal> portals = new HashMap<>();

	private String unnamedSql;

	private String backendKey;

	private boolean opaque;

	private boolean terminatePending;

	private KillMode swallowThenKill;

	private Hold hold;

	PgConnection(PgProtocol protocol, Link link) {
		this.protocol = protocol;
		this.link = link;
	}

	@Override
	public void onData(dev.dbfault.core.internal.Pipe pipe, ByteBuffer data) {
		if (pipe.direction() == Direction.UPSTREAM) {
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

	private void injectTerminate() {
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

	private void opaque(String reason, Level level) {
		if (!this.opaque) {
			this.opaque = true;
			this.link.markOpaque();
			logger.log(level, () -> "dbfault [" + this.link.server().name() + "] " + this.link + ": " + reason
					+ "; relaying it unread (TCP faults apply, statement faults do not)");
		}
		this.frontend.passThroughFromNowOn();
		this.backend.passThroughFromNowOn();
	}

	private boolean statementFaultsActive() {
		return this.link.server().statementFaults().length > 0;
	}

	private static Chunk.Kind killKind(KillMode mode) {
		return switch (mode) {
			case CLOSE -> Chunk.Kind.CLOSE;
			case BLACKHOLE -> Chunk.Kind.BLACKHOLE;
			case RESET -> Chunk.Kind.RESET;
		};
	}

	private void startHold(long delayNanos, Entry trigger, String bindPortal) {
		this.hold = new Hold(trigger, bindPortal);
		this.hold.timer = this.link.loop().schedule(this.link.loop().clock().nanoTime() + delayNanos, this::releaseHold);
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
	private sealed interface Held permits Held.Bytes, Held.Marker, Held.Statement {

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
	private static final class Hold {

		final List<Held> items = new ArrayList<>();

		final Entry trigger;

		final String bindPortal;

		Timer timer;

		Hold(Entry trigger, String bindPortal) {
			this.trigger = trigger;
			this.bindPortal = bindPortal;
		}

	}

	/**
	 * The client's messages.
	 */
	private final class Frontend extends MessageStream {

		Frontend() {
			super(false);
		}

		@Override
		protected void output(ByteBuffer data) {
			if (PgConnection.this.hold != null) {
				PgConnection.this.hold.items.add(new Held.Bytes(PgMessages.copy(data)));
			}
			else {
				PgConnection.this.link.pipe(Direction.UPSTREAM).forward(data);
			}
		}

		@Override
		protected Disposition onHeader(char type, int bodyLength) {
			Tracker tracker = PgConnection.this.tracker;
			return switch (type) {
				case 0, 'P', 'C' -> Disposition.WHOLE;
				case 'B', 'E', 'Q' -> {
					if (statementFaultsActive()) {
						yield Disposition.WHOLE;
					}
					tracker.sent(new Entry(type));
					yield Disposition.PASS;
				}
				case 'S', 'D', 'F' -> {
					tracker.sent(new Entry(type));
					yield Disposition.PASS;
				}
				default -> Disposition.PASS;
			};
		}

		@Override
		protected void onWhole(char type, ByteBuffer message) {
			switch (type) {
				case 0 -> startup(message);
				case 'P' -> parse(message);
				case 'B' -> bind(message);
				case 'E' -> execute(message);
				case 'Q' -> query(message);
				case 'C' -> close(message);
				default -> {
				}
			}
		}

		@Override
		protected void unreadable(char type, int length) {
			if (type == 0 && (length >>> 24) == 0x16) {
				if (PgConnection.this.protocol.declinesTls()) {
					refuseDirectTls();
				}
				else {
					opaque("the client opened TLS directly", Level.DEBUG);
				}
			}
			else {
				opaque("cannot read the client's " + ((type == 0) ? "startup packet" : "message '" + type + "'")
						+ " (length " + length + ")", Level.WARNING);
			}
		}

		/**
		 * Closes a connection whose first byte opens TLS directly ({@code sslnegotiation=direct},
		 * PostgreSQL 17+) on a proxy that declines TLS. There is no request to answer 'N' to,
		 * and relaying the ClientHello would let a server with TLS encrypt the connection
		 * after all, out of reach of statement faults; a server without TLS closes it the
		 * same way.
		 */
		private void refuseDirectTls() {
			logger.log(Level.INFO, () -> "dbfault [" + PgConnection.this.link.server().name() + "] "
					+ PgConnection.this.link + ": the client opened TLS directly, which this proxy declines; closing it");
			stop();
			PgConnection.this.link.close();
		}

		private void startup(ByteBuffer message) {
			int code = message.getInt(4);
			switch (code) {
				case PgMessages.SSL_REQUEST, PgMessages.GSSENC_REQUEST -> {
					if (PgConnection.this.protocol.declinesTls()) {
						// as a server without TLS does: the client goes on in plaintext or gives up
						dropCurrent();
						PgConnection.this.link.pipe(Direction.DOWNSTREAM).forward(ByteBuffer.wrap(new byte[] { 'N' }));
					}
					else {
						PgConnection.this.backend.expectRawByte();
					}
				}
				case PgMessages.CANCEL_REQUEST -> cancel(message);
				case PgMessages.PROTOCOL_3_0, PgMessages.PROTOCOL_3_2 -> typed();
				default -> opaque("the client's startup packet has an unknown code " + code, Level.WARNING);
			}
		}

		private void cancel(ByteBuffer message) {
			byte[] secret = new byte[message.limit() - 12];
			message.duplicate().position(12).get(secret);
			PgConnection target = PgConnection.this.protocol.connection(key(message.getInt(8), secret));
			if (target != null && target.cancelHeld()) {
				// answered here, as the server would: the held statement fails with 57014
				stop();
				PgConnection.this.link.close();
				return;
			}
			passThroughFromNowOn();
		}

		private void parse(ByteBuffer message) {
			ByteBuffer body = message.duplicate().position(5);
			String name = PgMessages.readString(body);
			if (name != null) {
				String sql = (!name.isEmpty() || statementFaultsActive()) ? PgMessages.readString(body) : null;
				if (name.isEmpty()) {
					PgConnection.this.unnamedSql = sql;
				}
				else {
					PgConnection.this.statements.put(name, sql);
				}
			}
			PgConnection.this.tracker.sent(new Entry('P'));
		}

		private void bind(ByteBuffer message) {
			ByteBuffer body = message.duplicate().position(5);
			String portalName = PgMessages.readString(body);
			String statement = (portalName != null) ? PgMessages.readString(body) : null;
			Entry entry = new Entry('B');
			if (statement == null) {
				PgConnection.this.tracker.sent(entry);
				return;
			}
			String sql = statement.isEmpty() ? PgConnection.this.unnamedSql : PgConnection.this.statements.get(statement);
			Portal portal = new Portal(sql);
			PgConnection.this.portals.put(portalName, portal);
			statement(sql, entry, portal, message, portalName);
		}

		private void execute(ByteBuffer message) {
			String portalName = PgMessages.readString(message.duplicate().position(5));
			Entry entry = new Entry('E');
			entry.portal = (portalName != null) ? PgConnection.this.portals.get(portalName) : null;
			PgConnection.this.tracker.sent(entry);
		}

		private void query(ByteBuffer message) {
			String sql = PgMessages.readString(message.duplicate().position(5));
			Entry entry = new Entry('Q');
			entry.portal = new Portal(sql);
			statement(sql, entry, entry.portal, message, null);
		}

		private void close(ByteBuffer message) {
			if (message.limit() > 6) {
				byte kind = message.get(5);
				String name = PgMessages.readString(message.duplicate().position(6));
				if (name != null) {
					if (kind == 'S') {
						PgConnection.this.statements.remove(name);
					}
					else {
						PgConnection.this.portals.remove(name);
					}
				}
			}
			PgConnection.this.tracker.sent(new Entry('C'));
		}

		/**
		 * Applies the statement faults to a statement about to run, at its Bind or Query.
		 */
		private void statement(String sql, Entry entry, Portal portal, ByteBuffer message, String bindPortal) {
			if (sql == null) {
				PgConnection.this.tracker.sent(entry);
				return;
			}
			StatementDecision decision = new StatementDecision(sql);
			for (FaultUnit.StatementHandling fault : PgConnection.this.link.server().statementFaults()) {
				fault.onStatement(decision);
				if (decision.isFinal()) {
					break;
				}
			}
			if (decision.killWhen() == KillTiming.BEFORE) {
				stop();
				if (PgConnection.this.hold != null) {
					PgConnection.this.hold.items.add(new Held.Marker(killKind(decision.killMode())));
				}
				else {
					PgConnection.this.link.pipe(Direction.UPSTREAM).forwardMarker(killKind(decision.killMode()));
				}
				return;
			}
			ByteBuffer replacement = null;
			if (decision.errorState() != null) {
				entry.poison = new Poison(decision.errorState(), decision.errorMessage());
				String why = "sql-error " + decision.errorState();
				replacement = (bindPortal != null) ? PgMessages.poisonBind(bindPortal, why) : PgMessages.poisonQuery(why);
			}
			if (decision.rowLimit() >= 0) {
				portal.rowLimit = decision.rowLimit();
				portal.rowMode = decision.rowMode();
			}
			if (decision.killWhen() != null) {
				entry.killAfterAnswer = decision.killMode();
			}
			PgConnection.this.tracker.sent(entry);
			ByteBuffer toSend = (replacement != null) ? replacement : message;
			if (decision.delayNanos() > 0) {
				flushBeforeCurrent();
				if (PgConnection.this.hold == null) {
					startHold(decision.delayNanos(), entry, bindPortal);
				}
				else {
					PgConnection.this.hold.items.add(new Held.Statement(decision.delayNanos(), entry, bindPortal));
				}
				emit(toSend);
			}
			else if (replacement != null) {
				replaceCurrent(replacement);
			}
		}

	}

	/**
	 * The server's messages.
	 */
	private final class Backend extends MessageStream {

		Backend() {
			super(true);
		}

		@Override
		protected void output(ByteBuffer data) {
			PgConnection.this.link.pipe(Direction.DOWNSTREAM).forward(data);
		}

		@Override
		protected void onRawByte(byte value) {
			if (value == 'S' || value == 'G') {
				opaque("the server accepted " + ((value == 'S') ? "TLS" : "GSS encryption"), Level.DEBUG);
			}
		}

		@Override
		protected void unreadable(char type, int length) {
			opaque("cannot read the server's message '" + type + "' (length " + length + ")", Level.WARNING);
		}

		@Override
		protected Disposition onHeader(char type, int bodyLength) {
			Tracker tracker = PgConnection.this.tracker;
			Entry head = tracker.head();
			if (PgConnection.this.swallowThenKill == null && head != null && head.killAfterAnswer != null
					&& isAnswer(type)) {
				// the server has the statement: the client must never hear how it ended
				PgConnection.this.swallowThenKill = head.killAfterAnswer;
			}
			if (PgConnection.this.swallowThenKill != null) {
				observe(tracker, type);
				return Disposition.DROP;
			}
			switch (type) {
				case 'K':
					return Disposition.WHOLE;
				case 'E':
					if (head != null && head.poison != null) {
						replaceCurrent(PgMessages.errorResponse("ERROR", head.poison.sqlState(), head.poison.message()));
						tracker.failed();
						return Disposition.DROP;
					}
					tracker.failed();
					return Disposition.PASS;
				case 'D':
					Portal portal = (head != null) ? head.portal : null;
					if (portal != null && portal.rowLimit >= 0) {
						if (portal.rows >= portal.rowLimit) {
							stop();
							PgConnection.this.link.pipe(Direction.DOWNSTREAM).forwardMarker(killKind(portal.rowMode));
							return Disposition.DROP;
						}
						portal.rows++;
					}
					return Disposition.PASS;
				default:
					observe(tracker, type);
					return Disposition.PASS;
			}
		}

		private void observe(Tracker tracker, char type) {
			if (type == 'E') {
				tracker.failed();
			}
			else if (type != 'Z') {
				tracker.answered(type);
			}
		}

		private boolean isAnswer(char type) {
			return switch (type) {
				case 'E', 'D', '1', '2', '3', 'n', 't', 'T', 'C', 'I', 's', 'G', 'H', 'W', 'V', 'Z' -> true;
				default -> false;
			};
		}

		@Override
		protected void onWhole(char type, ByteBuffer message) {
			if (type == 'K' && message.limit() >= 13) {
				byte[] secret = new byte[message.limit() - 9];
				message.duplicate().position(9).get(secret);
				PgConnection.this.backendKey = key(message.getInt(5), secret);
				PgConnection.this.protocol.register(PgConnection.this.backendKey, PgConnection.this);
			}
		}

		@Override
		protected void onEnd(char type) {
			if (type == 'Z') {
				PgConnection.this.tracker.ready();
				if (PgConnection.this.swallowThenKill != null) {
					stop();
					PgConnection.this.frontend.stop();
					PgConnection.this.link.pipe(Direction.DOWNSTREAM)
						.forwardMarker(killKind(PgConnection.this.swallowThenKill));
					return;
				}
			}
			if (PgConnection.this.terminatePending) {
				injectTerminate();
			}
		}

	}

	private static String key(int processId, byte[] secret) {
		return processId + ":" + HexFormat.of().formatHex(secret);
	}

}
