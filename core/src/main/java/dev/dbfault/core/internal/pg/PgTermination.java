package dev.dbfault.core.internal.pg;

import dev.dbfault.core.internal.Link;

/**
 * Ends a connection as a PostgreSQL server shutting down does.
 */
public final class PgTermination {

	private PgTermination() {
	}

	/**
	 * Sends FATAL 57P01 to the client and closes the connection; a connection that is not
	 * read as PostgreSQL is just closed.
	 * @param link the connection
	 */
	public static void terminate(Link link) {
		if (link.protocol() instanceof PgConnection connection) {
			connection.terminate();
		}
		else {
			link.close();
		}
	}

}
