package dev.dbfault.core.fault;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event a fault fired on, as its proxy's journal keeps it: when, which fault, on which
 * connection, on which statement, and what the fault did.
 *
 * @param sequence the entry's number on its proxy, from 1, in the order events fired
 * @param time when it fired
 * @param lastTime when the last firing the entry stands for fired ({@code time} for one)
 * @param faultId the fault's id
 * @param type the fault's type
 * @param seed the seed of the fault's random choices, to replay them
 * @param fired which firing of the fault this was, from 1 (the first, when the entry stands
 * for several)
 * @param events how many firings the entry stands for: 1, or more for a fault on data whose
 * successive firings on one direction of a connection joined one entry
 * @param connection the connection it fired on, or {@code null} for an event on no one
 * connection
 * @param direction the direction of the data it acted on, or {@code null} when it acted on
 * a connection or a statement
 * @param statement the start of the statement it acted on, or {@code null}
 * @param action what the fault did, such as {@code RST} or {@code 40001 instead of the statement}
 */
public record JournalEntry(long sequence, Instant time, Instant lastTime, String faultId, FaultType type, long seed, long fired,
		long events, Connection connection, Direction direction, String statement, String action) {

	/**
	 * The connection an event fired on.
	 *
	 * @param number the connection's number on its proxy, from 1, in the order accepted
	 * @param client the application's address and port, as {@code 127.0.0.1:52114}
	 * @param backendPid the PostgreSQL backend's process id, or {@code null} when unknown
	 * @param user the PostgreSQL user, or {@code null}
	 * @param database the PostgreSQL database, or {@code null}
	 * @param applicationName the PostgreSQL {@code application_name}, or {@code null}
	 */
	public record Connection(long number, String client, Integer backendPid, String user, String database,
			String applicationName) {

		/**
		 * Returns the connection as plain JSON-friendly values, unknown ones left out.
		 * @return an ordered map
		 */
		public Map<String, Object> toMap() {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("number", this.number);
			putIfSet(map, "client", this.client);
			putIfSet(map, "backendPid", this.backendPid);
			putIfSet(map, "user", this.user);
			putIfSet(map, "database", this.database);
			putIfSet(map, "applicationName", this.applicationName);
			return map;
		}

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder("#").append(this.number);
			if (this.backendPid != null) {
				text.append(" pid ").append(this.backendPid);
			}
			if (this.user != null) {
				text.append(' ').append(printable(this.user)).append('@').append(printable(this.database));
			}
			if (this.applicationName != null && !this.applicationName.isEmpty()) {
				text.append(" '").append(printable(this.applicationName)).append('\'');
			}
			if (this.client != null) {
				text.append(" from ").append(this.client);
			}
			return text.toString();
		}

	}

	/**
	 * Returns the entry as plain JSON-friendly values, unknown ones left out.
	 * @return an ordered map
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("sequence", this.sequence);
		map.put("time", this.time.toString());
		if (this.events > 1) {
			map.put("lastTime", this.lastTime.toString());
		}
		map.put("fault", this.faultId);
		map.put("type", this.type.id());
		map.put("seed", this.seed);
		map.put("fired", this.fired);
		map.put("events", this.events);
		if (this.connection != null) {
			map.put("connection", this.connection.toMap());
		}
		if (this.direction != null) {
			map.put("direction", this.direction.id());
		}
		putIfSet(map, "statement", this.statement);
		map.put("action", this.action);
		return map;
	}

	/**
	 * Returns one line saying what happened, for logs and test reports.
	 * @return the line
	 */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder().append(this.sequence).append(' ').append(this.time).append(' ')
			.append(this.faultId).append(" (").append(this.type.id()).append(", seed ").append(this.seed)
			.append(", firing ").append(this.fired).append((this.events > 1) ? ", " + this.events + " times" : "")
			.append(')');
		if (this.connection != null) {
			text.append(" on ").append(this.connection);
		}
		if (this.direction != null) {
			text.append(' ').append(this.direction.id());
		}
		text.append(": ").append(this.action);
		if (this.statement != null) {
			text.append(" `").append(this.statement).append('`');
		}
		return text.toString();
	}

	/**
	 * Writes control characters as {@code \\uXXXX}, so that a value from a client cannot
	 * start a line of its own in a log or a report.
	 * @param text the text
	 * @return the text, printable
	 */
	public static String printable(String text) {
		if (text == null) {
			return null;
		}
		StringBuilder out = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isISOControl(c)) {
				if (out == null) {
					out = new StringBuilder(text.length() + 8).append(text, 0, i);
				}
				out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
			}
			else if (out != null) {
				out.append(c);
			}
		}
		return (out != null) ? out.toString() : text;
	}

	private static void putIfSet(Map<String, Object> map, String name, Object value) {
		if (value != null) {
			map.put(name, value);
		}
	}

}
