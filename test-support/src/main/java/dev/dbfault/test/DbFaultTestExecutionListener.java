package dev.dbfault.test;

import dev.dbfault.autoconfigure.DbFaultProxies;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Heals every fault before and after each test method whose context routes DataSources
 * through dbfault, so a fault cannot leak from one test into the next, even when tests
 * share a cached context. Contexts without dbfault are not touched, and none is loaded.
 */
public class DbFaultTestExecutionListener implements TestExecutionListener, Ordered {

	@Override
	public int getOrder() {
		// after the context is ready, before transactional and other listeners act
		return 1900;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		heal(testContext);
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		heal(testContext);
	}

	private static void heal(TestContext testContext) {
		if (testContext.hasApplicationContext()) {
			testContext.getApplicationContext().getBeanProvider(DbFaultProxies.class).ifAvailable(DbFaultProxies::healAll);
		}
	}

}
