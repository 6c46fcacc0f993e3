package dev.dbfault.core.fault;

import java.util.Locale;

/**
 * What {@code probability} and {@code after} count for a fault that acts on chunks of data:
 * each chunk, or each connection (and direction) once.
 */
public enum Sampling {

	/** Each chunk of data is an event: the chance is drawn again for every chunk. */
	EVENT,

	/**
	 * The first chunk of each connection, in each direction, decides for all that follow:
	 * the chance is drawn once per connection and direction, as Toxiproxy's toxicity is.
	 */
	CONNECTION;

	/**
	 * Returns the lower-case id, as requests give it.
	 * @return {@code event} or {@code connection}
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
