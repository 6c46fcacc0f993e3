package dev.dbfault.test;

import java.time.Duration;

import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @AutoConfigureDbFault} on a {@code @JdbcTest} slice, opted out of the slice's
 * test transaction as a recovery test must be.
 */
@JdbcSlice
@TestPropertySource(properties = "spring.datasource.hikari.connection-timeout=2000")
@AutoConfigureDbFault
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcSliceTests {

	@Autowired
	private DbFault dbFault;

	@Autowired
	private JdbcTemplate jdbc;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.get().springProperties("socketTimeout=5").forEach((name, value) -> registry.add(name, () -> value));
	}

	@Test
	void theSlicesDataSourceGoesThroughTheProxyAndRecoversFromAReset() {
		assertThat(this.jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
		this.dbFault.proxy().resetConnections();
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.queryForObject("select 1", Integer.class));
		this.dbFault.awaitDataSource(Duration.ofSeconds(10));
		assertThat(this.jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
	}

	@SpringBootConfiguration
	static class App {

	}

}
