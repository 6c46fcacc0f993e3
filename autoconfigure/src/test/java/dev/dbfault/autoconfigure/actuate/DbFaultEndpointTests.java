package dev.dbfault.autoconfigure.actuate;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DbFaultEndpointTests {

	@Test
	void injectTakesEveryParameterOfEveryFaultType() {
		Set<String> expected = new LinkedHashSet<>();
		for (FaultType type : FaultType.values()) {
			type.allParameters().stream().map(FaultParameter::name).forEach(expected::add);
		}
		for (Class<?> type : new Class<?>[] { DbFaultEndpoint.class, DbFaultEndpointWebExtension.class }) {
			Method inject = Arrays.stream(type.getMethods())
				.filter((method) -> method.getName().equals("inject"))
				.findFirst()
				.orElseThrow();
			Set<String> declared = Arrays.stream(inject.getParameters())
				.map(Parameter::getName)
				.filter((name) -> !name.equals("proxy") && !name.equals("fault") && !name.equals("id"))
				.collect(Collectors.toCollection(LinkedHashSet::new));
			assertThat(declared).as(type.getSimpleName()).containsExactlyInAnyOrderElementsOf(expected);
		}
	}

}
