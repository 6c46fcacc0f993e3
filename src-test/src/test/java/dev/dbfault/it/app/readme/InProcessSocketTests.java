package dev.dbfault.it.app.readme;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.FaultSocketFactory;
import dev.dbfault.core.Protocol;
import dev.dbfault.core.fault.Faults;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InProcessSocketTests {

    @Test
    void faultsInTheDriversOwnSockets() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
                FaultProxy proxy = FaultProxy.builder()
                    .name("orders-db")
                    .upstream("127.0.0.1", postgres.getPort())
                    .protocol(Protocol.POSTGRESQL)
                    .start()) {
            // the database's own address; the proxy is named, its port is not used
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?"
                    + FaultSocketFactory.urlParameters(proxy);  // socketFactory=dev.dbfault.core.FaultSocketFactory&socketFactoryArg=orders-db
            try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres")) {
                assertThat(proxy.stats().liveConnections()).isEqualTo(1);
                proxy.inject(Faults.sqlError("(?i)^select 2", "40001").times(1));
                assertThatThrownBy(() -> connection.createStatement().execute("select 2"))
                    .isInstanceOf(SQLException.class)
                    .hasFieldOrPropertyWithValue("SQLState", "40001");
                connection.createStatement().execute("select 2");     // times=1: used up
                proxy.resetConnections();                             // the server gets a RST, the driver "Connection reset"
                assertThatThrownBy(() -> connection.createStatement().execute("select 1"))
                    .isInstanceOf(SQLException.class);
            }
        }
    }
}
