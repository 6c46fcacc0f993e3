package dev.dbfault.it.app.readme;

import java.time.Duration;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.it.app.LedgerService;
import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(properties = {
        "spring.datasource.hikari.connection-timeout=2000",   // ms a caller waits for a connection
        "spring.datasource.hikari.validation-timeout=1000",   // ms checking an idle connection may take
        "spring.datasource.hikari.data-source-properties.socketTimeout=5" })   // s a query may hang
@AutoConfigureDbFault
class CheckoutRecoveryTests {

    @Autowired DbFault dbFault;
    @Autowired LedgerService ledger;

    @Test
    void retryableRetriesASerializationFailureUntilItSucceeds() {
        dbFault.proxy().inject(Faults.sqlError("insert into ledger", "40001").times(2));
        assertThat(ledger.recordWithRetry(1, 5, "retry-me")).isPositive();   // third attempt succeeds
    }

    @Test
    void theAmbiguousCommitReportsAFailureAlthoughTheRowCommitted() {
        dbFault.proxy().inject(Faults.dropOn("(?i)^\\s*commit").when("after").times(1));
        assertThatThrownBy(() -> ledger.record(1, 5, "ambiguous"))
            .isInstanceOf(TransactionSystemException.class);
        // ... and the row is in the table: only an idempotency key makes the retry safe
    }

    @Test
    void aPartitionFailsTheCallerWithinTheTimeoutsNotNever() {
        try (ActiveFault partition = dbFault.proxy().blackhole()) {     // healed at the end of the block
            long start = System.nanoTime();
            assertThatThrownBy(() -> ledger.balance(1))
                .isInstanceOf(DataAccessResourceFailureException.class);
            // an idle pooled connection is validated first: the caller fails after connection-timeout
            // (CannotGetJdbcConnectionException); a connection in use fails after socketTimeout
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(7));
        }
        dbFault.awaitDataSource(Duration.ofSeconds(10));
    }
}
