package dev.dbfault.test;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbfault.autoconfigure.DbFaultAutoConfiguration;
import dev.dbfault.testdb.SpringBootLine;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link DbFault#awaitIdlePool} and {@link DbFault#evictConnections} on pools the shared
 * test context cannot show: one never used, and a DataSource that is not a pool.
 */
class DbFaultIdlePoolTests {

	private static final TestDatabase database = TestDatabase.get();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SpringBootLine.dataSourceAutoConfiguration(), DbFaultAutoConfiguration.class,
				DbFaultTestAutoConfiguration.class))
		.withPropertyValues(database.springPropertyValues())
		.withPropertyValues("dbfault.enabled=true");

	@Test
	void aPoolNeverUsedIsStartedAndWaitedForUntilItHoldsItsMinimumIdle() {
		this.runner.withPropertyValues("spring.datasource.hikari.minimum-idle=3").run((context) -> {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			assertThat(pool.getHikariPoolMXBean()).as("started before the first borrow").isNull();
			context.getBean(DbFault.class).awaitIdlePool(Duration.ofSeconds(10));
			HikariPoolMXBean started = pool.getHikariPoolMXBean();
			assertThat(started).isNotNull();
			assertThat(started.getIdleConnections()).isEqualTo(3);
			assertThat(started.getTotalConnections()).isEqualTo(3);
			assertThat(context.getBean(DbFault.class).liveConnections()).isEqualTo(3);
		});
	}

	@Test
	void evictingAPoolNeverUsedDoesNothing() {
		this.runner.run((context) -> {
			context.getBean(DbFault.class).evictConnections();
			assertThat(context.getBean(HikariDataSource.class).getHikariPoolMXBean()).isNull();
		});
	}

	@Test
	void aDataSourceThatIsNotAHikariPoolIsNamed() {
		this.runner.withPropertyValues("spring.datasource.type=" + SimpleDriverDataSource.class.getName())
			.run((context) -> {
				DbFault dbFault = context.getBean(DbFault.class);
				assertThatIllegalStateException()
					.isThrownBy(() -> dbFault.awaitIdlePool("dataSource", Duration.ofSeconds(1)))
					.withMessage("awaitIdlePool needs a HikariCP pool; DataSource 'dataSource' is a "
							+ SimpleDriverDataSource.class.getName());
				assertThatIllegalStateException().isThrownBy(dbFault::evictConnections)
					.withMessage("evictConnections needs a HikariCP pool; DataSource 'dataSource' is a "
							+ SimpleDriverDataSource.class.getName());
			});
	}

}
