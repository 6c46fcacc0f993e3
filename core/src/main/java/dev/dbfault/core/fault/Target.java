package dev.dbfault.core.fault;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a fault acts, narrowed from every connection of its proxy: the connections of one
 * PostgreSQL user, database, {@code application_name} or backend process, and, for faults
 * on statements, statements inside or outside a transaction or at one position in it. A
 * field left {@code null} does not narrow. Connection targets are read from a PostgreSQL
 * connection's startup and login, so they need a PostgreSQL proxy; a connection matches
 * only once it has logged in.
 *
 * @param applicationName a regular expression found in the connection's
 * {@code application_name}, or {@code null}
 * @param user a regular expression found in the connection's user name, or {@code null}
 * @param database a regular expression found in the connection's database name, or
 * {@code null}
 * @param backendPid the process id of the one PostgreSQL backend serving the connection,
 * or {@code null}
 * @param inTransaction only statements inside ({@code true}) or outside ({@code false}) a
 * transaction, or {@code null}
 * @param statementIndex only the statement at this position (from 1) in each transaction,
 * {@code BEGIN} not counted, a statement outside a transaction being the first; or
 * {@code null}
 */
public record Target(Pattern applicationName, Pattern user, Pattern database, Integer backendPid,
		Boolean inTransaction, Integer statementIndex) {

	/** The names of the options that narrow connections, in the order messages name them. */
	public static final List<String> CONNECTION_OPTIONS = List.of("applicationName", "user", "database", "backendPid");

	/** Every connection and statement. */
	public static final Target ANY = new Target(null, null, null, null, null, null);

	public Target {
		// the catalog's ranges, so that a Java caller reads the message a JSON one does
		if (backendPid != null) {
			FaultType.BACKEND_PID.convert((long) backendPid);
		}
		if (statementIndex != null) {
			FaultType.STATEMENT_INDEX.convert((long) statementIndex);
		}
	}

	/**
	 * Returns whether this narrows which connections the fault acts on.
	 * @return whether a connection target is set
	 */
	public boolean narrowsConnections() {
		return this.applicationName != null || this.user != null || this.database != null || this.backendPid != null;
	}

	/**
	 * Returns the name of the first option that narrows connections, for messages.
	 * @return the option's name, or {@code null} when none does
	 */
	public String firstConnectionOption() {
		return (this.applicationName != null) ? "applicationName" : (this.user != null) ? "user"
				: (this.database != null) ? "database" : (this.backendPid != null) ? "backendPid" : null;
	}

	/**
	 * Returns whether this narrows which statements the fault acts on.
	 * @return whether a statement target is set
	 */
	public boolean narrowsStatements() {
		return this.inTransaction != null || this.statementIndex != null;
	}


	/**
	 * Returns whether a statement at this place matches.
	 * @param inTransaction whether it runs inside a transaction
	 * @param index its position in the transaction, from 1
	 * @return whether it matches
	 */
	public boolean matchesStatement(boolean inTransaction, long index) {
		return (this.inTransaction == null || this.inTransaction == inTransaction)
				&& (this.statementIndex == null || this.statementIndex == index);
	}

	/**
	 * Compares by what the targets say: patterns by their source and flags, which
	 * {@link Pattern} itself does not, so that the same request renews a fault instead of
	 * conflicting with it.
	 */
	@Override
	public boolean equals(Object other) {
		return this == other || (other instanceof Target that && samePattern(this.applicationName, that.applicationName)
				&& samePattern(this.user, that.user) && samePattern(this.database, that.database)
				&& java.util.Objects.equals(this.backendPid, that.backendPid)
				&& java.util.Objects.equals(this.inTransaction, that.inTransaction)
				&& java.util.Objects.equals(this.statementIndex, that.statementIndex));
	}

	@Override
	public int hashCode() {
		return java.util.Objects.hash(source(this.applicationName), source(this.user), source(this.database),
				this.backendPid, this.inTransaction, this.statementIndex);
	}

	private static boolean samePattern(Pattern one, Pattern other) {
		return (one == null) ? other == null
				: other != null && one.pattern().equals(other.pattern()) && one.flags() == other.flags();
	}

	private static String source(Pattern pattern) {
		return (pattern != null) ? pattern.pattern() + "/" + pattern.flags() : null;
	}

	/**
	 * Returns the targets set, as requests give them.
	 * @return an ordered map of the set fields
	 */
	Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		if (this.applicationName != null) {
			map.put("applicationName", this.applicationName.pattern());
		}
		if (this.user != null) {
			map.put("user", this.user.pattern());
		}
		if (this.database != null) {
			map.put("database", this.database.pattern());
		}
		if (this.backendPid != null) {
			map.put("backendPid", this.backendPid.longValue());
		}
		if (this.inTransaction != null) {
			map.put("inTransaction", this.inTransaction.toString());
		}
		if (this.statementIndex != null) {
			map.put("statementIndex", this.statementIndex.longValue());
		}
		return map;
	}

}
