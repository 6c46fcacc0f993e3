package dev.dbfault.autoconfigure;

import java.util.Set;

import javax.sql.DataSource;

import dev.dbfault.core.jdbc.JdbcUrl;
import dev.dbfault.core.jdbc.UnsupportedJdbcUrlException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Routes each DataSource bean through fault proxies by rewriting its JDBC URL before it is
 * initialized, so before its pool opens a connection. The DataSource object itself is kept
 * (not wrapped), so pool metrics and {@code unwrap} keep working.
 *
 * <p>Runs after the post-processors that set a DataSource's URL (configuration properties
 * binding and Spring Boot's connection-details post-processor, which are priority-ordered).
 * A DataSource whose pool already started cannot be rerouted and stops the application with
 * a message saying why; so does a URL dbfault cannot route.
 */
public class DataSourceProxyBeanPostProcessor implements BeanPostProcessor, Ordered {

	private static final Log logger = LogFactory.getLog(DataSourceProxyBeanPostProcessor.class);

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			DataSourceProxyBeanPostProcessor.class.getClassLoader());

	private static final Set<String> URL_PROPERTIES = Set.of("jdbcUrl", "url", "URL");

	private final ObjectProvider<DbFaultProxies> proxies;

	private final ObjectProvider<DbFaultProperties> properties;

	public DataSourceProxyBeanPostProcessor(ObjectProvider<DbFaultProxies> proxies,
			ObjectProvider<DbFaultProperties> properties) {
		this.proxies = proxies;
		this.properties = properties;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		if (!(bean instanceof DataSource dataSource)) {
			return bean;
		}
		if (this.properties.getObject().getExclude().contains(beanName)) {
			logger.info("dbfault leaves DataSource '" + beanName + "' alone (dbfault.exclude)");
			return bean;
		}
		if (HIKARI_PRESENT && Hikari.isStarted(dataSource)) {
			throw new BeanCreationException(beanName, "dbfault cannot route DataSource '" + beanName
					+ "': its HikariCP pool started before dbfault could change its URL (new HikariDataSource(config)"
					+ " opens the pool at once). Build it with new HikariDataSource() and setters, or exclude it with"
					+ " dbfault.exclude=" + beanName);
		}
		BeanWrapper wrapper = new BeanWrapperImpl(dataSource);
		String property = urlProperty(wrapper);
		if (property == null) {
			logger.info("dbfault does not route DataSource '" + beanName + "' (" + dataSource.getClass().getName()
					+ "): it has no JDBC URL property; a DataSource it delegates to is routed if it is a bean");
			return bean;
		}
		Object url = wrapper.getPropertyValue(property);
		if (!(url instanceof String jdbcUrl) || jdbcUrl.isBlank()) {
			throw new BeanCreationException(beanName, "dbfault cannot route DataSource '" + beanName
					+ "': it has no JDBC URL (" + property + " is empty; a pool configured with a dataSourceClassName"
					+ " and server properties cannot be rerouted). Set its URL, or exclude it with dbfault.exclude="
					+ beanName);
		}
		DbFaultProxies registry = this.proxies.getObject();
		if (registry.isRouted(jdbcUrl)) {
			return bean;
		}
		try {
			RoutedDataSource routed = registry.route(beanName, jdbcUrl, dataSource);
			wrapper.setPropertyValue(property, routed.routedUrl());
		}
		catch (UnsupportedJdbcUrlException ex) {
			throw new BeanCreationException(beanName, "dbfault cannot route DataSource '" + beanName + "': "
					+ ex.getMessage() + ". Exclude it with dbfault.exclude=" + beanName
					+ (JdbcUrl.mask(jdbcUrl).startsWith("jdbc:h2:")
							? " (in a test slice, @AutoConfigureTestDatabase(replace = Replace.NONE) keeps your real database)"
							: ""),
					ex);
		}
		return bean;
	}

	private static String urlProperty(BeanWrapper wrapper) {
		for (String property : URL_PROPERTIES) {
			if (wrapper.isReadableProperty(property) && wrapper.isWritableProperty(property)
					&& wrapper.getPropertyType(property) == String.class) {
				return property;
			}
		}
		return null;
	}

	/**
	 * HikariCP specifics, kept apart so that HikariCP stays optional.
	 */
	private static final class Hikari {

		static boolean isStarted(DataSource dataSource) {
			return dataSource instanceof com.zaxxer.hikari.HikariDataSource hikari && hikari.isRunning();
		}

	}

}
