package dev.dbfault.autoconfigure;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Routes every DataSource of the application through a fault proxy when
 * {@code dbfault.enabled=true}, and the connections Flyway and Liquibase open with URLs of
 * their own. Without that property nothing of dbfault exists in the
 * context: the application is exactly as it was.
 */
// the DataSource auto-configuration of Spring Boot 4, and of Spring Boot 3 (a name whose class is absent is passed over)
@AutoConfiguration(beforeName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration" })
@ConditionalOnClass(DataSource.class)
@ConditionalOnBooleanProperty("dbfault.enabled")
@EnableConfigurationProperties(DbFaultProperties.class)
public final class DbFaultAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DbFaultProxies dbFaultProxies(DbFaultProperties properties) {
		return new DbFaultProxies(properties);
	}

	@Bean
	static DataSourceProxyBeanPostProcessor dbFaultDataSourceProxyBeanPostProcessor(
			ObjectProvider<DbFaultProxies> proxies, ObjectProvider<DbFaultProperties> properties) {
		return new DataSourceProxyBeanPostProcessor(proxies, properties);
	}

	@Bean
	static MigrationConnectionDetailsPostProcessor dbFaultMigrationConnectionDetailsPostProcessor(
			ObjectProvider<DbFaultProxies> proxies, ObjectProvider<DbFaultProperties> properties) {
		return new MigrationConnectionDetailsPostProcessor(proxies, properties);
	}

	@Bean
	SmartInitializingSingleton dbFaultStartupFaultCheck(DbFaultProxies proxies) {
		return proxies::checkStartupFaultsUsed;
	}

}
