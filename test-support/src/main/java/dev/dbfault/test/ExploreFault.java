package dev.dbfault.test;

import java.util.Locale;

/**
 * What a statement meets in one run of a {@link DbFaultExplore} test.
 */
public enum ExploreFault {

	/** The statement fails with the explored SQLSTATE ({@code 40001} by default) instead of running. */
	SQL_ERROR("sql-error"),

	/** The connection dies before the statement reaches the server: it did not run. */
	DROP_BEFORE("drop-before"),

	/**
	 * The server runs the statement and the connection dies before its answer arrives: the
	 * ambiguous case. Only statements that change data ({@code INSERT}, {@code UPDATE},
	 * {@code DELETE}, {@code MERGE}, {@code TRUNCATE}, a {@code WITH} that writes) and
	 * {@code COMMIT} meet it.
	 */
	DROP_AFTER("drop-after");

	private final String id;

	ExploreFault(String id) {
		this.id = id;
	}

	/**
	 * Returns the kind's name in run names and reports.
	 * @return the name, as {@code drop-after}
	 */
	public String id() {
		return this.id;
	}

	@Override
	public String toString() {
		return this.id.toLowerCase(Locale.ROOT);
	}

}
