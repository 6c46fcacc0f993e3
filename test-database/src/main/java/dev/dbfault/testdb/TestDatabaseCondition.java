package dev.dbfault.testdb;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a suite only where the selected {@link TestDatabase} can run: the Testcontainers kind
 * needs a Docker engine (else the suite is reported skipped with the reason, or failed when
 * {@code dbfault.test.require-docker=true}); the external kind needs its URL.
 */
public class TestDatabaseCondition implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		return switch (TestDatabase.selectedKind()) {
			case "testcontainers" -> new DockerCondition().evaluateExecutionCondition(context);
			case "external" -> (System.getenv("DBFAULT_TEST_JDBC_URL") != null)
					? ConditionEvaluationResult.enabled("DBFAULT_TEST_JDBC_URL is set")
					: ConditionEvaluationResult
						.disabled("dbfault.test.database=external needs DBFAULT_TEST_JDBC_URL (jdbc:postgresql://host:port/db)");
			default -> ConditionEvaluationResult.enabled("the embedded PostgreSQL runs anywhere");
		};
	}

}
