package dev.dbfault.test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.autoconfigure.RoutedDataSource;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.ProxyStats;
import dev.dbfault.core.fault.JournalEntry;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Drives the fault proxies of a test's context: {@link #proxy()} is the proxy of the only
 * (or primary) DataSource, {@link #proxy(String)} any proxy by name; each proxy has a
 * method per fault ({@code resetConnections()}, {@code latency(...)}, {@code sqlError(...)},
 * {@code inject(Faults.dropOn(...).when("after"))} ...), and every fault handle is
 * {@link AutoCloseable}. The helpers answer what recovery tests ask: how many connections
 * the proxy sees, and whether (or when) a DataSource answers again; and they clear what a
 * fault leaves in a HikariCP pool. A DataSource bean that wraps its pool (a
 * {@code DelegatingDataSource}, a proxy) is unwrapped to reach it.
 *
 * <p>Thread-safe.
 */
public class DbFault {

	private static final Duration POLL = Duration.ofMillis(25);

	private final DbFaultProxies proxies;

	private final ConfigurableListableBeanFactory beanFactory;

	/**
	 * Where each proxy's journal stood when the test method running on this thread started
	 * (tests running in parallel on one context each have their own).
	 */
	private final ThreadLocal<Map<String, Long>> testMarks = new ThreadLocal<>();

	/**
	 * The marks of the test method that started last, for threads a test hands its checks
	 * to (an Awaitility poll, a timeout's own thread).
	 */
	private volatile Map<String, Long> lastMarks;

	public DbFault(DbFaultProxies proxies, ConfigurableListableBeanFactory beanFactory) {
		this.proxies = proxies;
		this.beanFactory = beanFactory;
	}

	/**
	 * Returns the proxy of the only routed DataSource, or of the primary one (the
	 * {@code @Primary} bean, else the bean named {@code dataSource}).
	 * @return the proxy
	 * @throws IllegalStateException if there is no such DataSource, or if it has several
	 * hosts (then name the proxy)
	 */
	public FaultProxy proxy() {
		List<FaultProxy> proxies = primary().proxies();
		if (proxies.size() != 1) {
			throw new IllegalStateException("DataSource '" + primary().beanName() + "' has " + proxies.size()
					+ " hosts; name the proxy: " + proxies.stream().map(FaultProxy::name).toList());
		}
		return proxies.get(0);
	}

	/**
	 * Returns what the faults of the primary DataSource's proxy fired on during the current
	 * test method, oldest first: which fault, with its seed, on which connection (number,
	 * backend PID, user, database, {@code application_name}), on which statement, and what it
	 * did. Outside a test method, everything the journal keeps.
	 * @return the journal's entries
	 * @see FaultProxy#journal(String, long, java.time.Instant)
	 */
	public List<JournalEntry> journal() {
		return journalOf(proxy());
	}

	/**
	 * Returns what the faults of a proxy fired on during the current test method, oldest
	 * first.
	 * @param proxyName the proxy's name
	 * @return the journal's entries
	 */
	public List<JournalEntry> journal(String proxyName) {
		return journalOf(proxy(proxyName));
	}

	private List<JournalEntry> journalOf(FaultProxy proxy) {
		Map<String, Long> marks = this.testMarks.get();
		if (marks == null) {
			marks = this.lastMarks;
		}
		Long mark = (marks != null) ? marks.get(proxy.name()) : null;
		return proxy.journal(null, (mark != null) ? mark - 1 : 0, null);
	}

	/**
	 * Notes where each proxy's journal stands as a test method starts.
	 * @param marks the next entry's number of each proxy, by name
	 */
	void testStarted(Map<String, Long> marks) {
		this.testMarks.set(Map.copyOf(marks));
		this.lastMarks = Map.copyOf(marks);
	}

	/**
	 * Forgets the marks of the test method that ended on this thread.
	 */
	void testFinished() {
		this.testMarks.remove();
		this.lastMarks = null;
	}

	/**
	 * Returns a proxy by name: a DataSource's bean name, or {@code beanName-2} for the second
	 * host of a multi-host URL.
	 * @param name the proxy's name
	 * @return the proxy
	 * @throws IllegalArgumentException if there is none
	 */
	public FaultProxy proxy(String name) {
		return this.proxies.proxy(name)
			.orElseThrow(() -> new IllegalArgumentException(
					"No dbfault proxy named '" + name + "' (proxies: " + this.proxies.proxyNames() + ")"));
	}

	/**
	 * Returns every proxy of the context.
	 * @return the proxies
	 */
	public List<FaultProxy> proxies() {
		return this.proxies.proxies();
	}

	/**
	 * Returns the proxies of one DataSource, one per host of its URL.
	 * @param dataSourceBeanName the DataSource's bean name
	 * @return the proxies
	 */
	public List<FaultProxy> proxiesOf(String dataSourceBeanName) {
		return routed(dataSourceBeanName).proxies();
	}

	/**
	 * Removes every fault of every proxy.
	 * @return how many faults were removed
	 */
	public int healAll() {
		return this.proxies.healAll();
	}

	/**
	 * Returns the counters of the primary DataSource's proxy.
	 * @return the counters
	 */
	public ProxyStats stats() {
		return proxy().stats();
	}

	/**
	 * Returns how many connections are open through the primary DataSource's proxy.
	 * @return the live connections
	 */
	public int liveConnections() {
		return stats().liveConnections();
	}

	/**
	 * Returns how many connections the primary DataSource's proxy accepted since it started.
	 * @return the connections accepted
	 */
	public long totalConnections() {
		return stats().totalConnections();
	}

	/**
	 * Returns whether the primary DataSource hands out a valid connection now.
	 * @return whether it answers
	 */
	public boolean dataSourceAnswers() {
		return dataSourceAnswers(primary().beanName());
	}

	/**
	 * Returns whether a DataSource hands out a valid connection now.
	 * @param beanName the DataSource's bean name
	 * @return whether it answers
	 */
	public boolean dataSourceAnswers(String beanName) {
		return probe(dataSource(beanName)) == null;
	}

	/**
	 * Waits until the primary DataSource hands out a valid connection.
	 * @param timeout the deadline
	 * @throws AssertionError if it does not answer in time, with the last failure
	 */
	public void awaitDataSource(Duration timeout) {
		awaitDataSource(primary().beanName(), timeout);
	}

	/**
	 * Waits until a DataSource hands out a valid connection.
	 * @param beanName the DataSource's bean name
	 * @param timeout the deadline
	 * @throws AssertionError if it does not answer in time, with the last failure
	 */
	public void awaitDataSource(String beanName, Duration timeout) {
		awaitDataSource(beanName, timeout, System.nanoTime() + timeout.toNanos());
	}

	private void awaitDataSource(String beanName, Duration timeout, long deadline) {
		DataSource dataSource = dataSource(beanName);
		while (true) {
			Exception failure = probe(dataSource);
			if (failure == null) {
				return;
			}
			if (System.nanoTime() - deadline > 0) {
				AssertionError error = new AssertionError(
						"DataSource '" + beanName + "' did not answer within " + timeout + ": " + failure);
				error.initCause(failure);
				throw error;
			}
			pause(beanName);
		}
	}

	/**
	 * Puts every routed DataSource back as a test found it: removes every fault, evicts the
	 * connections of each HikariCP pool (those a fault killed would otherwise wait in it
	 * until borrowed) and waits until each DataSource hands out a valid connection. Meant for
	 * an {@code @AfterEach} of tests that break connections: faults alone are healed between
	 * test methods anyway, the connections they killed are not.
	 * @param timeout the deadline for every DataSource to answer
	 * @throws AssertionError if one does not answer in time, with the last failure
	 */
	public void restore(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		healAll();
		List<String> beanNames = this.proxies.dataSources().stream().map(RoutedDataSource::beanName).toList();
		for (String beanName : beanNames) {
			DataSource dataSource = dataSource(beanName);
			if (HikariPools.isPool(dataSource)) {
				HikariPools.evict(dataSource);
			}
		}
		for (String beanName : beanNames) {
			awaitDataSource(beanName, timeout, deadline);
		}
	}

	/**
	 * Waits until every routed HikariCP pool has settled (see {@link #awaitIdlePool}), so
	 * that no pool opens connections in the background; other DataSources are left alone.
	 * @param timeout the deadline for each pool
	 */
	void settlePools(Duration timeout) {
		for (RoutedDataSource routed : this.proxies.dataSources()) {
			if (HikariPools.isPool(dataSource(routed.beanName()))) {
				awaitIdlePool(routed.beanName(), timeout);
			}
		}
	}

	/**
	 * Waits until the primary DataSource's HikariCP pool has settled: it lends no connection
	 * and holds at least its minimum of idle ones, so it opens none (a pool never used yet is
	 * started by borrowing a connection). Call it before a fault
	 * that counts connections ({@code refuse} or {@code stall-connect} with {@code times}):
	 * the connections a pool opens in the background, to replace the ones an earlier fault
	 * killed, would otherwise use the count up before the code under test connects.
	 * @param timeout the deadline
	 * @throws AssertionError if the pool does not settle in time, with what it holds
	 * @throws IllegalStateException if the DataSource is not a HikariCP pool
	 */
	public void awaitIdlePool(Duration timeout) {
		awaitIdlePool(primary().beanName(), timeout);
	}

	/**
	 * Waits until a DataSource's HikariCP pool has settled: it lends no connection and holds
	 * at least its minimum of idle ones, so it opens none.
	 * @param beanName the DataSource's bean name
	 * @param timeout the deadline
	 * @throws AssertionError if the pool does not settle in time, with what it holds
	 * @throws IllegalStateException if the DataSource is not a HikariCP pool
	 * @see #awaitIdlePool(Duration)
	 */
	public void awaitIdlePool(String beanName, Duration timeout) {
		DataSource dataSource = pool("awaitIdlePool", beanName);
		long deadline = System.nanoTime() + timeout.toNanos();
		String state;
		while ((state = HikariPools.unsettled(dataSource)) != null) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("The pool of DataSource '" + beanName + "' did not settle within " + timeout
						+ ": " + state);
			}
			// a pool that was never used starts, and begins to fill, at its first borrow: make it now
			if (HikariPools.isStarted(dataSource) || probe(dataSource) != null) {
				pause(beanName);
			}
		}
	}

	/**
	 * Evicts every connection of the primary DataSource's HikariCP pool: idle ones are closed
	 * now, lent ones when they are returned, and the pool opens new ones, through the proxy,
	 * in their place. A connection that a fault killed otherwise stays in the pool until it
	 * is borrowed, and HikariCP hands one out unchecked if it was used in the last 500 ms. A
	 * pool that has not started has nothing to evict.
	 * @throws IllegalStateException if the DataSource is not a HikariCP pool
	 */
	public void evictConnections() {
		evictConnections(primary().beanName());
	}

	/**
	 * Evicts every connection of a DataSource's HikariCP pool.
	 * @param beanName the DataSource's bean name
	 * @throws IllegalStateException if the DataSource is not a HikariCP pool
	 * @see #evictConnections()
	 */
	public void evictConnections(String beanName) {
		HikariPools.evict(pool("evictConnections", beanName));
	}

	private DataSource pool(String method, String beanName) {
		DataSource dataSource = dataSource(beanName);
		if (!HikariPools.isPool(dataSource)) {
			throw new IllegalStateException(method + " needs a HikariCP pool; DataSource '" + beanName + "' is a "
					+ dataSource.getClass().getName());
		}
		return dataSource;
	}

	private static void pause(String beanName) {
		try {
			Thread.sleep(POLL.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for DataSource '" + beanName + "'", ex);
		}
	}

	private static Exception probe(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return connection.isValid(1) ? null : new SQLException("the connection is not valid");
		}
		catch (SQLException | RuntimeException ex) {
			return ex;
		}
	}

	private DataSource dataSource(String beanName) {
		try {
			return this.beanFactory.getBean(beanName, DataSource.class);
		}
		catch (NoSuchBeanDefinitionException ex) {
			throw new IllegalArgumentException("No DataSource bean named '" + beanName + "'", ex);
		}
	}

	private RoutedDataSource routed(String beanName) {
		return this.proxies.dataSource(beanName)
			.orElseThrow(() -> new IllegalArgumentException("DataSource '" + beanName + "' is not routed by dbfault"
					+ " (routed: " + this.proxies.dataSources().stream().map(RoutedDataSource::beanName).toList() + ")"));
	}

	private RoutedDataSource primary() {
		List<RoutedDataSource> routed = this.proxies.dataSources();
		if (routed.size() == 1) {
			return routed.get(0);
		}
		if (routed.isEmpty()) {
			throw new IllegalStateException("dbfault routes no DataSource in this context");
		}
		for (RoutedDataSource each : routed) {
			if (this.beanFactory.containsBeanDefinition(each.beanName())
					&& this.beanFactory.getBeanDefinition(each.beanName()).isPrimary()) {
				return each;
			}
		}
		return routed.stream()
			.filter((each) -> each.beanName().equals("dataSource"))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("Several DataSources are routed and none is primary; name one: "
					+ routed.stream().map(RoutedDataSource::beanName).toList()));
	}

}
