package dev.dbfault.core.fault;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Finds the PostgreSQL backend process serving a JDBC connection: through the driver's own
 * {@code PGConnection.getBackendPID()} when the connection unwraps to it (pgjdbc, pooled or
 * not), else by asking the server.
 */
final class BackendPid {

	private static final String PG_CONNECTION = "org.postgresql.PGConnection";

	private BackendPid() {
	}

	static int of(Connection connection) {
		if (connection == null) {
			throw new IllegalArgumentException("onConnectionOf needs a connection, was null");
		}
		try {
			if (connection.isClosed()) {
				throw new IllegalArgumentException("onConnectionOf needs an open connection; this one is closed");
			}
			Integer pid = fromDriver(connection);
			return (pid != null) ? pid : fromServer(connection);
		}
		catch (SQLException ex) {
			throw new IllegalArgumentException("onConnectionOf could not find the backend of the connection: "
					+ ex.getMessage(), ex);
		}
	}

	private static Integer fromDriver(Connection connection) throws SQLException {
		Class<?> type;
		try {
			type = Class.forName(PG_CONNECTION, false, connection.getClass().getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
		if (!connection.isWrapperFor(type)) {
			return null;
		}
		Object pg = connection.unwrap(type);
		try {
			Method method = type.getMethod("getBackendPID");
			return (Integer) method.invoke(pg);
		}
		catch (ReflectiveOperationException | ClassCastException ex) {
			return null;
		}
	}

	private static int fromServer(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
			if (!result.next()) {
				throw new SQLException("SELECT pg_backend_pid() returned no row");
			}
			return result.getInt(1);
		}
	}

}
