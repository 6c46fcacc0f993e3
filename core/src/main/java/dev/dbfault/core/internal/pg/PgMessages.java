package dev.dbfault.core.internal.pg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the few PostgreSQL protocol messages the proxy looks into or makes up.
 * Message layout: a type byte, an int32 length counting itself and the body, the body.
 * Strings are NUL-terminated UTF-8.
 */
final class PgMessages {

	/** First-message codes of the untyped startup packets. */
	static final int SSL_REQUEST = 80877103;

	static final int GSSENC_REQUEST = 80877104;

	static final int CANCEL_REQUEST = 80877102;

	/** Protocol versions 3.0 and 3.2 of the StartupMessage. */
	static final int PROTOCOL_3_0 = 196608;

	static final int PROTOCOL_3_2 = 196610;

	private PgMessages() {
	}

	/**
	 * Reads a NUL-terminated string.
	 * @param buffer the message, positioned at the string; left after its NUL
	 * @return the string, or {@code null} if there is no NUL before the limit
	 */
	static String readString(ByteBuffer buffer) {
		int start = buffer.position();
		for (int i = start; i < buffer.limit(); i++) {
			if (buffer.get(i) == 0) {
				byte[] bytes = new byte[i - start];
				buffer.get(bytes);
				buffer.get();
				return new String(bytes, StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	/**
	 * Skips a NUL-terminated string.
	 * @param buffer positioned at the string; left after its NUL
	 * @return whether a NUL was found
	 */
	static boolean skipString(ByteBuffer buffer) {
		for (int i = buffer.position(); i < buffer.limit(); i++) {
			if (buffer.get(i) == 0) {
				buffer.position(i + 1);
				return true;
			}
		}
		return false;
	}

	/**
	 * Builds an ErrorResponse as a server sends it.
	 * @param severity {@code ERROR} or {@code FATAL}
	 * @param sqlState the SQLSTATE
	 * @param message the primary message
	 * @return the whole message
	 */
	static ByteBuffer errorResponse(String severity, String sqlState, String message) {
		byte[] severityBytes = severity.getBytes(StandardCharsets.UTF_8);
		byte[] state = sqlState.getBytes(StandardCharsets.UTF_8);
		byte[] text = message.getBytes(StandardCharsets.UTF_8);
		int length = 4 + 2 * (1 + severityBytes.length + 1) + (1 + state.length + 1) + (1 + text.length + 1) + 1;
		ByteBuffer buffer = ByteBuffer.allocate(1 + length);
		buffer.put((byte) 'E').putInt(length);
		buffer.put((byte) 'S').put(severityBytes).put((byte) 0);
		buffer.put((byte) 'V').put(severityBytes).put((byte) 0);
		buffer.put((byte) 'C').put(state).put((byte) 0);
		buffer.put((byte) 'M').put(text).put((byte) 0);
		buffer.put((byte) 0);
		return buffer.flip();
	}

	/**
	 * Builds a simple Query the server rejects with a syntax error, so that it fails exactly
	 * where the original would have run. Its text names dbfault and why, so that a DBA who
	 * reads the error in the server's log sees it was injected: {@code syntax error at or near
	 * "dbfault_injected_sql_error_40001"}.
	 * @param why what was injected, such as {@code sql-error 40001}
	 * @return the message
	 */
	static ByteBuffer poisonQuery(String why) {
		byte[] query = ("/* dbfault: injected " + why + " */ dbfault_injected_" + identifier(why))
			.getBytes(StandardCharsets.UTF_8);
		ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + query.length + 1);
		buffer.put((byte) 'Q').putInt(4 + query.length + 1).put(query).put((byte) 0);
		return buffer.flip();
	}

	/**
	 * Reads one field of an ErrorResponse or NoticeResponse.
	 * @param message the whole message, its type byte first
	 * @param code the field's code, such as {@code V} (severity) or {@code M} (message)
	 * @return the field's value, or {@code null} when absent or unreadable
	 */
	static String errorField(ByteBuffer message, char code) {
		ByteBuffer body = message.duplicate().position(5);
		while (body.hasRemaining()) {
			byte field = body.get();
			if (field == 0) {
				return null;
			}
			String value = readString(body);
			if (value == null) {
				return null;
			}
			if (field == code) {
				return value;
			}
		}
		return null;
	}

	/**
	 * Builds a simple Query of dbfault's own, which names dbfault in the server's log.
	 * @param sql the statement
	 * @return the message
	 */
	static ByteBuffer query(String sql) {
		byte[] query = ("/* dbfault */ " + sql).getBytes(StandardCharsets.UTF_8);
		ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + query.length + 1);
		buffer.put((byte) 'Q').putInt(4 + query.length + 1).put(query).put((byte) 0);
		return buffer.flip();
	}

	/**
	 * Builds a Bind of a prepared statement that does not exist, so that the server fails it
	 * (and skips to the next Sync) exactly where the original would have run. The statement's
	 * name names dbfault and why, as the server logs it: {@code prepared statement "dbfault
	 * injected sql-error 40001" does not exist}.
	 * @param portal the portal the original Bind named
	 * @param why what was injected, such as {@code sql-error 40001}
	 * @return the message
	 */
	static ByteBuffer poisonBind(String portal, String why) {
		byte[] portalBytes = portal.getBytes(StandardCharsets.UTF_8);
		byte[] statement = ("dbfault injected " + why).getBytes(StandardCharsets.UTF_8);
		int length = 4 + portalBytes.length + 1 + statement.length + 1 + 2 + 2 + 2;
		ByteBuffer buffer = ByteBuffer.allocate(1 + length);
		buffer.put((byte) 'B').putInt(length).put(portalBytes).put((byte) 0).put(statement).put((byte) 0);
		buffer.putShort((short) 0).putShort((short) 0).putShort((short) 0);
		return buffer.flip();
	}

	private static String identifier(String why) {
		return why.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
	}

	/**
	 * Returns a copy of a buffer's remaining bytes.
	 * @param source the bytes
	 * @return a new buffer holding them
	 */
	static ByteBuffer copy(ByteBuffer source) {
		ByteBuffer copy = ByteBuffer.allocate(source.remaining());
		copy.put(source.duplicate()).flip();
		return copy;
	}

}
