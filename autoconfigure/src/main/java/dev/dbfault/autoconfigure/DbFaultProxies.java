package dev.dbfault.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

import dev.dbfault.autoconfigure.DbFaultProperties.Transport;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.FaultNotSupportedException;
import dev.dbfault.core.FaultProxyListener;
import dev.dbfault.core.FaultSocketFactory;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.core.fault.UnknownFaultTypeException;
import dev.dbfault.core.jdbc.HostPort;
import dev.dbfault.core.jdbc.JdbcUrl;
import dev.dbfault.core.jdbc.UnsupportedJdbcUrlException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * Every fault proxy of the application, one or more per routed DataSource, named after the
 * DataSource's bean (with {@code -1}, {@code -2}, ... for the hosts of a multi-host URL).
 * Proxies are created and started as their DataSources are configured, before any pool
 * opens a connection, and stopped when the context closes.
 *
 * <p>Thread-safe: routing happens during context refresh; lookups may come from any thread.
 */
public class DbFaultProxies implements DisposableBean {

	private static final Log logger = LogFactory.getLog(DbFaultProxies.class);

	private final DbFaultProperties properties;

	private final RecoveryAdvisor advisor;

	/** What the advisor found as faults of incidents were injected, once per DataSource and setting. */
	private final Map<String, Advice> incidentAdvice = new LinkedHashMap<>();

	private final List<StartupFaultSpec> startupFaults;

	private final Map<String, RoutedDataSource> dataSources = Collections.synchronizedMap(new LinkedHashMap<>());

	private final List<FaultProxyListener> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Creates the registry; startup faults are validated here, so a bad one stops the
	 * application before anything is routed.
	 * @param properties the configuration
	 * @throws IllegalStateException naming the property of an unusable startup fault
	 */
	public DbFaultProxies(DbFaultProperties properties) {
		this.properties = properties;
		this.advisor = properties.getAdvisor().isEnabled()
				? new RecoveryAdvisor(properties.getAdvisor().getServerIdleTimeout()) : null;
		this.startupFaults = StartupFaultSpec.parse(properties.getStartupFaults());
		if (!isLoopback(properties.getBindAddress())) {
			logger.warn("dbfault.bind-address=" + properties.getBindAddress() + " is not a loopback address: the fault"
					+ " proxies listen on it, so any host that reaches this one can connect through them to the"
					+ " application's databases (and meet their faults); keep 127.0.0.1 unless other hosts must");
		}
	}

	private static boolean isLoopback(String address) {
		try {
			return java.net.InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (java.net.UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * Routes a DataSource: starts a proxy for each host of its URL and returns the URL that
	 * goes through them.
	 * @param beanName the DataSource's bean name
	 * @param url its JDBC URL
	 * @param dataSource the DataSource, for the advisor, or {@code null} for the connections
	 * of a tool that opens its own
	 * @return the routed DataSource
	 * @throws dev.dbfault.core.jdbc.UnsupportedJdbcUrlException if the URL cannot be routed
	 */
	public RoutedDataSource route(String beanName, String url, DataSource dataSource) {
		JdbcUrl parsed = JdbcUrl.parse(url);
		List<FaultProxy> proxies = new ArrayList<>();
		List<HostPort> through = new ArrayList<>();
		try {
			for (int i = 0; i < parsed.hosts().size(); i++) {
				HostPort host = parsed.hosts().get(i);
				String name = (parsed.hosts().size() == 1) ? beanName : beanName + "-" + (i + 1);
				FaultProxy.Builder builder = FaultProxy.builder()
					.name(name)
					.upstream(host.host(), host.port())
					.listen(this.properties.getBindAddress(), 0)
					.protocol(parsed.protocol())
					.tls(this.properties.getPostgresql().getTls())
					.maxFaultDuration(this.properties.getMaxFaultDuration())
					.busyPoll(this.properties.getBusyPoll())
					.journalSize(this.properties.getJournalSize());
				if (this.properties.getSeed() != null) {
					builder.seed(this.properties.getSeed());
				}
				FaultProxy proxy = builder.build();
				this.listeners.forEach(proxy::addListener);
				if (this.advisor != null && dataSource != null) {
					proxy.addListener(new IncidentAdvisor(beanName, dataSource));
				}
				try {
					proxy.start();
				}
				catch (java.io.UncheckedIOException ex) {
					throw DbFaultConfigurationException.cannotListen(this.properties.getBindAddress(), ex);
				}
				proxies.add(proxy);
				through.add(new HostPort(proxy.listenAddress().getAddress().getHostAddress(),
						proxy.listenAddress().getPort()));
			}
		}
		catch (RuntimeException ex) {
			proxies.forEach(FaultProxy::stop);
			throw ex;
		}
		List<Advice> advice = (this.advisor != null && dataSource != null)
				? this.advisor.advise(beanName, dataSource, parsed) : List.of();
		Transport transport = transport(beanName, parsed);
		String routedUrl = (transport == Transport.SOCKET)
				? parsed.withParameters(FaultSocketFactory.urlParameters(proxies.get(0))) : parsed.rewrite(through);
		RoutedDataSource routed = new RoutedDataSource(beanName, parsed.toString(), routedUrl, proxies, advice,
				transport);
		this.dataSources.put(beanName, routed);
		for (FaultProxy proxy : proxies) {
			String how = (transport == Transport.SOCKET)
					? " with fault proxy '" + proxy.name() + "' acting in its own sockets (dbfault.transport=socket)"
					: " through fault proxy '" + proxy.name() + "' on "
							+ proxy.listenAddress().getAddress().getHostAddress() + ":" + proxy.listenAddress().getPort();
			logger.warn("dbfault routes DataSource '" + beanName + "' to " + proxy.upstreamAddress().getHostString()
					+ ":" + proxy.upstreamAddress().getPort() + how
					+ "; faults injected there break its connections (dbfault is for tests and staging only)");
		}
		for (Advice each : advice) {
			logger.warn("dbfault advisor: DataSource '" + beanName + "': " + each.message());
		}
		injectStartupFaults(routed);
		return routed;
	}

	/**
	 * Routes the connections a schema migration tool (Flyway, Liquibase) opens with a JDBC
	 * URL of its own: through the proxies of the DataSource that reaches the same hosts, so
	 * that the faults injected there (startup faults included) meet the migration too; else
	 * through proxies of its own, named after the tool ({@code flyway}, then {@code flyway-2}
	 * for another database). A URL dbfault cannot route is left as it is, with a warning.
	 * @param tool the tool's name, such as {@code flyway}
	 * @param detailsBean the bean name of the tool's connection details, for messages
	 * @param url the URL the tool would connect to
	 * @return the URL that goes through the proxies
	 */
	public synchronized String routeMigration(String tool, String detailsBean, String url) {
		if (isRouted(url)) {
			return url;
		}
		JdbcUrl parsed;
		try {
			parsed = JdbcUrl.parse(url);
		}
		catch (UnsupportedJdbcUrlException ex) {
			logger.warn("dbfault does not route " + tool + "'s connections (bean '" + detailsBean + "'): "
					+ ex.getMessage() + "; they go straight to the database (dbfault.exclude=" + detailsBean
					+ " says so without this warning)");
			return url;
		}
		for (RoutedDataSource routed : dataSources()) {
			if (JdbcUrl.parse(routed.url()).hosts().equals(parsed.hosts())) {
				logger.info("dbfault routes " + tool + "'s connections through the proxies of DataSource '"
						+ routed.beanName() + "', which reaches the same database");
				if (routed.transport() == Transport.SOCKET) {
					return parsed.withParameters(FaultSocketFactory.urlParameters(routed.proxies().get(0)));
				}
				return parsed.rewrite(routed.proxies().stream()
					.map((proxy) -> new HostPort(proxy.listenAddress().getAddress().getHostAddress(),
							proxy.listenAddress().getPort()))
					.toList());
			}
		}
		String name = tool;
		for (int n = 2; this.dataSources.containsKey(name); n++) {
			name = tool + "-" + n;
		}
		return route(name, url, null).routedUrl();
	}

	/**
	 * Decides how a DataSource reaches its proxies: the in-process transport serves
	 * PostgreSQL URLs with one host and no socket factory of their own when
	 * {@code dbfault.transport=socket}; the rest keep the proxy, and the log says why.
	 */
	private Transport transport(String beanName, JdbcUrl url) {
		if (this.properties.getTransport() != Transport.SOCKET) {
			return Transport.PROXY;
		}
		String reason = null;
		if (url.database() != JdbcUrl.Database.POSTGRESQL) {
			reason = "the socket transport serves PostgreSQL URLs only";
		}
		else if (url.hosts().size() != 1) {
			reason = "the socket transport serves URLs with one host, this one has " + url.hosts().size();
		}
		else if (url.hasParameter("socketFactory")) {
			reason = "its URL names a socketFactory of its own";
		}
		if (reason == null) {
			return Transport.SOCKET;
		}
		logger.warn("dbfault.transport=socket: DataSource '" + beanName + "' keeps the fault proxy, since " + reason);
		return Transport.PROXY;
	}

	private void injectStartupFaults(RoutedDataSource routed) {
		for (StartupFaultSpec fault : this.startupFaults) {
			for (FaultProxy proxy : routed.proxies()) {
				if (fault.appliesTo(routed.beanName(), proxy.name())) {
					try {
						proxy.inject(fault.spec());
					}
					catch (FaultNotSupportedException ex) {
						throw new DbFaultConfigurationException(fault.property() + ".type", fault.spec().type().id(),
								"proxy '" + proxy.name() + "' cannot take it: " + ex.getMessage(),
								"Choose another fault type, or name a proxy that takes it in " + fault.property()
										+ ".proxy.",
								ex);
					}
					fault.used();
				}
			}
		}
	}

	/**
	 * Checks that every startup fault naming a proxy found it, once all DataSources are
	 * routed.
	 * @throws IllegalStateException naming the property of a startup fault that matched none
	 */
	public void checkStartupFaultsUsed() {
		for (StartupFaultSpec fault : this.startupFaults) {
			if (!fault.isUsed() && fault.proxy() != null) {
				throw new DbFaultConfigurationException(fault.property() + ".proxy", fault.proxy(),
						"'" + fault.proxy() + "' names no routed DataSource or proxy (routed: " + proxyNames() + ")",
						proxyNames().isEmpty()
								? "dbfault routes no DataSource: check that the application has one, and that"
										+ " dbfault.exclude does not name it."
								: "Set " + fault.property() + ".proxy to one of " + proxyNames()
										+ ", or leave it unset to inject the fault into every proxy.",
						null);
			}
		}
	}

	/**
	 * Adds a listener to every proxy, present and future.
	 * @param listener the listener
	 */
	public void addListener(FaultProxyListener listener) {
		this.listeners.add(listener);
		proxies().forEach((proxy) -> proxy.addListener(listener));
	}

	/**
	 * Returns the routed DataSources, in the order they were routed.
	 * @return a snapshot
	 */
	public List<RoutedDataSource> dataSources() {
		synchronized (this.dataSources) {
			return List.copyOf(this.dataSources.values());
		}
	}

	/**
	 * Finds a routed DataSource by bean name.
	 * @param beanName the bean name
	 * @return the routed DataSource, or empty
	 */
	public Optional<RoutedDataSource> dataSource(String beanName) {
		return Optional.ofNullable(this.dataSources.get(beanName));
	}

	/**
	 * Returns every proxy.
	 * @return a snapshot
	 */
	public List<FaultProxy> proxies() {
		return dataSources().stream().flatMap((routed) -> routed.proxies().stream()).toList();
	}

	/**
	 * Finds a proxy by name.
	 * @param name the proxy's name
	 * @return the proxy, or empty
	 */
	public Optional<FaultProxy> proxy(String name) {
		return proxies().stream().filter((proxy) -> proxy.name().equals(name)).findFirst();
	}

	/**
	 * Returns the names of every proxy.
	 * @return the names
	 */
	public List<String> proxyNames() {
		return proxies().stream().map(FaultProxy::name).toList();
	}

	/**
	 * Returns what the advisor found for every DataSource.
	 * @return the advice
	 */
	public List<Advice> advice() {
		List<Advice> all = new ArrayList<>(dataSources().stream().flatMap((routed) -> routed.advice().stream()).toList());
		synchronized (this.incidentAdvice) {
			all.addAll(this.incidentAdvice.values());
		}
		return all;
	}

	/**
	 * Returns whether a URL already goes through one of these proxies (a DataSource
	 * configured twice).
	 * @param url the URL
	 * @return whether it is routed already
	 */
	public boolean isRouted(String url) {
		return dataSources().stream().anyMatch((routed) -> routed.routedUrl().equals(url));
	}

	/**
	 * Removes every fault of every proxy. Returns promptly whatever the connections do.
	 * @return how many faults were removed
	 */
	public int healAll() {
		int healed = 0;
		for (FaultProxy proxy : proxies()) {
			healed += proxy.heal();
		}
		return healed;
	}

	@Override
	public void destroy() {
		proxies().forEach(FaultProxy::stop);
	}

	/**
	 * Names, once, what keeps a DataSource's pool from getting over the incident a fault
	 * injected into its proxy plays.
	 */
	private final class IncidentAdvisor implements FaultProxyListener {

		private final String beanName;

		private final DataSource dataSource;

		IncidentAdvisor(String beanName, DataSource dataSource) {
			this.beanName = beanName;
			this.dataSource = dataSource;
		}

		@Override
		public void faultInjected(FaultProxy proxy, ActiveFault fault) {
			for (Advice each : DbFaultProxies.this.advisor.adviseOnFault(this.beanName, this.dataSource, fault.spec())) {
				Advice first;
				synchronized (DbFaultProxies.this.incidentAdvice) {
					first = DbFaultProxies.this.incidentAdvice.putIfAbsent(each.dataSource() + "/" + each.setting(), each);
				}
				if (first == null) {
					logger.warn("dbfault advisor: DataSource '" + this.beanName + "' under " + fault.type().id() + ": "
							+ each.message());
				}
			}
		}

	}

	/**
	 * A startup fault, validated, and whether it found a proxy.
	 */
	static final class StartupFaultSpec {

		private final String property;

		private final String proxy;

		private final FaultSpec spec;

		private boolean used;

		private StartupFaultSpec(String property, String proxy, FaultSpec spec) {
			this.property = property;
			this.proxy = proxy;
			this.spec = spec;
		}

		static List<StartupFaultSpec> parse(List<DbFaultProperties.StartupFault> faults) {
			List<StartupFaultSpec> specs = new ArrayList<>();
			for (int i = 0; i < faults.size(); i++) {
				DbFaultProperties.StartupFault fault = faults.get(i);
				String property = "dbfault.startup-faults[" + i + "]";
				if (fault.getType() == null || fault.getType().isBlank()) {
					throw new DbFaultConfigurationException(property + ".type", fault.getType(),
							"a startup fault needs a type",
							"Set " + property + ".type to a fault type, such as refuse, latency or sql-error.", null);
				}
				try {
					specs.add(new StartupFaultSpec(property, fault.getProxy(),
							FaultSpec.parse(fault.getType(), new LinkedHashMap<>(fault.getParameters()))));
				}
				catch (UnknownFaultTypeException ex) {
					throw new DbFaultConfigurationException(property + ".type", fault.getType(), ex.getMessage(),
							"Set " + property + ".type to one of the known fault types.", ex);
				}
				catch (FaultParameterException ex) {
					String parameter = property + ".parameters." + ex.getParameter();
					throw new DbFaultConfigurationException(parameter, fault.getParameters().get(ex.getParameter()),
							ex.getMessage(), fix(parameter, fault.getType(), ex.getParameter()), ex);
				}
				catch (IllegalArgumentException ex) {
					throw new DbFaultConfigurationException(property, fault.getType() + " " + fault.getParameters(),
							ex.getMessage(), "Correct " + property + ": the reason names what is wrong.", ex);
				}
			}
			return specs;
		}

		/** How to set a startup fault's parameter: its kind and range, or the parameters its type takes. */
		private static String fix(String property, String typeName, String name) {
			FaultType type = FaultType.find(typeName).orElse(null);
			if (type == null) {
				return "Set " + property + " as the reason says.";
			}
			return type.parameter(name)
				.map((parameter) -> "Set " + property + " to " + parameter.kind().name().toLowerCase(java.util.Locale.ROOT)
						+ ((parameter.range() != null) ? " (" + parameter.range() + ")" : "") + ": "
						+ parameter.description() + ".")
				.orElse("Remove " + property + ": a " + type.id() + " fault takes "
						+ type.allParameters().stream().map(FaultParameter::name).toList() + ".");
		}

		boolean appliesTo(String beanName, String proxyName) {
			return this.proxy == null || this.proxy.equals(beanName) || this.proxy.equals(proxyName);
		}

		FaultSpec spec() {
			return this.spec;
		}

		String proxy() {
			return this.proxy;
		}

		String property() {
			return this.property;
		}

		void used() {
			this.used = true;
		}

		boolean isUsed() {
			return this.used;
		}

	}

}
