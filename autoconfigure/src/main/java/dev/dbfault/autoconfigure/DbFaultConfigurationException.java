package dev.dbfault.autoconfigure;

/**
 * A {@code dbfault.*} setting the application cannot start with: which property, the value
 * it was given, what is wrong with it and how to fix it. Spring Boot's failure banner shows
 * all four ({@link DbFaultFailureAnalyzer}).
 */
public class DbFaultConfigurationException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String value;

	private final String reason;

	private final String action;

	/**
	 * Creates the exception.
	 * @param property the property, as {@code dbfault.startup-faults[0].parameters.latency}
	 * @param value the value it was given, or {@code null} when it was not set
	 * @param reason what is wrong
	 * @param action how to fix it
	 * @param cause the failure that showed it, or {@code null}
	 */
	public DbFaultConfigurationException(String property, String value, String reason, String action,
			Throwable cause) {
		super(property + ": " + reason + " (" + action + ")", cause);
		this.property = property;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	/**
	 * Says that the proxies or the Toxiproxy API cannot listen on {@code dbfault.bind-address}.
	 * @param value the bind address
	 * @param failure why listening failed
	 * @return the exception
	 */
	public static DbFaultConfigurationException cannotListen(String value, RuntimeException failure) {
		return new DbFaultConfigurationException("dbfault.bind-address", value,
				failure.getMessage() + ((failure.getCause() != null) ? ": " + failure.getCause() : ""),
				"Set dbfault.bind-address to an address of this machine: 127.0.0.1 (the default), an address of"
						+ " one of its interfaces, or 0.0.0.0 for all.",
				failure);
	}

	/**
	 * Returns the property at fault.
	 * @return its name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Returns the value the property was given.
	 * @return the value, or {@code null} when it was not set
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * Returns what is wrong with the value.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * Returns how to fix it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
