package dev.dbfault.core.fault;

import java.util.Locale;

/**
 * How {@code drop-on} and {@code drop-after-rows} kill a connection (their {@code mode}).
 */
public enum KillMode {

	/** A TCP RST to both sides. */
	RESET,

	/** A FIN to both sides. */
	CLOSE,

	/** Everything after vanishes, both sockets stay open. */
	BLACKHOLE;

	/**
	 * Returns the lower-case name used in requests.
	 * @return the id
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
