package dev.dbfault.it;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An application with two DataSources: each has its own proxy, and a fault on one leaves
 * the other untouched.
 */
@SpringBootTest(classes = TwoDataSourcesTests.TwoDatabases.class)
@AutoConfigureDbFault
class TwoDataSourcesTests {

	@Autowired
	private DbFault dbFault;

	@Autowired
	private JdbcTemplate orders;

	@Autowired
	@Qualifier("reportingJdbc")
	private JdbcTemplate reporting;

	@AfterEach
	void heal() {
		this.dbFault.restore(Duration.ofSeconds(10));
	}

	@Test
	void eachDataSourceHasItsOwnProxyAndTheDefaultIsThePrimary() {
		assertThat(this.dbFault.proxies()).extracting((proxy) -> proxy.name())
			.containsExactlyInAnyOrder("ordersDataSource", "reportingDataSource");
		assertThat(this.dbFault.proxy().name()).isEqualTo("ordersDataSource");
	}

	@Test
	void aFaultOnOneDataSourceLeavesTheOtherUntouched() {
		this.orders.queryForObject("select 1", Integer.class);
		this.reporting.queryForObject("select 1", Integer.class);
		this.dbFault.proxy("reportingDataSource").resetConnections();
		this.dbFault.proxy("reportingDataSource").blackhole();
		assertThatExceptionOfType(DataAccessResourceFailureException.class)
			.isThrownBy(() -> this.reporting.queryForObject("select 1", Integer.class));
		long start = System.nanoTime();
		for (int i = 0; i < 20; i++) {
			assertThat(this.orders.queryForObject("select 1", Integer.class)).isEqualTo(1);
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		assertThat(this.dbFault.proxy("ordersDataSource").faults()).isEmpty();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TwoDatabases {

		@Bean
		@Primary
		HikariDataSource ordersDataSource() {
			return pool("orders");
		}

		@Bean
		HikariDataSource reportingDataSource() {
			return pool("reporting");
		}

		@Bean
		@Primary
		JdbcTemplate ordersJdbc(HikariDataSource ordersDataSource) {
			return new JdbcTemplate(ordersDataSource);
		}

		@Bean
		JdbcTemplate reportingJdbc(@Qualifier("reportingDataSource") HikariDataSource reportingDataSource) {
			return new JdbcTemplate(reportingDataSource);
		}

		private static HikariDataSource pool(String name) {
			TestDatabase database = TestDatabase.get();
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setPoolName(name);
			dataSource.setJdbcUrl(database.jdbcUrlWith("socketTimeout=2"));
			dataSource.setUsername(database.username());
			dataSource.setPassword(database.password());
			dataSource.setMaximumPoolSize(2);
			dataSource.setConnectionTimeout(2000);
			return dataSource;
		}

	}

}
