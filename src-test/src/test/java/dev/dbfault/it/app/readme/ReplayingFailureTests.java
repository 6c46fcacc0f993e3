package dev.dbfault.it.app.readme;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

import dev.dbfault.core.fault.Faults;
import dev.dbfault.it.app.LedgerService;
import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(properties = "dbfault.seed=20261201")   // every fault's choices replay, run after run
@AutoConfigureDbFault
class ReplayingFailureTests {

    @Autowired DbFault dbFault;
    @Autowired LedgerService ledger;
    @Autowired DataSource dataSource;
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void twoAccounts() {
        jdbc.update("insert into accounts (id, balance) values (1, 100), (2, 100) on conflict do nothing");
    }

    @Test
    void aTransferFailingAtItsThirdStatementMovesNoMoney() {
        long before = ledger.balance(1) + ledger.balance(2);
        dbFault.proxy().inject(Faults.sqlError(".", "40001").statementIndex(3));   // the 3rd of each transaction
        assertThatThrownBy(() -> ledger.transfer(1, 2, 10)).isInstanceOf(DataAccessException.class);
        assertThat(ledger.balance(1) + ledger.balance(2)).isEqualTo(before);
        assertThat(dbFault.journal()).singleElement().satisfies(entry -> {   // what fired in this test
            assertThat(entry.statement()).isEqualTo("update accounts set balance = balance + $1 where id = $2");
            assertThat(entry.action()).isEqualTo("40001 instead of the statement");
            assertThat(entry.connection().backendPid()).isPositive();
        });
    }

    @Test
    void onlyTheConnectionTheTestHoldsIsReset() throws SQLException {
        try (Connection held = dataSource.getConnection()) {
            dbFault.proxy().inject(Faults.reset().onConnectionOf(held));   // found by its backend PID
            assertThatThrownBy(() -> held.createStatement().execute("select 1")).isInstanceOf(SQLException.class);
            assertThat(ledger.balance(1)).isNotNegative();   // the rest of the pool carries on
        }
    }
}
