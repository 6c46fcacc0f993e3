package dev.dbfault.core;

/**
 * Thrown when a valid fault cannot be injected into a particular proxy, such as a
 * PostgreSQL statement fault on a proxy that relays another database's bytes.
 */
public class FaultNotSupportedException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final TlsHandling remedy;

	public FaultNotSupportedException(String message) {
		this(message, null);
	}

	/**
	 * Creates an exception for a fault that the proxy could take with other TLS handling.
	 * @param message the message
	 * @param remedy the TLS handling under which the fault would work, or {@code null}
	 */
	public FaultNotSupportedException(String message, TlsHandling remedy) {
		super(message);
		this.remedy = remedy;
	}

	/**
	 * Returns the TLS handling under which the proxy could take the fault, so that a
	 * configuration layer can name its own setting for it.
	 * @return the TLS handling, or {@code null} when that would not help
	 */
	public TlsHandling getRemedy() {
		return this.remedy;
	}

}
