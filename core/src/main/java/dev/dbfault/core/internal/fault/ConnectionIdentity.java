package dev.dbfault.core.internal.fault;

import java.util.regex.Pattern;

import dev.dbfault.core.fault.JournalEntry;
import dev.dbfault.core.fault.Target;
import dev.dbfault.core.internal.text.LinearPattern;

/**
 * Who a connection is: its number on the proxy and the application's address, then, on a
 * PostgreSQL proxy, the user, database and {@code application_name} of its startup and the
 * backend that serves it. Small and without buffers; what journal entries keep is an
 * immutable snapshot of it, made when it changes, so an entry says who the connection was
 * when the fault fired. Written on the loop, read from any thread.
 */
public final class ConnectionIdentity {

	private final long number;

	private final String client;

	private volatile String user;

	private volatile String database;

	private volatile String applicationName;

	private volatile int backendPid;

	private volatile boolean loggedIn;

	/**
	 * Incremented on every change, so that a fault can keep whether it matched. On the
	 * connection's turn.
	 */
	private int version;

	private volatile JournalEntry.Connection snapshot;

	/**
	 * Creates the identity of a new connection.
	 * @param number its number on the proxy
	 * @param client the application's address and port, as {@code 127.0.0.1:52114}, or
	 * {@code null} when unknown
	 */
	public ConnectionIdentity(long number, String client) {
		this.number = number;
		this.client = client;
		this.snapshot = new JournalEntry.Connection(number, client, null, null, null, null);
	}

	public long number() {
		return this.number;
	}

	/**
	 * Notes the values of a PostgreSQL startup packet.
	 * @param user the user
	 * @param database the database (the user's name when the client gave none)
	 * @param applicationName the {@code application_name}, or {@code null}
	 */
	public void startup(String user, String database, String applicationName) {
		this.user = user;
		this.database = database;
		this.applicationName = applicationName;
		changed();
	}

	/**
	 * Notes a new {@code application_name}, as the server reports it.
	 * @param applicationName the name
	 * @return whether it changed
	 */
	public boolean applicationName(String applicationName) {
		if (applicationName.equals(this.applicationName)) {
			return false;
		}
		this.applicationName = applicationName;
		changed();
		return true;
	}

	/**
	 * Notes the process id from the server's BackendKeyData.
	 * @param pid the backend's process id
	 */
	public void backendPid(int pid) {
		this.backendPid = pid;
		changed();
	}

	/**
	 * Notes the first ReadyForQuery: the connection has logged in, and who it is is known.
	 */
	public void loggedIn() {
		this.loggedIn = true;
		changed();
	}

	public boolean isLoggedIn() {
		return this.loggedIn;
	}

	public int backendPid() {
		return this.backendPid;
	}

	/**
	 * Returns a number that changes whenever who the connection is changes; loop only.
	 * @return the version
	 */
	public int version() {
		return this.version;
	}

	/**
	 * Returns whether this connection is one a fault aims at; a connection that has not
	 * logged in is no one's target yet. The regular expressions run with a bounded amount
	 * of work, as a statement's {@code match} does: one that gives up counts as no match.
	 * On the connection's turn (the proxy's loop, or an in-process connection's lock); callers
	 * keep the answer until {@link #version()} changes.
	 * @param target the fault's target
	 * @return whether it matches
	 */
	public boolean matches(Target target) {
		return this.loggedIn && finds(target.applicationName(), this.applicationName)
				&& finds(target.user(), this.user) && finds(target.database(), this.database)
				&& (target.backendPid() == null || target.backendPid() == this.backendPid);
	}

	private static boolean finds(Pattern pattern, String value) {
		return pattern == null || (value != null && LinearPattern.of(pattern).find(value));
	}

	/**
	 * Returns the connection as a journal shows it, as it is now.
	 * @return the connection's description
	 */
	public JournalEntry.Connection describe() {
		return this.snapshot;
	}

	private void changed() {
		this.version++;
		int pid = this.backendPid;
		this.snapshot = new JournalEntry.Connection(this.number, this.client, (pid != 0) ? pid : null, this.user,
				this.database, this.applicationName);
	}

}
