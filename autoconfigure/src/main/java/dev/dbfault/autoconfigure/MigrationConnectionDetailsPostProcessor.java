package dev.dbfault.autoconfigure;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Routes the connections that Flyway and Liquibase open with a JDBC URL of their own
 * ({@code spring.flyway.url}, {@code spring.liquibase.url}, or the connection details a
 * service connection gives them) through dbfault's proxies, so that a migration at startup
 * meets the faults a DataSource does: its {@code FlywayConnectionDetails} and
 * {@code LiquibaseConnectionDetails} answer the routed URL. A migration without a URL of its
 * own runs on the application's DataSource, which is routed already.
 *
 * <p>The details are matched by their interface's simple name, which both Spring Boot lines
 * share (the package differs), and the URL is routed when the tool first asks for it: by
 * then the application's DataSource, which the tool's auto-configuration resolves first, is
 * routed, so a migration to the same database shares its proxies.
 */
public class MigrationConnectionDetailsPostProcessor implements BeanPostProcessor, Ordered {

	private static final Set<String> DETAILS = Set.of("FlywayConnectionDetails", "LiquibaseConnectionDetails");

	private final ObjectProvider<DbFaultProxies> proxies;

	private final ObjectProvider<DbFaultProperties> properties;

	public MigrationConnectionDetailsPostProcessor(ObjectProvider<DbFaultProxies> proxies,
			ObjectProvider<DbFaultProperties> properties) {
		this.proxies = proxies;
		this.properties = properties;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?>[] interfaces = ClassUtils.getAllInterfaces(bean);
		for (Class<?> type : interfaces) {
			if (DETAILS.contains(type.getSimpleName())) {
				if (this.properties.getObject().getExclude().contains(beanName)) {
					return bean;
				}
				String tool = type.getSimpleName().startsWith("Flyway") ? "flyway" : "liquibase";
				return Proxy.newProxyInstance(bean.getClass().getClassLoader(), interfaces,
						new RoutedUrl(bean, beanName, type, tool, this.proxies));
			}
		}
		return bean;
	}

	/**
	 * Answers {@code getJdbcUrl} with the URL routed through dbfault's proxies, routed once,
	 * and everything else as the details themselves do.
	 */
	private static final class RoutedUrl implements InvocationHandler {

		private final Object details;

		private final String beanName;

		/** The details' public interface, through which their own URL is read. */
		private final Class<?> type;

		private final String tool;

		private final ObjectProvider<DbFaultProxies> proxies;

		private @Nullable String routed;

		RoutedUrl(Object details, String beanName, Class<?> type, String tool, ObjectProvider<DbFaultProxies> proxies) {
			this.details = details;
			this.beanName = beanName;
			this.type = type;
			this.tool = tool;
			this.proxies = proxies;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
			if (method.getName().equals("getJdbcUrl") && method.getParameterCount() == 0) {
				return routedUrl();
			}
			if (method.getName().equals("toString") && method.getParameterCount() == 0) {
				return "routed by dbfault: " + this.details;
			}
			if (method.getName().equals("equals") && method.getParameterCount() == 1) {
				return proxy == args[0];
			}
			if (method.getName().equals("hashCode") && method.getParameterCount() == 0) {
				return System.identityHashCode(proxy);
			}
			try {
				return method.invoke(this.details, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		}

		private synchronized @Nullable String routedUrl() throws ReflectiveOperationException {
			if (this.routed == null) {
				Object url = this.type.getMethod("getJdbcUrl").invoke(this.details);
				if (url == null) {
					// the tool runs on the application's DataSource, routed already
					return null;
				}
				this.routed = this.proxies.getObject().routeMigration(this.tool, this.beanName, (String) url);
			}
			return this.routed;
		}

	}

}
