package dev.dbfault.test;

import dev.dbfault.autoconfigure.DbFaultAutoConfiguration;
import dev.dbfault.autoconfigure.DbFaultProxies;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@link DbFault} bean, in tests annotated with {@link AutoConfigureDbFault} only: it is
 * imported by that annotation and listed in no other imports file, so a running application
 * with {@code dbfault.enabled=true} has no test support in it.
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
