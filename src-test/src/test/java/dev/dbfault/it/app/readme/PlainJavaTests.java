package dev.dbfault.it.app.readme;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.Protocol;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Faults;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlainJavaTests {

    @Test
    void aProxyInFrontOfPostgres() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
                FaultProxy proxy = FaultProxy.builder()
                    .name("orders-db")
                    .upstream("127.0.0.1", postgres.getPort())
                    .protocol(Protocol.POSTGRESQL)
                    .start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + proxy.listenAddress().getPort() + "/postgres";
            try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres")) {
                proxy.resetConnections();                                 // RST on every live connection
                assertThatThrownBy(() -> connection.createStatement().execute("select 1"))
                    .isInstanceOf(SQLException.class);
            }
            try (ActiveFault slow = proxy.inject(Faults.latency(Duration.ofMillis(200)));
                    Connection connection = DriverManager.getConnection(url, "postgres", "postgres")) {
                connection.createStatement().execute("select 1");   // every response 200 ms late until the block ends
            }
            proxy.inject(Faults.refuse().times(2));                   // the next two connections fail
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres"))
                .isInstanceOf(SQLException.class);
        }
    }
}
