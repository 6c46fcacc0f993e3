package dev.dbfault.autoconfigure;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.core.jdbc.JdbcUrl;

import org.springframework.util.ClassUtils;

/**
 * Finds settings that make recovery from a broken connection impossible, whatever faults
 * are injected: a PostgreSQL driver without {@code socketTimeout} waits forever on a
 * connection that stopped answering; without TCP keepalive (or HikariCP's
 * {@code keepaliveTime}) a dead idle connection is only found when it is used; a pool that
 * keeps idle connections longer than the server or network lets them live hands out dead
 * ones; a connection timeout longer than the socket timeout holds callers through a
 * partition for the whole connection timeout. And, when an incident's fault is injected,
 * what keeps the pool from getting over that incident: HikariCP does not evict on 25006, so
 * connections left on a demoted primary ({@code read-only}) fail writes until
 * {@code maxLifetime}; while logins fail ({@code login-error}) a lost connection cannot be
 * replaced and a borrower waits {@code connectionTimeout}.
 */
public class RecoveryAdvisor {

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			RecoveryAdvisor.class.getClassLoader());

	private final Duration serverIdleTimeout;

	/**
	 * Creates an advisor.
	 * @param serverIdleTimeout how long the server or network lets a connection idle, or
	 * {@code null} when unknown
	 */
	public RecoveryAdvisor(Duration serverIdleTimeout) {
		this.serverIdleTimeout = serverIdleTimeout;
	}

	/**
	 * Looks at one DataSource.
	 * @param beanName its bean name
	 * @param dataSource the DataSource
	 * @param url its JDBC URL
	 * @return the advice, possibly none
	 */
	public List<Advice> advise(String beanName, DataSource dataSource, JdbcUrl url) {
		List<Advice> advice = new ArrayList<>();
		PoolSettings pool = HIKARI_PRESENT ? HikariSettings.of(dataSource) : null;
		if (url.database() == JdbcUrl.Database.POSTGRESQL) {
			Map<String, String> driver = driverProperties(url.url(), (pool != null) ? pool.driverProperties() : null);
			String socketTimeout = driver.get("socketTimeout");
			if (socketTimeout == null || socketTimeout.trim().equals("0")) {
				advice.add(new Advice(beanName, "socketTimeout",
						"no socketTimeout: a connection that stops answering (a network partition, a hung server)"
								+ " blocks its thread forever; set socketTimeout (seconds) above your slowest query"));
			}
			if (pool != null) {
				adviseOnPartition(beanName, pool, socketTimeout, advice);
			}
			boolean keepAlive = "true".equalsIgnoreCase(driver.get("tcpKeepAlive"));
			if (!keepAlive && (pool == null || pool.keepaliveTime().isZero())) {
				advice.add(new Advice(beanName, "tcpKeepAlive",
						"no TCP keepalive and no pool keepalive: a connection that died while idle is only found"
								+ " when a request uses it; set tcpKeepAlive=true or HikariCP's keepaliveTime"));
			}
		}
		if (pool != null && this.serverIdleTimeout != null && pool.maxLifetime().compareTo(this.serverIdleTimeout) > 0
				&& (pool.keepaliveTime().isZero() || pool.keepaliveTime().compareTo(this.serverIdleTimeout) >= 0)) {
			advice.add(new Advice(beanName, "maxLifetime", "connections live up to " + pool.maxLifetime().toSeconds()
					+ "s but the server kills them after " + this.serverIdleTimeout.toSeconds()
					+ "s idle: the pool hands out dead connections; set maxLifetime (or keepaliveTime) below it"));
		}
		return advice;
	}

	/**
	 * Looks at one DataSource as a fault of an incident is injected into its proxy: what
	 * keeps its pool from getting over it.
	 * @param beanName its bean name
	 * @param dataSource the DataSource
	 * @param spec the fault
	 * @return the advice, possibly none
	 */
	public List<Advice> adviseOnFault(String beanName, DataSource dataSource, FaultSpec spec) {
		PoolSettings pool = HIKARI_PRESENT ? HikariSettings.of(dataSource) : null;
		if (pool == null) {
			return List.of();
		}
		long lifetime = pool.maxLifetime().toSeconds();
		if (spec.type() == FaultType.READ_ONLY && !pool.evictsOnOwnErrors()) {
			return List.of(new Advice(beanName, "exceptionOverrideClassName", "after a failover, connections left on"
					+ " the demoted primary fail every write with 25006, which HikariCP does not take for a broken"
					+ " connection: it keeps them until maxLifetime (" + lifetime + " s). Set"
					+ " spring.datasource.hikari.exception-override-class-name to an SQLExceptionOverride that"
					+ " answers MUST_EVICT for 25006, so that a failed write replaces its connection"));
		}
		if (spec.type() == FaultType.LOGIN_ERROR) {
			return List.of(new Advice(beanName, "connectionTimeout", "while logins fail (" + spec.toMap().get("sqlState")
					+ ") the pool cannot replace a connection it loses: a caller that finds no idle one waits the"
					+ " pool's connectionTimeout (" + pool.connectionTimeout().toMillis() + " ms) and then fails with"
					+ " the login's SQLSTATE; the connections it holds serve until maxLifetime (" + lifetime + " s)."
					+ " Keep connection-timeout short (e.g. 2000) so that callers fail fast, and after a credential"
					+ " rotation give the pool the new password before maxLifetime ends its last connection"));
		}
		return List.of();
	}

	/**
	 * Under a partition, a caller borrowing an idle connection waits while HikariCP validates
	 * idle connections one after another ({@code validationTimeout} each) until
	 * {@code connectionTimeout} runs out; a caller mid-statement waits {@code socketTimeout}.
	 * A connection timeout longer than the socket timeout makes the borrowers wait longest,
	 * which is easy to miss: Spring Boot's default is 30 s. Without a socket timeout (advised
	 * on its own) a connection timeout above {@link #SUGGESTED_CONNECTION_TIMEOUT} is. The
	 * value suggested is always below the one set, so the advice never repeats a setting back.
	 */
	private static void adviseOnPartition(String beanName, PoolSettings pool, String socketTimeout,
			List<Advice> advice) {
		Long socketSeconds = seconds(socketTimeout);
		boolean bounded = socketSeconds != null && socketSeconds > 0;
		long connectionMillis = pool.connectionTimeout().toMillis();
		long limit = bounded ? socketSeconds * 1000 : SUGGESTED_CONNECTION_TIMEOUT;
		if (connectionMillis <= limit) {
			return;
		}
		long suggested = Math.min(limit, SUGGESTED_CONNECTION_TIMEOUT);
		long validationMillis = pool.validationTimeout().toMillis();
		String validation = (validationMillis >= suggested)
				? " and validation-timeout below it (e.g. " + Math.max(MIN_VALIDATION_TIMEOUT, suggested / 2) + ")" : "";
		String longer = bounded ? ", longer than socketTimeout (" + socketSeconds + " s) holds a caller mid-statement"
				: "";
		String target = bounded ? "at or below socketTimeout" : "to a few seconds";
		String then = bounded ? "" : ", and socketTimeout at or above it";
		advice.add(new Advice(beanName, "connectionTimeout", "a network partition holds every caller that borrows"
				+ " an idle connection for the pool's connectionTimeout (" + connectionMillis + " ms): HikariCP"
				+ " validates idle connections one after another (validationTimeout " + validationMillis
				+ " ms each) until it runs out" + longer + "; set spring.datasource.hikari.connection-timeout "
				+ target + " (e.g. " + suggested + ")" + validation + then));
	}

	/**
	 * The connection timeout the advice suggests when the socket timeout allows it: long
	 * enough for a healthy pool to open a connection, short enough that a partition fails
	 * callers fast.
	 */
	private static final long SUGGESTED_CONNECTION_TIMEOUT = 2000;

	/** The shortest validation timeout HikariCP accepts, in milliseconds. */
	private static final long MIN_VALIDATION_TIMEOUT = 250;

	private static Long seconds(String value) {
		if (value == null) {
			return null;
		}
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static Map<String, String> driverProperties(String url, Properties extra) {
		Map<String, String> properties = new LinkedHashMap<>();
		int query = url.indexOf('?');
		if (query >= 0) {
			for (String pair : url.substring(query + 1).split("&")) {
				int equals = pair.indexOf('=');
				if (equals > 0) {
					properties.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
							URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
				}
			}
		}
		if (extra != null) {
			extra.stringPropertyNames().forEach((name) -> properties.putIfAbsent(name, extra.getProperty(name)));
		}
		return properties;
	}

	/**
	 * What the advisor reads of a pool.
	 */
	record PoolSettings(Duration maxLifetime, Duration keepaliveTime, Duration connectionTimeout,
			Duration validationTimeout, Properties driverProperties, boolean evictsOnOwnErrors) {

	}

	/**
	 * Reads HikariCP's settings; kept apart so that HikariCP stays optional.
	 */
	private static final class HikariSettings {

		static PoolSettings of(DataSource dataSource) {
			if (dataSource instanceof com.zaxxer.hikari.HikariDataSource hikari) {
				return new PoolSettings(Duration.ofMillis(hikari.getMaxLifetime()),
						Duration.ofMillis(hikari.getKeepaliveTime()), Duration.ofMillis(hikari.getConnectionTimeout()),
						Duration.ofMillis(hikari.getValidationTimeout()), hikari.getDataSourceProperties(),
						hikari.getExceptionOverrideClassName() != null || hasExceptionOverride(hikari));
			}
			return null;
		}

		/** Whether an SQLExceptionOverride instance was set (HikariCP 6 and later). */
		private static boolean hasExceptionOverride(com.zaxxer.hikari.HikariDataSource hikari) {
			try {
				return hikari.getClass().getMethod("getExceptionOverride").invoke(hikari) != null;
			}
			catch (ReflectiveOperationException ex) {
				return false;
			}
		}

	}

}
