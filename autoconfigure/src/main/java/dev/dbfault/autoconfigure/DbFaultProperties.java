package dev.dbfault.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.dbfault.core.ProxySettings;
import dev.dbfault.core.TlsHandling;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of dbfault: which DataSources are routed through fault proxies, where the
 * proxies listen, and the faults that apply from startup.
 */
@ConfigurationProperties("dbfault")
public class DbFaultProperties {

	/**
	 * Whether to route the application's DataSources through fault proxies. Off unless set:
	 * dbfault is for tests and staging, never for production.
	 */
	private boolean enabled;

	/**
	 * Address the proxies (and the Toxiproxy API) listen on: an address of this machine, or
	 * 0.0.0.0 for all. Each proxy takes a free port on it. Any address but a loopback one
	 * makes them reachable from other hosts, and startup warns so.
	 */
	private String bindAddress = "127.0.0.1";

	/**
	 * Bean names of DataSources to leave as they are.
	 */
	private Set<String> exclude = new LinkedHashSet<>();

	/**
	 * Longest time any fault stays before it removes itself, so that a forgotten fault
	 * cannot stay forever.
	 */
	private Duration maxFaultDuration = Duration.ofMinutes(10);

	/**
	 * How long each proxy's thread keeps polling its sockets after traffic before it sleeps,
	 * from 0 (off) to 10ms. Polling spares every round trip through the proxy two thread
	 * wake-ups, at the price of CPU time while traffic flows; the thread does not poll while
	 * more connections are in flight than the machine has cores to spare for it, nor while
	 * bytes stream through.
	 */
	private Duration busyPoll = Duration.ofNanos(100_000);

	/**
	 * Seed the random choices of every fault injected without a seed of its own are made
	 * from (mixed with the fault's id), so that a run's decisions replay. Unset, each fault
	 * gets a random seed, shown in the endpoint, the log and the journal.
	 */
	private Long seed;

	/**
	 * How many fired events each proxy's journal keeps, from 0 (none) to 1000000.
	 */
	private int journalSize = 1000;

	/**
	 * Name of this instance in the endpoint's answers, so that a chaos engine driving many
	 * instances can tell them apart. Defaults to the host name and the server port.
	 */
	private String instanceId;

	/**
	 * How routed DataSources reach their proxies' faults: 'proxy' (the driver connects to
	 * the proxy's port, which relays to the database) or 'socket' (the driver's own sockets
	 * talk straight to the database and the same faults act on its thread; PostgreSQL URLs
	 * with one host and no socketFactory of their own, others keep the proxy).
	 */
	private Transport transport = Transport.PROXY;

	/**
	 * Faults to inject as soon as each proxy starts, before its pool opens a connection.
	 */
	private List<StartupFault> startupFaults = new ArrayList<>();

	private final Postgresql postgresql = new Postgresql();

	private final Advisor advisor = new Advisor();

	private final ToxiproxyApi toxiproxyApi = new ToxiproxyApi();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getBindAddress() {
		return this.bindAddress;
	}

	public void setBindAddress(String bindAddress) {
		this.bindAddress = checkBindAddress(bindAddress);
	}

	/**
	 * Checks that a bind address is an address: an IP address, or a host name this machine
	 * resolves. Whether the proxies can listen on it, listening tells (a failure names
	 * {@code dbfault.bind-address}).
	 * @param value the address or host name
	 * @return the value, stripped
	 * @throws IllegalArgumentException naming {@code dbfault.bind-address} otherwise
	 */
	static String checkBindAddress(String value) {
		String address = (value != null) ? value.strip() : "";
		if (address.isEmpty()) {
			throw new IllegalArgumentException("dbfault.bind-address is empty: set an address of this machine, such"
					+ " as 127.0.0.1 (the default)");
		}
		if (address.length() > 253) {
			throw new IllegalArgumentException("dbfault.bind-address is " + address.length()
					+ " characters long: an address or host name has at most 253");
		}
		try {
			java.net.InetAddress.getByName(address);
		}
		catch (java.net.UnknownHostException | SecurityException ex) {
			// the message says it all: Boot's banner shows the innermost one
			throw new IllegalArgumentException("dbfault.bind-address=" + address
					+ " is neither an IP address nor a host name this machine resolves");
		}
		return address;
	}

	public Set<String> getExclude() {
		return this.exclude;
	}

	public void setExclude(Set<String> exclude) {
		this.exclude = exclude;
	}

	public Transport getTransport() {
		return this.transport;
	}

	public void setTransport(Transport transport) {
		this.transport = (transport != null) ? transport : Transport.PROXY;
	}

	public String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(String instanceId) {
		this.instanceId = instanceId;
	}

	public Duration getMaxFaultDuration() {
		return this.maxFaultDuration;
	}

	public void setMaxFaultDuration(Duration maxFaultDuration) {
		this.maxFaultDuration = ProxySettings.checkMaxFaultDuration("dbfault.max-fault-duration", maxFaultDuration);
	}

	public Long getSeed() {
		return this.seed;
	}

	public void setSeed(Long seed) {
		this.seed = seed;
	}

	public int getJournalSize() {
		return this.journalSize;
	}

	public void setJournalSize(int journalSize) {
		this.journalSize = ProxySettings.checkJournalSize("dbfault.journal-size", journalSize);
	}

	public Duration getBusyPoll() {
		return this.busyPoll;
	}

	public void setBusyPoll(Duration busyPoll) {
		this.busyPoll = ProxySettings.checkBusyPoll("dbfault.busy-poll", busyPoll);
	}

	public List<StartupFault> getStartupFaults() {
		return this.startupFaults;
	}

	public void setStartupFaults(List<StartupFault> startupFaults) {
		this.startupFaults = startupFaults;
	}

	public Postgresql getPostgresql() {
		return this.postgresql;
	}

	public Advisor getAdvisor() {
		return this.advisor;
	}

	public ToxiproxyApi getToxiproxyApi() {
		return this.toxiproxyApi;
	}

	/**
	 * Toxiproxy's HTTP API on its own port, so that Toxiproxy's clients drive the
	 * application's proxies.
	 */
	public static class ToxiproxyApi {

		/**
		 * Whether to answer Toxiproxy's HTTP API, on dbfault.bind-address. It lists every
		 * routed DataSource's proxy under its name.
		 */
		private boolean enabled;

		/**
		 * Port of the Toxiproxy API; 0 for a free one, published as
		 * local.dbfault.toxiproxy-api.port.
		 */
		private int port = 8474;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			if (port < 0 || port > 65535) {
				throw new IllegalArgumentException(
						"dbfault.toxiproxy-api.port must be between 0 and 65535 (0: a free port), was " + port);
			}
			this.port = port;
		}

	}

	/**
	 * A fault injected when a proxy starts.
	 */
	public static class StartupFault {

		/**
		 * Name of the proxy to inject into (the DataSource's bean name); every proxy when
		 * unset.
		 */
		private String proxy;

		/**
		 * Fault type, such as refuse, latency or sql-error.
		 */
		private String type;

		/**
		 * Parameters of the fault and common options (times, after, probability, duration,
		 * direction), by name.
		 */
		private Map<String, String> parameters = new LinkedHashMap<>();

		public String getProxy() {
			return this.proxy;
		}

		public void setProxy(String proxy) {
			this.proxy = proxy;
		}

		public String getType() {
			return this.type;
		}

		public void setType(String type) {
			this.type = type;
		}

		public Map<String, String> getParameters() {
			return this.parameters;
		}

		public void setParameters(Map<String, String> parameters) {
			this.parameters = parameters;
		}

	}

	/**
	 * Settings of proxies in front of PostgreSQL.
	 */
	public static class Postgresql {

		/**
		 * What a proxy does when the driver asks for TLS: pass-through (the connection is
		 * encrypted and its statements cannot be seen, so statement faults do not apply) or
		 * decline (answer as a server without TLS, so that sslmode=prefer goes on in
		 * plaintext).
		 */
		private TlsHandling tls = TlsHandling.PASS_THROUGH;

		public TlsHandling getTls() {
			return this.tls;
		}

		public void setTls(TlsHandling tls) {
			this.tls = tls;
		}

	}

	/**
	 * Settings of the recovery advisor.
	 */
	public static class Advisor {

		/**
		 * Whether to warn at startup about settings that keep an application from
		 * recovering from a broken connection.
		 */
		private boolean enabled = true;

		/**
		 * How long the database or the network lets a connection sit idle before killing
		 * it (PostgreSQL's idle_session_timeout, a firewall's or load balancer's idle
		 * timeout). Pools that keep connections longer are warned about.
		 */
		private Duration serverIdleTimeout;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getServerIdleTimeout() {
			return this.serverIdleTimeout;
		}

		public void setServerIdleTimeout(Duration serverIdleTimeout) {
			this.serverIdleTimeout = serverIdleTimeout;
		}

	}

	/**
	 * How a routed DataSource reaches its proxies' faults.
	 */
	public enum Transport {

		/** The driver connects to the proxy's port; the proxy relays to the database. */
		PROXY,

		/**
		 * The driver's own sockets (from {@code dev.dbfault.core.FaultSocketFactory}) talk
		 * straight to the database; the proxy's faults act on the driver's thread.
		 */
		SOCKET

	}

}
