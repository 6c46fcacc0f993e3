package dev.dbfault.testdb;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The condition behind {@link RequiresDocker}.
 */
class DockerCondition implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (ContainerDatabase.dockerAvailable()) {
			return ConditionEvaluationResult.enabled("a Docker engine answers");
		}
		ContainerDatabase.failIfDockerRequired();
		return ConditionEvaluationResult.disabled(ContainerDatabase.NO_DOCKER);
	}

}
