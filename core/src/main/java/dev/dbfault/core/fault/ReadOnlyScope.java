package dev.dbfault.core.fault;

import java.util.Locale;

/**
 * Which connections {@code read-only} makes read-only (its {@code connections}).
 */
public enum ReadOnlyScope {

	/**
	 * The connections open when the fault starts: stragglers on a primary that was demoted,
	 * while new connections reach the new primary.
	 */
	EXISTING,

	/** Every connection, new ones included: the only server left is a standby. */
	ALL;

	/**
	 * Returns the lower-case name used in requests.
	 * @return the id
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
