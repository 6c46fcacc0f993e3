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
class RetriedTransferTests {

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
        jdbc.update("delete from account");
        jdbc.update("insert into account values (1, 100), (2, 0)");
    }

    @DbFaultExplore(skip = "^select balance")   // every statement meets every fault; not the assertion's read
    void aTransferMovesTheMoneyOnce() {
        transfer(10);
        assertThat(jdbc.queryForList("select balance from account order by id", Integer.class)).containsExactly(90, 10);
    }

    void transfer(int amount) {
        for (int attempt = 1; ; attempt++) {
            try {
                transactions.executeWithoutResult((status) -> {
                    jdbc.update("update account set balance = balance - ? where id = 1", amount);
                    jdbc.update("update account set balance = balance + ? where id = 2", amount);
                });
                return;
            }
            catch (DataAccessException | TransactionException ex) {   // retried up to three times; a rollback on a
                                                                     // dead connection fails with TransactionSystemException
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
