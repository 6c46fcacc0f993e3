package dev.dbfault.autoconfigure.toxiproxy;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

import dev.dbfault.autoconfigure.DbFaultConfigurationException;
import dev.dbfault.autoconfigure.DbFaultProperties;
import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.toxiproxy.ToxiproxyApi;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * The application's Toxiproxy API: started with the context, stopped with it (and with it
 * every proxy made through it). The bound port is published as
 * {@value #PORT_PROPERTY}, the way {@code local.server.port} is.
 */
public class ToxiproxyApiServer implements SmartLifecycle {

	/** The property that holds the port the API listens on. */
	public static final String PORT_PROPERTY = "local.dbfault.toxiproxy-api.port";

	private static final String PROPERTY_SOURCE = "dbfault.ports";

	private static final Log logger = LogFactory.getLog(ToxiproxyApiServer.class);

	private final DbFaultProxies proxies;

	private final DbFaultProperties properties;

	private final ConfigurableEnvironment environment;

	private volatile ToxiproxyApi api;

	public ToxiproxyApiServer(DbFaultProxies proxies, DbFaultProperties properties, ConfigurableEnvironment environment) {
		this.proxies = proxies;
		this.properties = properties;
		this.environment = environment;
	}

	@Override
	public synchronized void start() {
		if (this.api != null) {
			return;
		}
		String host = this.properties.getBindAddress();
		int port = this.properties.getToxiproxyApi().getPort();
		try {
			this.api = ToxiproxyApi.builder()
				.listen(host, port)
				.proxies(this.proxies::proxies)
				.start();
		}
		catch (UncheckedIOException ex) {
			if (ex.getCause() instanceof java.net.BindException bind && String.valueOf(bind.getMessage()).contains("in use")) {
				throw new DbFaultConfigurationException("dbfault.toxiproxy-api.port", String.valueOf(port),
						ex.getMessage(), "Set dbfault.toxiproxy-api.port to another port, or 0 for a free one.", ex);
			}
			throw DbFaultConfigurationException.cannotListen(host, ex);
		}
		catch (IllegalArgumentException ex) {
			throw DbFaultConfigurationException.cannotListen(host, ex);
		}
		InetSocketAddress address = this.api.address();
		if (!address.getAddress().isLoopbackAddress()) {
			logger.warn("dbfault Toxiproxy API listens on " + address.getAddress().getHostAddress() + ":"
					+ address.getPort() + " (dbfault.bind-address=" + host + "), not on loopback: any host that"
					+ " reaches this one can list the proxies, inject faults and create proxies there, with no"
					+ " authentication");
		}
		publishPort(address.getPort());
		logger.info("dbfault Toxiproxy API listening on " + address.getAddress().getHostAddress() + ":"
				+ address.getPort() + " for proxies " + this.proxies.proxyNames());
	}

	private void publishPort(int port) {
		MutablePropertySources sources = this.environment.getPropertySources();
		PropertySource<?> source = sources.get(PROPERTY_SOURCE);
		if (source == null) {
			source = new MapPropertySource(PROPERTY_SOURCE, new HashMap<>());
			sources.addFirst(source);
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> values = (Map<String, Object>) source.getSource();
		values.put(PORT_PROPERTY, port);
	}

	@Override
	public synchronized void stop() {
		ToxiproxyApi api = this.api;
		this.api = null;
		if (api != null) {
			api.close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.api != null;
	}

	/**
	 * Returns the port the API answers on.
	 * @return the port
	 * @throws IllegalStateException when not running
	 */
	public int port() {
		ToxiproxyApi api = this.api;
		if (api == null) {
			throw new IllegalStateException("The dbfault Toxiproxy API is not running");
		}
		return api.address().getPort();
	}

	/**
	 * Returns the API, to reach the proxies made through it.
	 * @return the API
	 * @throws IllegalStateException when not running
	 */
	public ToxiproxyApi api() {
		ToxiproxyApi api = this.api;
		if (api == null) {
			throw new IllegalStateException("The dbfault Toxiproxy API is not running");
		}
		return api;
	}

}
