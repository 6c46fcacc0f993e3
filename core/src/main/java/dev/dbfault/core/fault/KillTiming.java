package dev.dbfault.core.fault;

import java.util.Locale;

/**
 * When {@code drop-on} kills the connection of a matching statement (its {@code when}).
 */
public enum KillTiming {

	/** Before the statement reaches the server: it never ran. */
	BEFORE,

	/** Once the server answered it, before the client hears the answer. */
	AFTER;

	/**
	 * Returns the lower-case name used in requests.
	 * @return the id
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
