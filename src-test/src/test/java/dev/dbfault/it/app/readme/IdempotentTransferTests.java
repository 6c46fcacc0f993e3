package dev.dbfault.it.app.readme;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFaultExplore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@AutoConfigureDbFault
class IdempotentTransferTests {

    static final EmbeddedPostgres postgres = start();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres") + "&socketTimeout=5");
    }

    @Autowired JdbcTemplate jdbc;
    @Autowired TransactionTemplate transactions;

    @BeforeEach
    void twoAccounts() {
        jdbc.execute("create table if not exists account (id int primary key, balance int not null)");
        jdbc.execute("create table if not exists transfer (id text primary key)");
        jdbc.update("delete from account");
        jdbc.update("delete from transfer");
        jdbc.update("insert into account values (1, 100), (2, 0)");
    }

    @DbFaultExplore(skip = "^select balance")
    void aTransferMovesTheMoneyOnce() {
        transfer("t-1", 10);
        assertThat(jdbc.queryForList("select balance from account order by id", Integer.class)).containsExactly(90, 10);
    }

    void transfer(String transferId, int amount) {
        for (int attempt = 1; ; attempt++) {
            try {
                transactions.executeWithoutResult((status) -> {
                    if (jdbc.queryForObject("select count(*) from transfer where id = ?", Integer.class, transferId) > 0) {
                        return;   // an earlier attempt committed, though its answer was lost
                    }
                    jdbc.update("insert into transfer (id) values (?)", transferId);   // the same transaction
                    jdbc.update("update account set balance = balance - ? where id = 1", amount);
                    jdbc.update("update account set balance = balance + ? where id = 2", amount);
                });
                return;
            }
            catch (DataAccessException | TransactionException ex) {
                if (attempt > 3) {
                    throw ex;
                }
            }
        }
    }

    static EmbeddedPostgres start() {
        try { return EmbeddedPostgres.start(); } catch (IOException ex) { throw new UncheckedIOException(ex); }
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }
}
