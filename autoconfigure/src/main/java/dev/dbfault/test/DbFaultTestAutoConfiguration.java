package dev.dbfault.test;

import dev.dbfault.autoconfigure.DbFaultAutoConfiguration;
import dev.dbfault.autoconfigure.DbFaultProxies;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@link DbFault} bean, wherever dbfault is on.
 */
@AutoConfiguration(after = DbFaultAutoConfiguration.class)
@ConditionalOnBean(DbFaultProxies.class)
public final class DbFaultTestAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DbFault dbFault(DbFaultProxies proxies, ConfigurableListableBeanFactory beanFactory) {
		return new DbFault(proxies, beanFactory);
	}

}
