package dev.dbfault.core.internal.pg;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.internal.pg.Tracker.Entry;
import dev.dbfault.core.internal.pg.Tracker.Portal;

/**
 * The server's half of a PostgreSQL connection: the backend key, the errors of poisoned
 * statements, rows counted against a limit, answers swallowed before a kill after a
 * statement, and FATAL 57P01 injected at a message boundary. It shares the connection's
 * state ({@link PgConnection}) with the client's half.
 */
final class PgServerMessages extends MessageStream {

	private static final Logger logger = System.getLogger("dev.dbfault");

	private final PgConnection connection;

	PgServerMessages(PgConnection connection) {
		super(true);
		this.connection = connection;
	}

	@Override
	protected void output(ByteBuffer data) {
		this.connection.link.pipe(Direction.DOWNSTREAM).forward(data);
	}

	@Override
	protected void onRawByte(byte value) {
		if (value == 'S' || value == 'G') {
			this.connection.opaque("the server accepted " + ((value == 'S') ? "TLS" : "GSS encryption"), Level.DEBUG);
		}
	}

	@Override
	protected void unreadable(char type, int length) {
		this.connection.opaque("cannot read the server's message '" + type + "' (length " + length + ")", Level.WARNING);
	}

	@Override
	protected Disposition onHeader(char type, int bodyLength) {
		Tracker tracker = this.connection.tracker;
		Entry head = tracker.head();
		if (head != null && head.injected && type != 'S' && type != 'A') {
			// the answer to dbfault's own command, but a FATAL the server sends meanwhile (onWhole);
			// its ReadyForQuery ends it (onEnd)
			return (type == 'E') ? Disposition.WHOLE : Disposition.DROP;
		}
		if (this.connection.swallowThenKill == null && head != null && head.killAfterAnswer != null
				&& isAnswer(type)) {
			// the server has the statement: the client must never hear how it ended
			this.connection.swallowThenKill = head.killAfterAnswer;
		}
		if (this.connection.swallowThenKill != null) {
			observe(tracker, type);
			return Disposition.DROP;
		}
		switch (type) {
			case 'K', 'S':
				// BackendKeyData names the backend; ParameterStatus reports application_name as it changes
				return Disposition.WHOLE;
			case 'Z':
				// its status says whether a transaction is open, which statement targets read
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
						this.connection.link.pipe(Direction.DOWNSTREAM).forwardMarker(PgConnection.killKind(portal.rowMode));
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
		Entry head = this.connection.tracker.head();
		if (type == 'E' && head != null && head.injected) {
			String severity = PgMessages.errorField(message, 'V');
			if (severity == null) {
				severity = PgMessages.errorField(message, 'S');
			}
			boolean fatal = "FATAL".equals(severity) || "PANIC".equals(severity);
			if (!fatal) {
				String text = PgMessages.errorField(message, 'M');
				logger.log(Level.WARNING, () -> "dbfault [" + this.connection.link.server().name() + "] "
						+ this.connection.link + ": the server refused dbfault's read-only command: " + text);
				dropCurrent();
			}
			if (this.connection.terminatePending) {
				if (fatal) {
					replaceCurrent(message.duplicate());
				}
				onEnd(type);
			}
			return;
		}
		if (type == 'K' && message.limit() >= 13) {
			byte[] secret = new byte[message.limit() - 9];
			message.duplicate().position(9).get(secret);
			this.connection.backendKey = PgConnection.key(message.getInt(5), secret);
			this.connection.protocol.register(this.connection.backendKey, this.connection);
			this.connection.link.identity().backendPid(message.getInt(5));
		}
		else if (type == 'S') {
			ByteBuffer body = message.duplicate().position(5);
			String name = PgMessages.readString(body);
			if ("application_name".equals(name)) {
				String value = PgMessages.readString(body);
				if (value != null) {
					this.connection.link.applicationName(value);
				}
			}
			else if ("default_transaction_read_only".equals(name) && (head == null || !head.injected)) {
				this.connection.clientDefaultReadOnly = PgMessages.readString(body);
			}
		}
		if (this.connection.terminatePending || type == 'Z') {
			if (this.connection.terminatePending) {
				// this message goes through before the FATAL the terminate sends (onEnd stops the stream)
				replaceCurrent(message.duplicate());
			}
			onEnd(type);
		}
		if (type == 'Z' && message.limit() >= 6) {
			this.connection.status = message.get(5);
			this.connection.transactions.ready(message.get(5), this.connection.tracker.isEmpty());
		}
	}

	@Override
	protected void onEnd(char type) {
		if (type == 'Z') {
			this.connection.link.loggedIn();
			this.connection.tracker.ready();
			if (this.connection.swallowThenKill != null) {
				stop();
				this.connection.frontend.stop();
				this.connection.link.pipe(Direction.DOWNSTREAM)
					.forwardMarker(PgConnection.killKind(this.connection.swallowThenKill));
				return;
			}
		}
		if (this.connection.terminatePending) {
			this.connection.injectTerminate();
		}
	}

}
