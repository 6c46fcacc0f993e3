package dev.dbfault.autoconfigure.toxiproxy;

import dev.dbfault.autoconfigure.DbFaultAutoConfiguration;
import dev.dbfault.autoconfigure.DbFaultProperties;
import dev.dbfault.autoconfigure.DbFaultProxies;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.context.annotation.Bean;

/**
 * Answers Toxiproxy's HTTP API on its own port when {@code dbfault.toxiproxy-api.enabled=true},
 * listing every routed DataSource's proxy under its name.
 */
@AutoConfiguration(after = DbFaultAutoConfiguration.class)
@ConditionalOnClass(name = "com.sun.net.httpserver.HttpServer")
@ConditionalOnBean(DbFaultProxies.class)
@ConditionalOnBooleanProperty("dbfault.toxiproxy-api.enabled")
public final class DbFaultToxiproxyApiAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ToxiproxyApiServer dbFaultToxiproxyApiServer(DbFaultProxies proxies, DbFaultProperties properties,
			ConfigurableEnvironment environment) {
		return new ToxiproxyApiServer(proxies, properties, environment);
	}

}
