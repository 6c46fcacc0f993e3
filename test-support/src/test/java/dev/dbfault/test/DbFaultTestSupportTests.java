package dev.dbfault.test;

import java.sql.Connection;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What a user's test gets from {@code @AutoConfigureDbFault}.
 */
@SpringBootTest(properties = "spring.datasource.hikari.connection-timeout=1000")
@AutoConfigureDbFault
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DbFaultTestSupportTests {

	@Autowired
	private DbFault dbFault;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private HikariDataSource pool;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.get().springProperties("socketTimeout=5").forEach((name, value) -> registry.add(name, () -> value));
	}

	@Test
	@Order(1)
	void aFaultLeftBehindByOneTest() {
		this.dbFault.proxy().latency(Duration.ofSeconds(5));
		this.dbFault.proxy("dataSource").blackhole();
		assertThat(this.dbFault.proxy().faults()).hasSize(2);
	}

	@Test
	@Order(2)
	void isHealedBeforeTheNextTestRuns() {
		assertThat(this.dbFault.proxy().faults()).isEmpty();
		long start = System.nanoTime();
		assertThat(this.jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
	}

	@Test
	@Order(3)
	void theDefaultProxyIsTheDataSources() {
		FaultProxy proxy = this.dbFault.proxy();
		assertThat(proxy.name()).isEqualTo("dataSource");
		assertThat(this.dbFault.proxies()).containsExactly(proxy);
		assertThat(this.dbFault.proxiesOf("dataSource")).containsExactly(proxy);
		this.jdbc.queryForObject("select 1", Integer.class);
		assertThat(this.dbFault.liveConnections()).isPositive();
		assertThat(this.dbFault.totalConnections()).isPositive();
	}

	@Test
	@Order(4)
	void anUnknownProxyNameIsExplained() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.dbFault.proxy("orders"))
			.withMessageContaining("No dbfault proxy named 'orders'")
			.withMessageContaining("dataSource");
		assertThatIllegalArgumentException().isThrownBy(() -> this.dbFault.proxiesOf("orders"))
			.withMessageContaining("not routed");
	}

	@Test
	@Order(5)
	void aFaultHandleHealsAtTheEndOfItsBlock() {
		try (ActiveFault down = this.dbFault.proxy().down()) {
			this.dbFault.proxy().resetConnections();
			assertThat(this.dbFault.dataSourceAnswers()).isFalse();
			assertThat(down.isRemoved()).isFalse();
		}
		this.dbFault.awaitDataSource(Duration.ofSeconds(10));
		assertThat(this.dbFault.dataSourceAnswers()).isTrue();
	}

	@Test
	@Order(6)
	void waitingForADataSourceThatStaysDownFailsAtTheDeadlineWithTheReason() {
		this.dbFault.proxy().resetConnections();
		this.dbFault.proxy().down();
		long start = System.nanoTime();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.dbFault.awaitDataSource(Duration.ofMillis(1500)))
			.withMessageContaining("DataSource 'dataSource' did not answer within PT1.5S");
		// the deadline holds, give or take one borrow attempt (connection-timeout 1s)
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1500),
				Duration.ofMillis(1500 + 1000 + 500));
	}

	@Test
	@Order(7)
	void waitingForAnIdlePoolOutlastsTheRefillAfterAnEviction() {
		HikariPoolMXBean pool = this.pool.getHikariPoolMXBean();
		this.jdbc.queryForObject("select 1", Integer.class);
		pool.softEvictConnections();
		this.dbFault.awaitIdlePool(Duration.ofSeconds(10));
		assertThat(pool.getIdleConnections()).isEqualTo(this.pool.getMinimumIdle());
		assertThat(pool.getTotalConnections()).isEqualTo(pool.getIdleConnections());
		assertThat(pool.getActiveConnections()).isZero();
	}

	@Test
	@Order(8)
	void waitingForAnIdlePoolWhileAConnectionIsLentFailsAtTheDeadlineWithWhatThePoolHolds() throws Exception {
		try (Connection lent = this.pool.getConnection()) {
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> this.dbFault.awaitIdlePool(Duration.ofMillis(300)))
				.withMessageContaining("The pool of DataSource 'dataSource' did not settle within PT0.3S")
				.withMessageContaining("1 lent");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> this.dbFault.awaitIdlePool("orders", Duration.ZERO))
			.withMessageContaining("No DataSource bean named 'orders'");
	}

	@Test
	@Order(9)
	void restoringHealsReplacesTheConnectionsAFaultKilledAndWaitsForTheDataSource() {
		this.dbFault.awaitIdlePool(Duration.ofSeconds(10));
		long opened = this.dbFault.totalConnections();
		this.dbFault.proxy().resetConnections();
		this.dbFault.proxy().latency(Duration.ofSeconds(5));
		this.dbFault.restore(Duration.ofSeconds(10));
		assertThat(this.dbFault.proxy().faults()).isEmpty();
		assertThat(this.dbFault.totalConnections()).isGreaterThan(opened);
		// every connection the reset killed is gone: the next query gets a live one, at once
		long start = System.nanoTime();
		assertThat(this.jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
