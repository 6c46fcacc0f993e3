package dev.dbfault.autoconfigure.actuate;

import java.util.Set;
import java.util.stream.Collectors;

import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultType;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameter;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * Refuses a fault injection that carries a parameter the operation does not know (a typo
 * such as {@code jiter}) with a 400 naming it, instead of ignoring it as an endpoint
 * otherwise would.
 */
class DbFaultOperationInvokerAdvisor implements OperationInvokerAdvisor {

	private static final EndpointId DBFAULT = EndpointId.of("dbfault");

	@Override
	public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters,
			OperationInvoker invoker) {
		if (!DBFAULT.equals(endpointId) || operationType != OperationType.WRITE) {
			return invoker;
		}
		Set<String> known = parameters.stream().map(OperationParameter::getName).collect(Collectors.toSet());
		return (context) -> {
			for (String name : context.getArguments().keySet()) {
				if (!known.contains(name)) {
					return DbFaultEndpointWebExtension.error(WebEndpointResponse.STATUS_BAD_REQUEST,
							unknownParameter(name, context.getArguments().get("fault")), name);
				}
			}
			return invoker.invoke(context);
		};
	}

	private static String unknownParameter(String name, Object fault) {
		String message = "Unknown parameter '" + name + "'";
		if (fault instanceof String type && FaultType.find(type).isPresent()) {
			message += " for fault " + FaultType.of(type).id() + " (accepted: " + FaultType.of(type)
				.allParameters()
				.stream()
				.map(FaultParameter::name)
				.collect(Collectors.joining(", ")) + ")";
		}
		return message;
	}

}
