package dev.dbfault.core.fault;

/**
 * Thrown when a fault cannot be created because one of its parameters is missing, unknown
 * or out of range. Nothing is applied when it is thrown.
 */
public class FaultParameterException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String parameter;

	/**
	 * Creates an exception about one parameter.
	 * @param parameter the name of the parameter at fault, as the user wrote it
	 * @param message the message, which names the parameter
	 */
	public FaultParameterException(String parameter, String message) {
		super(message);
		this.parameter = parameter;
	}

	/**
	 * Returns the name of the parameter at fault.
	 * @return the parameter name
	 */
	public String getParameter() {
		return this.parameter;
	}

}
