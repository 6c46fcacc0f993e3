package dev.dbfault.autoconfigure.actuate;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DbFaultEndpointTests {

	/**
	 * The operation does not list the catalog's parameters one by one (a new fault type's
	 * parameter would need a new argument): it takes them as one text that the fault types
	 * read, over HTTP from the body's members.
	 */
	@Test
	void injectTakesTheFaultParametersAsOneText() {
		for (Class<?> type : new Class<?>[] { DbFaultEndpoint.class, DbFaultEndpointWebExtension.class }) {
			Method inject = Arrays.stream(type.getMethods())
				.filter((method) -> method.getName().equals("inject"))
				.findFirst()
				.orElseThrow();
			assertThat(Arrays.stream(inject.getParameters()).map(Parameter::getName)).as(type.getSimpleName())
				.containsExactly("proxy", "fault", "id", "parameters");
		}
	}

}
