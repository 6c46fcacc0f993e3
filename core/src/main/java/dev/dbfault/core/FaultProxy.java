package dev.dbfault.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.FaultConflictException;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultRequest;
import dev.dbfault.core.fault.FaultScenario;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.fault.JournalEntry;
import dev.dbfault.core.internal.ProxyServer;
import dev.dbfault.core.internal.pg.PgProtocol;
import dev.dbfault.core.internal.text.Values;

/**
 * A TCP proxy in front of one database address, into which faults can be injected while it
 * relays. It listens on a local address (127.0.0.1 and a free port unless told otherwise);
 * point a JDBC URL at {@link #listenAddress()} and the driver's traffic passes through it.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.builder().name("db").upstream("127.0.0.1", 5432).start()) {
 *     String url = "jdbc:postgresql://127.0.0.1:" + proxy.listenAddress().getPort() + "/app";
 *     ...
 *     proxy.inject(Faults.reset());                        // every live connection gets a RST
 *     try (ActiveFault slow = proxy.inject(Faults.latency(Duration.ofMillis(200)))) {
 *         ...                                              // responses are 200 ms late until closed
 *     }
 * }
 * }</pre>
 *
 * <p>A proxy has a second transport, with no relay at all: a JDBC driver that creates its
 * sockets with {@link FaultSocketFactory}, naming the proxy ({@link #socketFactoryArg()}),
 * talks straight to the database, and the same faults act on its connections on the
 * driver's own thread ({@code socketFactory=dev.dbfault.core.FaultSocketFactory&socketFactoryArg=db}
 * in a PostgreSQL URL).
 *
 * <p>All sockets of a proxy are served by one thread that never blocks. The methods here are
 * thread-safe; those that change faults return once the change is in effect on every live
 * connection. Addresses are fixed once started; faults change at any time.
 *
 * <p>Why this file is long: it is the public face of the engine, and most of its lines are
 * the javadoc of the methods users call; its {@link Builder} is nested, as a configuration's
 * builder is in HikariCP and Spring Boot. What is not the facade lives apart: the shortcuts
 * ({@link FaultShortcuts}), the settings' checks ({@link ProxySettings}), the in-process
 * names and the event log.
 */
public final class FaultProxy implements FaultShortcuts, AutoCloseable {

	private static final Logger logger = System.getLogger("dev.dbfault");

	/** How long the proxy's thread polls its sockets before it sleeps, unless the builder says otherwise. */
	public static final Duration DEFAULT_BUSY_POLL = Duration.ofNanos(100_000);

	/** The longest busy poll a builder takes. */
	public static final Duration MAX_BUSY_POLL = Duration.ofMillis(10);

	/** How long a fault may stay at most unless the builder says otherwise. */
	public static final Duration DEFAULT_MAX_FAULT_DURATION = Duration.ofMinutes(10);

	/** The largest journal a proxy keeps. */
	public static final int MAX_JOURNAL_SIZE = 1_000_000;

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * The life of a proxy.
	 */
	public enum State {

		/** Built, not started. */
		NEW,

		/** Accepting and relaying. */
		RUNNING,

		/** Relaying live connections while its port is closed by a {@code refuse} or {@code down}. */
		REFUSING,

		/** Stopped: nothing listens, every connection is closed. */
		STOPPED,

		/**
		 * Stopped by an error it could not survive (out of memory, for instance): nothing
		 * listens, every connection was reset; {@link FaultProxy#failure()} says why.
		 */
		FAILED

	}

	private final String name;

	private final String upstreamHost;

	private final int upstreamPort;

	private final InetSocketAddress bindAddress;

	private final Protocol protocol;

	private final Duration maxFaultDuration;

	private final Duration busyPoll;

	private final TlsHandling tls;

	private final List<FaultProxyListener> listeners;

	private volatile ProxyServer server;

	private volatile boolean stopped;

	private final int journalSize;

	private final Long seed;

	private volatile String socketFactoryArg;

	private FaultProxy(Builder builder) {
		this.name = builder.name;
		this.upstreamHost = builder.upstreamHost;
		this.upstreamPort = builder.upstreamPort;
		this.bindAddress = builder.bindAddress;
		this.protocol = builder.protocol;
		this.maxFaultDuration = builder.maxFaultDuration;
		this.busyPoll = builder.busyPoll;
		this.tls = builder.tls;
		this.listeners = new CopyOnWriteArrayList<>(builder.listeners);
		this.journalSize = builder.journalSize;
		this.seed = builder.seed;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Starts listening and relaying.
	 * @return this proxy
	 * @throws IllegalStateException if it was started before
	 * @throws java.io.UncheckedIOException if the listen address cannot be bound
	 */
	public synchronized FaultProxy start() {
		if (this.server != null || this.stopped) {
			throw new IllegalStateException("Proxy '" + this.name + "' was already started");
		}
		InetSocketAddress upstream = new InetSocketAddress(this.upstreamHost, this.upstreamPort);
		if (upstream.isUnresolved()) {
			logger.log(Level.WARNING, "dbfault proxy '" + this.name + "': upstream host " + this.upstreamHost
					+ " does not resolve; connections through the proxy will be reset until it does");
		}
		PgProtocol postgres = (this.protocol == Protocol.POSTGRESQL) ? new PgProtocol(this.tls == TlsHandling.DECLINE)
				: null;
		ProxyServer server = new ProxyServer(this.name, upstream, this.maxFaultDuration, this.busyPoll,
				(postgres != null) ? postgres::create : null, new ProxyEventLog(this, this.listeners));
		server.journalSize(this.journalSize);
		server.registry().baseSeed(this.seed);
		server.start(this.bindAddress);
		this.server = server;
		this.socketFactoryArg = InProcessNames.register(this);
		return this;
	}

	/**
	 * Returns what names this proxy to {@link FaultSocketFactory} (the JDBC URL's
	 * {@code socketFactoryArg}): its name, or, while another running proxy of this JVM has
	 * that name, its name with {@code @2}, {@code @3}, ...
	 * @return the name, or {@code null} unless running (before start, and after stop)
	 */
	public String socketFactoryArg() {
		return this.socketFactoryArg;
	}

	/**
	 * Stops: the port closes, every connection through the proxy is closed, every fault goes,
	 * and the proxy's thread ends. Does nothing when already stopped.
	 */
	public synchronized void stop() {
		this.stopped = true;
		String key = this.socketFactoryArg;
		if (key != null) {
			InProcessNames.unregister(key, this);
			// a later proxy may take the name: this one's URL parameters must not lead there
			this.socketFactoryArg = null;
		}
		ProxyServer server = this.server;
		if (server != null && !server.stop(STOP_TIMEOUT)) {
			logger.log(Level.WARNING, "dbfault proxy '" + this.name + "' did not stop within " + Values.format(STOP_TIMEOUT));
		}
	}

	/**
	 * Same as {@link #stop()}.
	 */
	@Override
	public void close() {
		stop();
	}

	public String name() {
		return this.name;
	}

	public Protocol protocol() {
		return this.protocol;
	}

	public TlsHandling tls() {
		return this.tls;
	}

	public Duration busyPoll() {
		return this.busyPoll;
	}

	/**
	 * Returns the address connections are relayed to, unresolved: as configured.
	 * @return the upstream address
	 */
	public InetSocketAddress upstreamAddress() {
		return InetSocketAddress.createUnresolved(this.upstreamHost, this.upstreamPort);
	}

	/**
	 * Returns the address the proxy listens on.
	 * @return the bound address
	 * @throws IllegalStateException before {@link #start()}
	 */
	public InetSocketAddress listenAddress() {
		return running().listenAddress();
	}

	public State state() {
		ProxyServer server = this.server;
		if (server == null) {
			return this.stopped ? State.STOPPED : State.NEW;
		}
		// running first: the loop records its failure before it stops running
		boolean running = server.isRunning();
		if (server.failure() != null) {
			return State.FAILED;
		}
		if (this.stopped || !running) {
			return State.STOPPED;
		}
		return server.isListening() ? State.RUNNING : State.REFUSING;
	}

	/**
	 * Returns the error that stopped this proxy, when its state is {@link State#FAILED}.
	 * @return the error, or empty
	 */
	public Optional<Throwable> failure() {
		ProxyServer server = this.server;
		return Optional.ofNullable((server != null) ? server.failure() : null);
	}

	public ProxyStats stats() {
		ProxyServer server = this.server;
		if (server == null) {
			return new ProxyStats(0, 0, 0, 0, 0);
		}
		ProxyServer.Counters counters = server.counters();
		return new ProxyStats(counters.live(), counters.total(), counters.bytesUpstream(), counters.bytesDownstream(),
				counters.encrypted());
	}

	/**
	 * Returns the faults in effect, oldest first.
	 * @return a snapshot
	 */
	public List<ActiveFault> faults() {
		ProxyServer server = this.server;
		return (server != null) ? List.copyOf(server.registry().faults()) : List.of();
	}

	/**
	 * Finds a fault in effect.
	 * @param id its id
	 * @return the fault, or empty
	 */
	public Optional<ActiveFault> fault(String id) {
		return faults().stream().filter((fault) -> fault.id().equals(id)).findFirst();
	}

	/**
	 * Injects a fault. When this returns, a condition is in effect on every live connection
	 * and an action has acted on each of them.
	 * @param spec what to inject
	 * @return the fault; close it to remove it
	 * @throws FaultNotSupportedException if this proxy cannot carry the fault
	 * @throws IllegalStateException if the proxy is not running
	 */
	public ActiveFault inject(FaultSpec spec) {
		return inject(null, spec);
	}

	/**
	 * Injects a fault under an id of the caller's, so that sending it again is safe: while a
	 * fault with this id is in effect, the same spec renews it (its {@code duration}, or the
	 * proxy's maximum, starts again from now: a lease that ends unless renewed) and another
	 * spec is refused. Once the fault has ended, the id may be used again.
	 * @param id the id ({@link FaultRequest#checkId letters, digits}, {@code . _ : -}, at most 64),
	 * or {@code null} for one the proxy makes up
	 * @param spec what to inject
	 * @return the fault in effect under the id
	 * @throws FaultParameterException if the id is not usable
	 * @throws FaultConflictException if a fault in effect has the id and another spec
	 * @throws FaultNotSupportedException if this proxy cannot carry the fault
	 * @throws IllegalStateException if the proxy is not running
	 */
	public ActiveFault inject(String id, FaultSpec spec) {
		Objects.requireNonNull(spec, "spec");
		if (id != null) {
			FaultRequest.checkId(id);
		}
		ProxyServer server = running();
		check(server, spec);
		return server.registry().inject(spec, id).fault();
	}

	/**
	 * Injects every step of a scenario, or none: each step is checked as
	 * {@link #inject(String, FaultSpec)} checks a fault before the first is applied. Step
	 * {@code i} is the fault {@link FaultScenario#stepId(int) id.i}. Injecting the same
	 * scenario again while a step is in effect renews the steps in effect (each one's
	 * {@code duration} starts again: a lease); a step that has ended, and an action that
	 * has acted, stays ended.
	 * @param scenario the scenario
	 * @return its steps' faults, in order (for a renewal, those still in effect)
	 * @throws FaultParameterException naming the step and parameter that cannot be used, as
	 * {@code steps[1].backendPid}
	 * @throws FaultConflictException if a scenario in effect has the id with other steps,
	 * or a fault of its own has the scenario's id or a step's
	 * @throws FaultNotSupportedException if this proxy cannot carry a step
	 * @throws IllegalStateException if the proxy is not running
	 */
	public List<ActiveFault> inject(FaultScenario scenario) {
		Objects.requireNonNull(scenario, "scenario");
		ProxyServer server = running();
		for (int i = 0; i < scenario.steps().size(); i++) {
			try {
				check(server, scenario.steps().get(i));
			}
			catch (FaultParameterException ex) {
				throw new FaultParameterException("steps[" + i + "]." + ex.getParameter(), "step " + i + ": "
						+ ex.getMessage());
			}
			catch (FaultNotSupportedException ex) {
				throw new FaultNotSupportedException("step " + i + ": " + ex.getMessage(), ex.getRemedy());
			}
		}
		return List.copyOf(server.registry().inject(scenario).faults());
	}

	/**
	 * Removes every step of a scenario that is in effect.
	 * @param id the scenario's id
	 * @return the steps removed, as they were removed; empty if none was in effect
	 */
	public List<ActiveFault> removeScenario(String id) {
		Objects.requireNonNull(id, "id");
		ProxyServer server = this.server;
		return (server != null) ? List.copyOf(server.registry().removeScenario(id)) : List.of();
	}

	/**
	 * Checks that this proxy can carry a fault, before it is injected.
	 */
	private void check(ProxyServer server, FaultSpec spec) {
		if (spec.type().isPostgres() && this.protocol != Protocol.POSTGRESQL) {
			throw new FaultNotSupportedException(spec.type().id() + " needs a proxy that speaks PostgreSQL; proxy '"
					+ this.name + "' relays plain TCP");
		}
		if (spec.options().target().narrowsConnections() && this.protocol != Protocol.POSTGRESQL) {
			String name = spec.options().target().firstConnectionOption();
			throw new FaultParameterException(name, name + " needs a proxy that speaks PostgreSQL, which reads who"
					+ " each connection is from its startup; proxy '" + this.name + "' relays plain TCP");
		}
		Integer pid = spec.options().target().backendPid();
		if (pid != null) {
			List<Integer> backends = server.backendPids();
			if (!backends.contains(pid)) {
				throw new FaultParameterException("backendPid", "backendPid " + pid + " serves no connection of proxy '"
						+ this.name + "'; its connections' backends: " + backends + " (a connection of another"
						+ " DataSource, or one that has closed?)");
			}
		}
		ProxyStats stats = stats();
		if (spec.type().isPostgres() && stats.liveConnections() > 0
				&& stats.encryptedConnections() == stats.liveConnections()) {
			throw new FaultNotSupportedException(spec.type().id() + " cannot see the statements of proxy '" + this.name
					+ "': all its " + stats.liveConnections() + " connections are encrypted (TLS or GSS), which dbfault"
					+ " relays unread. Let the proxy decline TLS (TlsHandling.DECLINE: the driver falls back"
					+ " to plaintext with sslmode=prefer) or connect with sslmode=disable", TlsHandling.DECLINE);
		}
	}

	/**
	 * Returns the events this proxy's faults fired on, oldest first: the last
	 * {@link Builder#journalSize(int) journalSize} (1,000 by default), kept after the faults
	 * end and after the proxy stops.
	 * @return the entries
	 */
	public List<JournalEntry> journal() {
		return journal(null, 0, null);
	}

	/**
	 * Returns the journal's entries, oldest first, narrowed.
	 * @param faultId only this fault's entries, or {@code null} for every fault's
	 * @param afterSequence only entries numbered above this; 0 for all (see
	 * {@link #nextJournalSequence()})
	 * @param from only entries at or after this time, or {@code null}
	 * @return the entries
	 */
	public List<JournalEntry> journal(String faultId, long afterSequence, Instant from) {
		return journal(faultId, afterSequence, from, Integer.MAX_VALUE);
	}

	/**
	 * Returns at most {@code limit} of the journal's entries, the oldest that match.
	 * @param faultId only this fault's entries, or {@code null} for every fault's
	 * @param afterSequence only entries numbered above this; 0 for all
	 * @param from only entries at or after this time, or {@code null}
	 * @param limit the most entries returned
	 * @return the entries
	 */
	public List<JournalEntry> journal(String faultId, long afterSequence, Instant from, int limit) {
		ProxyServer server = this.server;
		return (server != null) ? server.journal(faultId, afterSequence, from, limit) : List.of();
	}

	/**
	 * Returns the number the next journal entry will have: read it before a step, then
	 * {@code journal(null, mark - 1, null)} gives what fired during the step.
	 * @return the next entry's sequence number, from 1
	 */
	public long nextJournalSequence() {
		ProxyServer server = this.server;
		return (server != null) ? server.nextJournalSequence() : 1;
	}

	/**
	 * Returns how many entries the journal keeps.
	 * @return the size; 0 when journaling is off
	 */
	public int journalSize() {
		return this.journalSize;
	}

	/**
	 * Returns the faults in effect and those that ended recently (the last thousand), in
	 * no particular order: what a report of a test's faults reads.
	 * @return a snapshot
	 */
	public List<ActiveFault> recentFaults() {
		ProxyServer server = this.server;
		return (server != null) ? List.copyOf(server.registry().recentFaults()) : List.of();
	}

	/**
	 * Finds a fault that has ended (one of the last thousand): removed, expired, used up,
	 * healed, or an action that has acted; {@link ActiveFault#removal()} says which.
	 * @param id its id
	 * @return the fault as it ended, or empty if no recent fault had the id
	 */
	public Optional<ActiveFault> endedFault(String id) {
		ProxyServer server = this.server;
		return Optional.ofNullable((server != null) ? server.registry().ended(id) : null);
	}

	/**
	 * Builds and injects a fault.
	 * @param spec the builder of what to inject
	 * @return the fault
	 * @throws FaultParameterException if a parameter is unusable
	 */
	@Override
	public ActiveFault inject(FaultSpec.Builder<?, ?> spec) {
		return inject(spec.build());
	}

	/**
	 * Removes one fault.
	 * @param id its id
	 * @return whether it was in effect
	 */
	public boolean remove(String id) {
		ProxyServer server = this.server;
		return server != null && server.isRunning() && server.registry().remove(id);
	}

	/**
	 * Removes every fault. Returns promptly whatever the connections are doing.
	 * @return how many faults were removed
	 */
	public int heal() {
		ProxyServer server = this.server;
		return (server != null && server.isRunning()) ? server.registry().heal() : 0;
	}

	/**
	 * Adds a listener for fault events.
	 * @param listener the listener
	 */
	public void addListener(FaultProxyListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	/**
	 * Returns the proxy's engine while it has one (from start on, also once stopped).
	 * @return the server, or {@code null} before start
	 */
	ProxyServer server() {
		return this.server;
	}

	private ProxyServer running() {
		ProxyServer server = this.server;
		if (server == null || this.stopped || !server.isRunning()) {
			throw new IllegalStateException("Proxy '" + this.name + "' is not running (" + state() + ")");
		}
		return server;
	}

	@Override
	public String toString() {
		ProxyServer server = this.server;
		return "FaultProxy '" + this.name + "' " + ((server != null) ? server.listenAddress() : this.bindAddress) + " -> "
				+ this.upstreamHost + ":" + this.upstreamPort;
	}

	/**
	 * Configures a {@link FaultProxy}.
	 */
	public static final class Builder {

		private String name = "proxy";

		private String upstreamHost;

		private int upstreamPort = -1;

		private InetSocketAddress bindAddress = new InetSocketAddress("127.0.0.1", 0);

		private Protocol protocol = Protocol.TCP;

		private Duration maxFaultDuration = DEFAULT_MAX_FAULT_DURATION;

		private Duration busyPoll = DEFAULT_BUSY_POLL;

		private TlsHandling tls = TlsHandling.PASS_THROUGH;

		private final List<FaultProxyListener> listeners = new ArrayList<>();

		private int journalSize = ProxyServer.DEFAULT_JOURNAL_SIZE;

		private Long seed;

		private Builder() {
		}

		/**
		 * Names the proxy, for logs, threads and the actuator endpoint.
		 * @param name the name
		 * @return this builder
		 */
		public Builder name(String name) {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("name must not be blank");
			}
			this.name = name;
			return this;
		}

		/**
		 * Sets where connections are relayed to.
		 * @param host the database host
		 * @param port the database port
		 * @return this builder
		 */
		public Builder upstream(String host, int port) {
			if (host == null || host.isBlank()) {
				throw new IllegalArgumentException("upstream host must not be blank");
			}
			checkPort("upstream port", port, false);
			this.upstreamHost = host;
			this.upstreamPort = port;
			return this;
		}

		/**
		 * Sets the address to listen on; port 0 (the default, with 127.0.0.1) picks a free one.
		 * @param host the address or host name to bind
		 * @param port the port, or 0
		 * @return this builder
		 */
		public Builder listen(String host, int port) {
			if (host == null || host.isBlank()) {
				throw new IllegalArgumentException("listen host must not be blank");
			}
			checkPort("listen port", port, true);
			this.bindAddress = new InetSocketAddress(host, port);
			if (this.bindAddress.isUnresolved()) {
				throw new IllegalArgumentException("listen host '" + host + "' does not resolve");
			}
			return this;
		}

		/**
		 * Sets what the proxy understands of the bytes; {@link Protocol#TCP} by default.
		 * @param protocol the protocol
		 * @return this builder
		 */
		public Builder protocol(Protocol protocol) {
			this.protocol = Objects.requireNonNull(protocol, "protocol");
			return this;
		}

		/**
		 * Sets the longest any fault stays before it removes itself (10 minutes by default), so
		 * a forgotten fault cannot stay forever.
		 * @param maxFaultDuration the limit
		 * @return this builder
		 */
		public Builder maxFaultDuration(Duration maxFaultDuration) {
			this.maxFaultDuration = ProxySettings.checkMaxFaultDuration("maxFaultDuration", maxFaultDuration);
			return this;
		}

		/**
		 * Sets how long the proxy's thread keeps polling its sockets after traffic before it
		 * sleeps (100 µs by default, at most 10 ms). Polling spares each hop through the proxy
		 * a thread wake-up, tens of microseconds on many machines, at the price of CPU time
		 * while traffic flows; the thread yields its core to any other runnable thread between
		 * polls, stops polling when the cores are wanted, and does not poll while more
		 * connections are in flight than the machine has cores to spare for a polling thread,
		 * nor while bytes stream through (a bulk read). {@link Duration#ZERO} turns it off.
		 * @param busyPoll how long to poll
		 * @return this builder
		 */
		public Builder busyPoll(Duration busyPoll) {
			this.busyPoll = ProxySettings.checkBusyPoll("busyPoll", busyPoll);
			return this;
		}

		/**
		 * Sets what a PostgreSQL-aware proxy does when a client asks for TLS;
		 * {@link TlsHandling#PASS_THROUGH} by default.
		 * @param tls the handling
		 * @return this builder
		 */
		public Builder tls(TlsHandling tls) {
			this.tls = Objects.requireNonNull(tls, "tls");
			return this;
		}

		/**
		 * Sets how many fired events the proxy's journal keeps (1,000 by default); 0 keeps
		 * none. Each entry takes a few hundred bytes at most.
		 * @param size the number of entries, 0 to 1,000,000
		 * @return this builder
		 */
		public Builder journalSize(int size) {
			this.journalSize = ProxySettings.checkJournalSize("journalSize", size);
			return this;
		}

		/**
		 * Makes the seed of each fault injected without one from this seed and the fault's
		 * id, instead of choosing it at random: the same faults under the same ids on the
		 * same traffic then make the same decisions run after run.
		 * @param seed the base seed
		 * @return this builder
		 */
		public Builder seed(long seed) {
			this.seed = seed;
			return this;
		}

		public Builder listener(FaultProxyListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		/**
		 * Creates the proxy without starting it.
		 * @return the proxy
		 */
		public FaultProxy build() {
			if (this.upstreamHost == null) {
				throw new IllegalStateException("upstream must be set");
			}
			return new FaultProxy(this);
		}

		/**
		 * Creates and starts the proxy.
		 * @return the running proxy
		 */
		public FaultProxy start() {
			return build().start();
		}

		private static void checkPort(String what, int port, boolean zeroAllowed) {
			if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
				throw new IllegalArgumentException(what + " must be between " + (zeroAllowed ? 0 : 1)
						+ " and 65535, was " + port);
			}
		}

	}

}
