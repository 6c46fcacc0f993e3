package dev.dbfault.autoconfigure.health;

import dev.dbfault.autoconfigure.DbFaultAutoConfiguration;
import dev.dbfault.autoconfigure.DbFaultProxies;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code dbfault} health contributor.
 */
@AutoConfiguration(after = DbFaultAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(DbFaultProxies.class)
@ConditionalOnEnabledHealthIndicator("dbfault")
public final class DbFaultHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "dbfaultHealthIndicator")
	DbFaultHealthIndicator dbfaultHealthIndicator(DbFaultProxies proxies) {
		return new DbFaultHealthIndicator(proxies);
	}

}
