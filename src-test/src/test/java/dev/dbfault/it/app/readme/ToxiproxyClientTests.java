package dev.dbfault.it.app.readme;

import java.io.IOException;
import java.time.Duration;

import dev.dbfault.core.fault.Faults;
import dev.dbfault.it.app.LedgerService;
import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = { "dbfault.toxiproxy-api.enabled=true", "dbfault.toxiproxy-api.port=0" })
@AutoConfigureDbFault
class ToxiproxyClientTests {

    @Value("${local.dbfault.toxiproxy-api.port}") int toxiproxyPort;
    @Autowired DbFault dbFault;
    @Autowired LedgerService ledger;

    @Test
    void aToxiproxyLatencyAndAnSqlErrorOnTheSameProxy() throws IOException {
        // with Testcontainers: new ToxiproxyClient(toxiproxy.getHost(), toxiproxy.getControlPort())
        ToxiproxyClient toxiproxy = new ToxiproxyClient("127.0.0.1", toxiproxyPort);
        Proxy db = toxiproxy.getProxy("dataSource");           // the DataSource's proxy, by its bean name
        db.toxics().latency("slow-db", ToxicDirection.DOWNSTREAM, 200);
        dbFault.proxy().inject(Faults.sqlError("insert into ledger", "40001").times(2));
        long start = System.nanoTime();
        assertThat(ledger.recordWithRetry(1, 5, "slow-and-retried")).isPositive();   // third attempt succeeds
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(200));
    }

    @AfterEach
    void reset() throws IOException {
        new ToxiproxyClient("127.0.0.1", toxiproxyPort).reset();   // every toxic and every fault removed
    }
}
