package dev.dbfault.it.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.resilience.annotation.EnableResilientMethods;

/**
 * The service under test: accounts and a ledger written through Spring transactions,
 * HikariCP and the PostgreSQL driver, with retries where a failure is transient.
 */
@SpringBootApplication
@EnableResilientMethods
public class ResilienceApplication {

}
