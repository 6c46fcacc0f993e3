package dev.dbfault.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * Hands the members of a fault injection's body (or query) to the inject operation as its
 * one {@code parameters} text, a JSON object, so that the operation takes whatever the fault
 * catalog lists and checks it there: a new fault's parameters need no change here, and a
 * name the fault type does not take (a typo such as {@code jiter}) is refused with a 400
 * naming it instead of being ignored.
 */
class DbFaultOperationInvokerAdvisor implements OperationInvokerAdvisor {

	private static final EndpointId DBFAULT = EndpointId.of("dbfault");

	static final String PARAMETERS = "parameters";

	/** The operation's own arguments: everything else is a parameter of the fault. */
	private static final Set<String> OWN = Set.of("proxy", "fault", "id", PARAMETERS);

	@Override
	public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters,
			OperationInvoker invoker) {
		if (!DBFAULT.equals(endpointId) || operationType != OperationType.WRITE) {
			return invoker;
		}
		return (context) -> {
			Map<String, Object> faultParameters = new LinkedHashMap<>();
			context.getArguments().forEach((name, value) -> {
				if (!OWN.contains(name)) {
					faultParameters.put(name, value);
				}
			});
			if (faultParameters.isEmpty()) {
				return invoker.invoke(context);
			}
			if (context.getArguments().get(PARAMETERS) != null) {
				return DbFaultEndpointWebExtension.error(WebEndpointResponse.STATUS_BAD_REQUEST,
						"give the fault's parameters either as members of the body or as one '" + PARAMETERS
								+ "' text, not both",
						PARAMETERS);
			}
			Map<String, Object> arguments = new LinkedHashMap<>();
			context.getArguments().forEach((name, value) -> {
				if (OWN.contains(name)) {
					arguments.put(name, value);
				}
			});
			arguments.put(PARAMETERS, JsonText.write(faultParameters));
			return invoker.invoke(new InvocationContext(context.resolveArgument(SecurityContext.class), arguments,
					new SameResolution(context)));
		};
	}

	/**
	 * Resolves the arguments of the operation itself (security context, namespace, ...) as
	 * the original invocation did.
	 */
	private record SameResolution(InvocationContext original) implements OperationArgumentResolver {

		@Override
		public boolean canResolve(Class<?> type) {
			return this.original.canResolve(type);
		}

		@Override
		public <T> T resolve(Class<T> type) {
			return this.original.resolveArgument(type);
		}

	}

}
