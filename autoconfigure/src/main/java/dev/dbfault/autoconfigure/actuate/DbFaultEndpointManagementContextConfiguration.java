package dev.dbfault.autoconfigure.actuate;

import dev.dbfault.autoconfigure.DbFaultProxies;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The servlet filter that answers every request to the {@code dbfault} endpoint clearly
 * ({@link DbFaultEndpointRequestFilter}), in whichever context serves the actuator: the
 * application's own, or the child context of a separate {@code management.server.port}.
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ Filter.class, FilterRegistrationBean.class })
@ConditionalOnBean({ DbFaultProxies.class, PathMappedEndpoints.class })
@ConditionalOnAvailableEndpoint(endpoint = DbFaultEndpoint.class, exposure = EndpointExposure.WEB)
class DbFaultEndpointManagementContextConfiguration {

	/**
	 * After the application's security filters (Spring Security's chain runs at -100), so
	 * an unauthenticated request is refused by them before this filter reads anything.
	 */
	static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	@Bean
	FilterRegistrationBean<DbFaultEndpointRequestFilter> dbFaultEndpointRequestFilter(DbFaultProxies proxies,
			ObjectProvider<PathMappedEndpoints> endpoints) {
		DbFaultEndpointRequestFilter filter = new DbFaultEndpointRequestFilter(() -> {
			PathMappedEndpoints mapped = endpoints.getIfAvailable();
			return (mapped != null) ? mapped.getPath(EndpointId.of("dbfault")) : null;
		}, proxies);
		FilterRegistrationBean<DbFaultEndpointRequestFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setName("dbFaultEndpointRequestFilter");
		registration.setOrder(ORDER);
		return registration;
	}

}
