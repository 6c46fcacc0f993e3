package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.JournalEntry;
import dev.dbfault.core.fault.Target;

/**
 * Who a connection is: its number on the proxy and the application's address, then, on a
 * PostgreSQL proxy, the user, database and {@code application_name} of its startup and the
 * backend that serves it. Small and without buffers, so that journal entries may keep it
 * after the connection is gone. Written on the loop, read from any thread.
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
	 * Creates the identity of a new connection.
	 * @param number its number on the proxy
	 * @param client the application's address and port, as {@code 127.0.0.1:52114}, or
	 * {@code null} when unknown
	 */
	public ConnectionIdentity(long number, String client) {
		this.number = number;
		this.client = client;
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
		return true;
	}

	/**
	 * Notes the process id from the server's BackendKeyData.
	 * @param pid the backend's process id
	 */
	public void backendPid(int pid) {
		this.backendPid = pid;
	}

	/**
	 * Notes the first ReadyForQuery: the connection has logged in, and who it is is known.
	 */
	public void loggedIn() {
		this.loggedIn = true;
	}

	public boolean isLoggedIn() {
		return this.loggedIn;
	}

	/**
	 * Returns whether this connection is one a fault aims at; a connection that has not
	 * logged in is no one's target yet.
	 * @param target the fault's target
	 * @return whether it matches
	 */
	public boolean matches(Target target) {
		return this.loggedIn
				&& target.matchesConnection(this.applicationName, this.user, this.database, this.backendPid);
	}

	/**
	 * Returns the connection as a journal shows it.
	 * @return the connection's description
	 */
	public JournalEntry.Connection describe() {
		int pid = this.backendPid;
		return new JournalEntry.Connection(this.number, this.client, (pid != 0) ? pid : null, this.user, this.database,
				this.applicationName);
	}

}
