package dev.dbfault.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Tells why a {@code dbfault.*} setting stopped the application, in Spring Boot's
 * "APPLICATION FAILED TO START" banner: the property, its value, the reason and the fix,
 * rather than a stack of bean creation failures.
 */
class DbFaultFailureAnalyzer extends AbstractFailureAnalyzer<DbFaultConfigurationException> {

	/** How much of a value the banner shows. */
	private static final int SHOWN = 200;

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DbFaultConfigurationException cause) {
		String value = (cause.getValue() == null) ? "(not set)"
				: (cause.getValue().length() <= SHOWN) ? "\"" + cause.getValue() + "\""
						: "\"" + cause.getValue().substring(0, SHOWN) + "…\" (" + cause.getValue().length() + " characters)";
		String description = "dbfault cannot start with its configuration:\n\n    Property: " + cause.getProperty()
				+ "\n    Value: " + value + "\n    Reason: " + cause.getReason();
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
