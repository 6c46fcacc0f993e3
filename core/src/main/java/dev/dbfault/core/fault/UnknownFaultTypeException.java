package dev.dbfault.core.fault;

/**
 * Thrown when a fault type name is not one dbfault knows.
 */
public class UnknownFaultTypeException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String type;

	public UnknownFaultTypeException(String type) {
		super("Unknown fault type '" + dev.dbfault.core.internal.text.Values.shorten(String.valueOf(type)) + "' (known: "
				+ FaultType.ids() + ")");
		this.type = type;
	}

	/**
	 * Returns the type name that was asked for.
	 * @return the unknown name
	 */
	public String getType() {
		return this.type;
	}

}
