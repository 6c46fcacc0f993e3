package dev.dbfault.core.jdbc;

/**
 * Thrown when dbfault cannot route a JDBC URL through a proxy: an unknown database, an
 * embedded database, or an address the driver resolves on its own (a TNS alias, a DNS SRV
 * record, a named SQL Server instance without a port).
 */
public class UnsupportedJdbcUrlException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	public UnsupportedJdbcUrlException(String message) {
		super(message);
	}

}
