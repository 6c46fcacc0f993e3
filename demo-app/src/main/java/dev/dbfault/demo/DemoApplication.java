package dev.dbfault.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.resilience.annotation.EnableResilientMethods;

/**
 * An orders and payments service written the way a resilient service is written, with its
 * database connection routed through dbfault so that it can be broken on purpose. It runs on
 * an embedded PostgreSQL unless {@code spring.datasource.url} names another database.
 */
@SpringBootApplication
@EnableResilientMethods
public class DemoApplication {

	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

}
