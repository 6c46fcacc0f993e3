package dev.dbfault.core;

/**
 * Thrown when a valid fault cannot be injected into a particular proxy, such as a
 * PostgreSQL statement fault on a proxy that relays another database's bytes.
 */
public class FaultNotSupportedException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	public FaultNotSupportedException(String message) {
		super(message);
	}

}
