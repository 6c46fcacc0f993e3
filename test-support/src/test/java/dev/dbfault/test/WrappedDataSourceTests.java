package dev.dbfault.test;

import java.time.Duration;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbfault.autoconfigure.DbFaultAutoConfiguration;
import dev.dbfault.testdb.SpringBootLine;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DataSource bean that wraps its HikariCP pool, as a post-processor that decorates
 * DataSources for tracing or logging leaves it: dbfault routes the pool before it is
 * wrapped, and {@link DbFault} reaches the pool behind the wrapper to wait for it, evict its
 * connections and restore it.
 */
class WrappedDataSourceTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SpringBootLine.dataSourceAutoConfiguration(), DbFaultAutoConfiguration.class,
				DbFaultTestAutoConfiguration.class))
		.withUserConfiguration(WrapDataSources.class)
		.withPropertyValues(TestDatabase.get().springPropertyValues("socketTimeout=5"))
		.withPropertyValues("dbfault.enabled=true", "spring.datasource.hikari.minimum-idle=2",
				"spring.datasource.hikari.maximum-pool-size=2", "spring.datasource.hikari.connection-timeout=2000");

	private static HikariDataSource pool(AssertableApplicationContext context) {
		return (HikariDataSource) ((DelegatingDataSource) context.getBean("dataSource", DataSource.class))
			.getTargetDataSource();
	}

	@Test
	void theBeanIsTheWrapperAndThePoolBehindItGoesThroughTheProxy() {
		this.runner.run((context) -> {
			assertThat(context.getBean("dataSource", DataSource.class)).isInstanceOf(DelegatingDataSource.class)
				.isNotInstanceOf(HikariDataSource.class);
			DbFault dbFault = context.getBean(DbFault.class);
			assertThat(pool(context).getJdbcUrl()).contains(":" + dbFault.proxy().listenAddress().getPort() + "/");
		});
	}

	@Test
	void waitingForAnIdlePoolReadsThePoolBehindTheWrapper() {
		this.runner.run((context) -> {
			context.getBean(DbFault.class).awaitIdlePool(Duration.ofSeconds(10));
			HikariPoolMXBean pool = pool(context).getHikariPoolMXBean();
			assertThat(pool.getIdleConnections()).isEqualTo(2);
			assertThat(pool.getTotalConnections()).isEqualTo(2);
		});
	}

	@Test
	void evictingReplacesTheConnectionsAFaultKilledBehindTheWrapper() {
		this.runner.run((context) -> {
			DbFault dbFault = context.getBean(DbFault.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean("dataSource", DataSource.class));
			dbFault.awaitIdlePool(Duration.ofSeconds(10));
			assertThat(jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
			long opened = dbFault.totalConnections();
			// every pooled connection is dead now, and each was used or opened less than 500 ms ago:
			// HikariCP would hand one out unchecked
			dbFault.proxy().resetConnections();
			dbFault.evictConnections();
			assertThat(jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
			assertThat(dbFault.totalConnections()).isGreaterThan(opened);
			dbFault.awaitDataSource(Duration.ofSeconds(10));
		});
	}

	@Test
	void restoringEvictsThePoolBehindTheWrapper() {
		this.runner.run((context) -> {
			DbFault dbFault = context.getBean(DbFault.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean("dataSource", DataSource.class));
			dbFault.awaitIdlePool(Duration.ofSeconds(10));
			dbFault.proxy().resetConnections();
			dbFault.proxy().blackhole();
			dbFault.restore(Duration.ofSeconds(10));
			assertThat(dbFault.proxy().faults()).isEmpty();
			assertThat(jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class WrapDataSources {

		@Bean
		static BeanPostProcessor wrapHikariDataSources() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof HikariDataSource pool) ? new DelegatingDataSource(pool) : bean;
				}

			};
		}

	}

}
