package dev.dbfault.it.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The service under test: accounts and a ledger written through Spring transactions,
 * HikariCP and the PostgreSQL driver, with retries where a failure is transient.
 */
@SpringBootApplication
@TransientFailures.Enabled
public class ResilienceApplication {

}
