package dev.dbfault.test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.FaultProxy;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The proxies a {@link DbFaultExplore} test runs through, and how a run is set up and put
 * back: the {@link FaultProxy} fields of a plain JUnit test, or the proxies of a Spring
 * test's context, whose pools are settled before each run and restored after a run that
 * broke a connection.
 */
abstract class ExploreProxies {

	/** How long a pool may take to settle or answer again between runs. */
	static final Duration POOL_TIMEOUT = Duration.ofSeconds(30);

	abstract List<FaultProxy> proxies();

	/**
	 * Waits until nothing opens connections in the background, so that a run's statements
	 * are the test's own.
	 */
	abstract void settle();

	/**
	 * Puts the proxies' connections back after a run that broke one.
	 */
	abstract void restore();

	/**
	 * Returns how a test reaches a proxy, for the line that reproduces a run.
	 * @param proxy the proxy
	 * @return the Java expression
	 */
	abstract String reach(FaultProxy proxy);

	FaultProxy proxy(String name) {
		return proxies().stream()
			.filter((proxy) -> proxy.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("The proxy '" + name + "' the run with no fault went through"
					+ " is gone; proxies now: " + proxies().stream().map(FaultProxy::name).toList()));
	}

	/**
	 * Finds the proxies of a test: its {@link FaultProxy} fields, else its Spring context's.
	 */
	static ExploreProxies of(ExtensionContext context) {
		Map<String, FaultProxy> fields = fields(context);
		if (!fields.isEmpty()) {
			return new Fields(fields);
		}
		try {
			return new SpringContext(context);
		}
		catch (NoClassDefFoundError | IllegalStateException ex) {
			throw new IllegalStateException("@DbFaultExplore on " + context.getRequiredTestMethod()
					+ " finds no proxy: use it in a @SpringBootTest with @AutoConfigureDbFault, or give the test"
					+ " class a FaultProxy field (" + ex.getMessage() + ")", ex);
		}
	}

	private static Map<String, FaultProxy> fields(ExtensionContext context) {
		Map<String, FaultProxy> proxies = new LinkedHashMap<>();
		Object instance = context.getTestInstance().orElse(null);
		for (Class<?> type = context.getRequiredTestClass(); type != null && type != Object.class; type = type
			.getSuperclass()) {
			for (Field field : type.getDeclaredFields()) {
				if (!FaultProxy.class.isAssignableFrom(field.getType())
						|| (!Modifier.isStatic(field.getModifiers()) && instance == null)) {
					continue;
				}
				try {
					field.setAccessible(true);
					Object value = field.get(Modifier.isStatic(field.getModifiers()) ? null : instance);
					if (value instanceof FaultProxy proxy) {
						proxies.putIfAbsent(field.getName(), proxy);
					}
				}
				catch (ReflectiveOperationException | RuntimeException ex) {
					throw new IllegalStateException("@DbFaultExplore cannot read the FaultProxy field "
							+ type.getName() + "." + field.getName() + ": " + ex, ex);
				}
			}
		}
		return proxies;
	}

	/**
	 * The proxies of a plain JUnit test's fields.
	 */
	private static final class Fields extends ExploreProxies {

		private final Map<String, FaultProxy> proxies;

		Fields(Map<String, FaultProxy> proxies) {
			this.proxies = proxies;
		}

		@Override
		List<FaultProxy> proxies() {
			return new ArrayList<>(this.proxies.values());
		}

		@Override
		void settle() {
		}

		@Override
		void restore() {
		}

		@Override
		String reach(FaultProxy proxy) {
			return this.proxies.entrySet()
				.stream()
				.filter((entry) -> entry.getValue() == proxy)
				.map(Map.Entry::getKey)
				.findFirst()
				.orElse("proxy");
		}

	}

	/**
	 * The proxies of a Spring test's context.
	 */
	private static final class SpringContext extends ExploreProxies {

		private final DbFaultProxies proxies;

		private final DbFault dbFault;

		SpringContext(ExtensionContext context) {
			ApplicationContext application = SpringExtension.getApplicationContext(context);
			this.proxies = application.getBeanProvider(DbFaultProxies.class).getIfAvailable();
			if (this.proxies == null) {
				throw new IllegalStateException("the test's context has no dbfault proxies");
			}
			DbFault dbFault = application.getBeanProvider(DbFault.class).getIfAvailable();
			this.dbFault = (dbFault != null) ? dbFault
					: new DbFault(this.proxies, (org.springframework.beans.factory.config.ConfigurableListableBeanFactory) application
						.getAutowireCapableBeanFactory());
		}

		@Override
		List<FaultProxy> proxies() {
			return this.proxies.proxies();
		}

		@Override
		void settle() {
			this.dbFault.settlePools(POOL_TIMEOUT);
		}

		@Override
		void restore() {
			this.dbFault.restore(POOL_TIMEOUT);
			this.dbFault.settlePools(POOL_TIMEOUT);
		}

		@Override
		String reach(FaultProxy proxy) {
			return "dbFault.proxy(\"" + proxy.name() + "\")";
		}

	}

}
