package dev.dbfault.test;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.util.ClassUtils;

/**
 * Everything the test support knows of HikariCP: whether a DataSource is a HikariCP pool,
 * whether the pool has started and settled, and evicting its connections. The pool is found
 * with Spring Boot's {@link DataSourceUnwrapper}, so a DataSource bean that wraps it (a
 * {@code DelegatingDataSource}, a JDBC {@link java.sql.Wrapper}, a Spring AOP proxy, as
 * tracing and logging decorators make) counts as the pool it wraps. No HikariCP type appears
 * outside its nested {@code Hikari} class, which is loaded only when HikariCP is on the classpath: HikariCP
 * stays optional.
 */
final class HikariPools {

	private static final boolean PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			HikariPools.class.getClassLoader());

	private HikariPools() {
	}

	/**
	 * Returns whether a DataSource is, or wraps, a HikariCP pool.
	 * @param dataSource the DataSource
	 * @return whether it is a pool the other methods can read
	 */
	static boolean isPool(DataSource dataSource) {
		return PRESENT && Hikari.pool(dataSource) != null;
	}

	/**
	 * Returns whether the pool has started: one built with setters starts at its first
	 * borrow.
	 * @param dataSource a DataSource that {@link #isPool is a pool}
	 * @return whether it started
	 */
	static boolean isStarted(DataSource dataSource) {
		return Hikari.isStarted(dataSource);
	}

	/**
	 * Returns what keeps the pool from being settled (lending no connection and holding at
	 * least its minimum of idle ones, so that it opens none), or {@code null} if it is.
	 * @param dataSource a DataSource that {@link #isPool is a pool}
	 * @return what it holds, or {@code null}
	 */
	static String unsettled(DataSource dataSource) {
		return Hikari.unsettled(dataSource);
	}

	/**
	 * Evicts every connection of the pool: idle ones are closed now, lent ones when they are
	 * returned, and the pool opens others in their place.
	 * @param dataSource a DataSource that {@link #isPool is a pool}
	 */
	static void evict(DataSource dataSource) {
		Hikari.evict(dataSource);
	}

	private static final class Hikari {

		static com.zaxxer.hikari.HikariDataSource pool(DataSource dataSource) {
			return DataSourceUnwrapper.unwrap(dataSource, com.zaxxer.hikari.HikariConfigMXBean.class,
					com.zaxxer.hikari.HikariDataSource.class);
		}

		static boolean isStarted(DataSource dataSource) {
			return pool(dataSource).getHikariPoolMXBean() != null;
		}

		static String unsettled(DataSource dataSource) {
			com.zaxxer.hikari.HikariDataSource hikari = pool(dataSource);
			com.zaxxer.hikari.HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
			if (pool == null) {
				return "it has not started";
			}
			int wanted = Math.min(hikari.getMinimumIdle(), hikari.getMaximumPoolSize());
			int idle = pool.getIdleConnections();
			int active = pool.getActiveConnections();
			if (active == 0 && idle >= wanted && pool.getTotalConnections() == idle) {
				return null;
			}
			return idle + " idle of at least " + wanted + ", " + active + " lent";
		}

		static void evict(DataSource dataSource) {
			com.zaxxer.hikari.HikariPoolMXBean pool = pool(dataSource).getHikariPoolMXBean();
			if (pool != null) {
				pool.softEvictConnections();
			}
		}

	}

}
