package dev.dbfault.autoconfigure.actuate;

import java.time.Instant;

import dev.dbfault.autoconfigure.DbFaultAutoConfiguration;
import dev.dbfault.autoconfigure.DbFaultProxies;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The {@code dbfault} actuator endpoint, over HTTP and JMX, when the application grants it
 * access and exposes it.
 */
@AutoConfiguration(after = DbFaultAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(DbFaultProxies.class)
@ConditionalOnAvailableEndpoint(DbFaultEndpoint.class)
public final class DbFaultEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DbFaultEndpoint dbFaultEndpoint(DbFaultProxies proxies, ApplicationContext context) {
		return new DbFaultEndpoint(proxies,
				new InstanceIdentity(context.getEnvironment(), Instant.ofEpochMilli(context.getStartupDate())));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	DbFaultEndpointWebExtension dbFaultEndpointWebExtension(DbFaultEndpoint endpoint) {
		return new DbFaultEndpointWebExtension(endpoint);
	}

	@Bean
	static DbFaultOperationInvokerAdvisor dbFaultOperationInvokerAdvisor() {
		return new DbFaultOperationInvokerAdvisor();
	}

}
