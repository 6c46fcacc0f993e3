package dev.dbfault.core.internal.pg;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.dbfault.core.internal.EngineConnection;
import dev.dbfault.core.internal.ProtocolHandler;

/**
 * What a PostgreSQL-aware proxy shares between its connections: how TLS requests are
 * handled, and which connection each backend key belongs to (a CancelRequest arrives on a
 * connection of its own and names its target by that key). Thread-safe: connections of both
 * transports register here.
 */
public final class PgProtocol {

	private final boolean declineTls;

	private final Map<String, PgConnection> byBackendKey = new ConcurrentHashMap<>();

	/**
	 * Creates the shared state of one proxy.
	 * @param declineTls whether to answer TLS and GSS encryption requests with 'N' so that
	 * the client falls back to plaintext (true), or to pass them to the server (false)
	 */
	public PgProtocol(boolean declineTls) {
		this.declineTls = declineTls;
	}

	/**
	 * Creates the protocol handler of a new connection.
	 * @param link the connection
	 * @return its handler
	 */
	public ProtocolHandler create(EngineConnection link) {
		return new PgConnection(this, link);
	}

	boolean declinesTls() {
		return this.declineTls;
	}

	void register(String backendKey, PgConnection connection) {
		this.byBackendKey.put(backendKey, connection);
	}

	void unregister(String backendKey, PgConnection connection) {
		if (backendKey != null) {
			this.byBackendKey.remove(backendKey, connection);
		}
	}

	PgConnection connection(String backendKey) {
		return this.byBackendKey.get(backendKey);
	}

}
