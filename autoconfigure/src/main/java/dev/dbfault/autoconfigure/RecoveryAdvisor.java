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

import dev.dbfault.core.jdbc.JdbcUrl;

import org.springframework.util.ClassUtils;

/**
 * Finds settings that make recovery from a broken connection impossible, whatever faults
 * are injected: a PostgreSQL driver without {@code socketTimeout} waits forever on a
 * connection that stopped answering; without TCP keepalive (or HikariCP's
 * {@code keepaliveTime}) a dead idle connection is only found when it is used; a pool that
 * keeps idle connections longer than the server or network lets them live hands out dead
 * ones; a connection timeout longer than the socket timeout holds callers through a
 * partition for the whole connection timeout.
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
	 * Under a partition, a caller borrowing an idle connection waits while HikariCP validates
	 * idle connections one after another ({@code validationTimeout} each) until
	 * {@code connectionTimeout} runs out; a caller mid-statement waits {@code socketTimeout}.
	 * A connection timeout longer than the socket timeout (or with none) makes the borrowers
	 * wait longest, which is easy to miss: Spring Boot's default is 30 s.
	 */
	private static void adviseOnPartition(String beanName, PoolSettings pool, String socketTimeout,
			List<Advice> advice) {
		Long socketSeconds = seconds(socketTimeout);
		long connectionMillis = pool.connectionTimeout().toMillis();
		if (socketSeconds != null && socketSeconds > 0 && connectionMillis <= socketSeconds * 1000) {
			return;
		}
		String socket = (socketSeconds != null && socketSeconds > 0) ? "socketTimeout (" + socketSeconds + " s)"
				: "any socketTimeout (none is set)";
		advice.add(new Advice(beanName, "connectionTimeout", "a network partition holds every caller that borrows"
				+ " an idle connection for the pool's connectionTimeout (" + connectionMillis + " ms): HikariCP"
				+ " validates idle connections one after another (validationTimeout " + pool.validationTimeout().toMillis()
				+ " ms each) until it runs out, longer than " + socket + "; set"
				+ " spring.datasource.hikari.connection-timeout at or below socketTimeout (e.g. 2000) and"
				+ " validation-timeout below it (e.g. 1000)"));
	}

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
			Duration validationTimeout, Properties driverProperties) {

	}

	/**
	 * Reads HikariCP's settings; kept apart so that HikariCP stays optional.
	 */
	private static final class HikariSettings {

		static PoolSettings of(DataSource dataSource) {
			if (dataSource instanceof com.zaxxer.hikari.HikariDataSource hikari) {
				return new PoolSettings(Duration.ofMillis(hikari.getMaxLifetime()),
						Duration.ofMillis(hikari.getKeepaliveTime()), Duration.ofMillis(hikari.getConnectionTimeout()),
						Duration.ofMillis(hikari.getValidationTimeout()), hikari.getDataSourceProperties());
			}
			return null;
		}

	}

}
