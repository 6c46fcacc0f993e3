package dev.dbfault.it.app.readme;

import java.time.Duration;

import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest
@AutoConfigureDbFault
class ContainerRecoveryTests {
    @Container
    @ServiceConnection
    static PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17").withUrlParam("socketTimeout", "5");

    @Autowired DbFault dbFault;

    @Test
    void aResetIsRecoveredFrom() {
        dbFault.proxy().resetConnections();
        dbFault.awaitDataSource(Duration.ofSeconds(10));
    }
}
