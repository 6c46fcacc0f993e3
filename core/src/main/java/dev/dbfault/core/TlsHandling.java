package dev.dbfault.core;

/**
 * What a PostgreSQL-aware proxy does when a client asks for TLS (or GSS encryption).
 */
public enum TlsHandling {

	/**
	 * Pass the request to the server. If the server agrees, the connection is encrypted and
	 * relayed unread: TCP faults apply to it, statement faults do not.
	 */
	PASS_THROUGH,

	/**
	 * Answer 'N' as a server without TLS does: a client with {@code sslmode=prefer} (the
	 * PostgreSQL JDBC driver's default) goes on in plaintext, so statement faults apply; a
	 * client that requires TLS fails to connect. A client that opens TLS directly, with no
	 * request to answer ({@code sslnegotiation=direct}), is closed, as a server without TLS
	 * does.
	 */
	DECLINE

}
