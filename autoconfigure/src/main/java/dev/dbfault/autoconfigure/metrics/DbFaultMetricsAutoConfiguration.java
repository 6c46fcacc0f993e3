package dev.dbfault.autoconfigure.metrics;

import dev.dbfault.autoconfigure.DbFaultAutoConfiguration;
import dev.dbfault.autoconfigure.DbFaultProxies;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the proxies, bound to every meter registry of the application.
 */
@AutoConfiguration(after = DbFaultAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(DbFaultProxies.class)
public final class DbFaultMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DbFaultMetrics dbFaultMetrics(DbFaultProxies proxies) {
		return new DbFaultMetrics(proxies);
	}

}
