package dev.dbfault.it.app.readme;

import java.time.Duration;

import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@JdbcTest
@AutoConfigureDbFault
@AutoConfigureTestDatabase(replace = Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class RepositoryRecoveryTests {

    @Autowired DbFault dbFault;
    @Autowired JdbcTemplate jdbc;

    @Test
    void aResetConnectionFailsOnceAndThePoolRecovers() {
        jdbc.queryForObject("select 1", Integer.class);
        dbFault.proxy().resetConnections();
        assertThatThrownBy(() -> jdbc.queryForObject("select 1", Integer.class))
            .isInstanceOf(DataAccessResourceFailureException.class);
        dbFault.awaitDataSource(Duration.ofSeconds(10));
        assertThat(jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
    }
}
