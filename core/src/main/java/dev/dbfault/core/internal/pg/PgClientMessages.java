package dev.dbfault.core.internal.pg;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.KillTiming;
import dev.dbfault.core.internal.fault.FaultUnit;
import dev.dbfault.core.internal.fault.StatementDecision;
import dev.dbfault.core.internal.pg.PgConnection.Held;
import dev.dbfault.core.internal.pg.Tracker.Entry;
import dev.dbfault.core.internal.pg.Tracker.Poison;
import dev.dbfault.core.internal.pg.Tracker.Portal;

/**
 * The client's half of a PostgreSQL connection: its startup, TLS and cancel requests, and
 * its Parse, Bind, Execute and Query messages, where the statement faults are applied. It
 * shares the connection's state ({@link PgConnection}) with the server's half.
 */
final class PgClientMessages extends MessageStream {

	private static final Logger logger = System.getLogger("dev.dbfault");

	private final PgConnection connection;

	PgClientMessages(PgConnection connection) {
		super(false);
		this.connection = connection;
	}

	@Override
	protected void output(ByteBuffer data) {
		if (this.connection.hold != null) {
			this.connection.hold.items.add(new Held.Bytes(PgMessages.copy(data)));
		}
		else {
			this.connection.link.pipe(Direction.UPSTREAM).forward(data);
		}
	}

	@Override
	protected Disposition onHeader(char type, int bodyLength) {
		Tracker tracker = this.connection.tracker;
		if (startsCommand(type) && !this.connection.unsynced) {
			String readOnly = this.connection.readOnlyCommand();
			if (readOnly != null) {
				Entry injected = new Entry('Q');
				injected.injected = true;
				tracker.sent(injected);
				insertBeforeCurrent(PgMessages.query(readOnly));
			}
		}
		if (extended(type)) {
			// until its Sync the server may still skip what follows an error: no command of dbfault's goes between
			this.connection.unsynced = true;
		}
		else if (type == 'S') {
			this.connection.unsynced = false;
		}
		return switch (type) {
			case 0, 'P', 'C' -> Disposition.WHOLE;
			case 'B', 'E', 'Q' -> {
				if (this.connection.statementFaultsActive()) {
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

	/**
	 * Whether a message of this type can be the first of a command cycle: a simple Query, a
	 * FunctionCall, or any message of the extended protocol but Sync and Flush.
	 */
	private static boolean startsCommand(char type) {
		return extended(type) || type == 'Q' || type == 'F';
	}

	/** Whether a message of this type is one of the extended protocol's that a Sync ends. */
	private static boolean extended(char type) {
		return type == 'P' || type == 'B' || type == 'D' || type == 'E' || type == 'C';
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
			if (this.connection.protocol.declinesTls()) {
				refuseDirectTls();
			}
			else {
				this.connection.opaque("the client opened TLS directly", Level.DEBUG);
			}
		}
		else {
			this.connection.opaque("cannot read the client's " + ((type == 0) ? "startup packet" : "message '" + type + "'")
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
		logger.log(Level.INFO, () -> "dbfault [" + this.connection.link.server().name() + "] "
				+ this.connection.link + ": the client opened TLS directly, which this proxy declines; closing it");
		stop();
		this.connection.link.close();
	}

	private void startup(ByteBuffer message) {
		int code = message.getInt(4);
		switch (code) {
			case PgMessages.SSL_REQUEST, PgMessages.GSSENC_REQUEST -> {
				// a login to fail is answered in plaintext, as a server without TLS would
				if (this.connection.protocol.declinesTls() || this.connection.loginErrorPending()) {
					// as a server without TLS does: the client goes on in plaintext or gives up
					dropCurrent();
					this.connection.link.pipe(Direction.DOWNSTREAM).forward(ByteBuffer.wrap(new byte[] { 'N' }));
				}
				else {
					this.connection.backend.expectRawByte();
				}
			}
			case PgMessages.CANCEL_REQUEST -> cancel(message);
			case PgMessages.PROTOCOL_3_0, PgMessages.PROTOCOL_3_2 -> {
				typed();
				identify(message);
				// a failed login drops the packet: the server never sees it
				this.connection.failLoginIfAsked();
			}
			default -> this.connection.opaque("the client's startup packet has an unknown code " + code, Level.WARNING);
		}
	}

	/**
	 * Reads who the connection is from its startup packet: {@code user}, {@code database}
	 * (the user's name when absent, as the server does) and {@code application_name}.
	 */
	private void identify(ByteBuffer message) {
		ByteBuffer body = message.duplicate().position(8);
		String user = null;
		String database = null;
		String applicationName = null;
		while (body.hasRemaining()) {
			String name = PgMessages.readString(body);
			if (name == null || name.isEmpty()) {
				break;
			}
			String value = PgMessages.readString(body);
			if (value == null) {
				break;
			}
			switch (name) {
				case "user" -> user = value;
				case "database" -> database = value;
				case "application_name" -> applicationName = value;
				default -> {
				}
			}
		}
		this.connection.startupUser = user;
		this.connection.startupDatabase = (database != null) ? database : user;
		this.connection.link.identity().startup(user, (database != null) ? database : user, applicationName);
	}

	private void cancel(ByteBuffer message) {
		byte[] secret = new byte[message.limit() - 12];
		message.duplicate().position(12).get(secret);
		PgConnection target = this.connection.protocol.connection(PgConnection.key(message.getInt(8), secret));
		if (target != null && target.link.guarded(target::cancelHeld)) {
			// answered here, as the server would: the held statement fails with 57014
			stop();
			this.connection.link.close();
			return;
		}
		passThroughFromNowOn();
	}

	private void parse(ByteBuffer message) {
		ByteBuffer body = message.duplicate().position(5);
		String name = PgMessages.readString(body);
		if (name != null) {
			String sql = (!name.isEmpty() || this.connection.statementFaultsActive()) ? PgMessages.readString(body) : null;
			if (name.isEmpty()) {
				this.connection.unnamedSql = sql;
			}
			else {
				this.connection.statements.put(name, sql);
			}
		}
		this.connection.tracker.sent(new Entry('P'));
	}

	private void bind(ByteBuffer message) {
		ByteBuffer body = message.duplicate().position(5);
		String portalName = PgMessages.readString(body);
		String statement = (portalName != null) ? PgMessages.readString(body) : null;
		Entry entry = new Entry('B');
		if (statement == null) {
			this.connection.tracker.sent(entry);
			return;
		}
		String sql = statement.isEmpty() ? this.connection.unnamedSql : this.connection.statements.get(statement);
		Portal portal = new Portal(sql);
		this.connection.portals.put(portalName, portal);
		statement(sql, entry, portal, message, portalName);
	}

	private void execute(ByteBuffer message) {
		String portalName = PgMessages.readString(message.duplicate().position(5));
		Entry entry = new Entry('E');
		entry.portal = (portalName != null) ? this.connection.portals.get(portalName) : null;
		this.connection.tracker.sent(entry);
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
					this.connection.statements.remove(name);
				}
				else {
					this.connection.portals.remove(name);
				}
			}
		}
		this.connection.tracker.sent(new Entry('C'));
	}

	/**
	 * Applies the statement faults to a statement about to run, at its Bind or Query.
	 */
	private void statement(String sql, Entry entry, Portal portal, ByteBuffer message, String bindPortal) {
		if (sql == null) {
			this.connection.tracker.sent(entry);
			return;
		}
		Transactions transactions = this.connection.transactions;
		transactions.place(sql);
		StatementDecision decision = new StatementDecision(sql, this.connection.link, transactions.inTransaction(),
				transactions.index());
		for (FaultUnit.StatementHandling fault : this.connection.link.server().statementFaults()) {
			fault.onStatement(decision);
			if (decision.isFinal()) {
				break;
			}
		}
		if (decision.killWhen() == KillTiming.BEFORE) {
			stop();
			if (this.connection.hold != null) {
				this.connection.hold.items.add(new Held.Marker(PgConnection.killKind(decision.killMode())));
			}
			else {
				this.connection.link.pipe(Direction.UPSTREAM).forwardMarker(PgConnection.killKind(decision.killMode()));
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
		this.connection.tracker.sent(entry);
		ByteBuffer toSend = (replacement != null) ? replacement : message;
		if (decision.delayNanos() > 0) {
			flushBeforeCurrent();
			if (this.connection.hold == null) {
				this.connection.startHold(decision.delayNanos(), entry, bindPortal);
			}
			else {
				this.connection.hold.items.add(new Held.Statement(decision.delayNanos(), entry, bindPortal));
			}
			emit(toSend);
		}
		else if (replacement != null) {
			replaceCurrent(replacement);
		}
	}

}
