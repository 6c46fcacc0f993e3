package dev.dbfault.it.app.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import dev.dbfault.core.fault.Faults;
import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest
@AutoConfigureDbFault   // routes the DataSource through a fault proxy for this test; nothing else to set
class FirstRecoveryTests {

    static final EmbeddedPostgres postgres = start();   // a real PostgreSQL, no Docker

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres") + "&socketTimeout=5");
    }

    @Autowired DbFault dbFault;
    @Autowired JdbcTemplate jdbc;

    @Test
    void aResetConnectionFailsOneQueryThenThePoolRecovers() {
        assertThat(jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
        dbFault.proxy().resetConnections();                       // TCP RST on every open connection
        assertThatThrownBy(() -> jdbc.queryForObject("select 1", Integer.class))
            .isInstanceOf(DataAccessResourceFailureException.class);
        dbFault.awaitDataSource(Duration.ofSeconds(10));          // the pool replaces what died
        assertThat(jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
    }

    @Test
    void aSerializationFailureReachesTheCallerAsSpringsException() {
        dbFault.proxy().inject(Faults.sqlError("(?i)^select 2", "40001").times(1));   // once, then gone
        assertThatThrownBy(() -> jdbc.queryForObject("select 2", Integer.class))
            .isInstanceOf(CannotAcquireLockException.class);
        assertThat(jdbc.queryForObject("select 2", Integer.class)).isEqualTo(2);
    }

    @AfterEach
    void restore() {
        dbFault.restore(Duration.ofSeconds(10));   // heal, evict what a fault killed, wait until the database answers
    }

    static EmbeddedPostgres start() {
        try { return EmbeddedPostgres.start(); } catch (IOException ex) { throw new UncheckedIOException(ex); }
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }
}
