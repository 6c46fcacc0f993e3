package dev.dbfault.core.fault;

import java.util.Locale;

/**
 * Which way through the proxy a fault acts on.
 */
public enum Direction {

	/** From the application to the database. */
	UPSTREAM,

	/** From the database to the application. */
	DOWNSTREAM,

	/** Both ways. */
	BOTH;

	/**
	 * Returns whether data flowing in {@code flow} (never {@link #BOTH}) is covered by this
	 * direction.
	 * @param flow the direction data is flowing in
	 * @return whether this direction covers it
	 */
	public boolean covers(Direction flow) {
		return this == BOTH || this == flow;
	}

	/**
	 * Returns the lower-case name used in JSON and properties.
	 * @return {@code upstream}, {@code downstream} or {@code both}
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
