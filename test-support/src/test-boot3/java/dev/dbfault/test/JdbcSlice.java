package dev.dbfault.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.autoconfigure.jdbc.AutoConfigureTestDatabase;
import org.springframework.boot.test.autoconfigure.jdbc.AutoConfigureTestDatabase.Replace;
import org.springframework.boot.test.autoconfigure.jdbc.JdbcTest;

/**
 * Spring Boot's {@code @JdbcTest} slice on the test database (not an embedded replacement),
 * for the suites shared by both Spring Boot lines: the slice's annotations moved package in
 * Spring Boot 4, and the Spring Boot 4 line's copy names them in their Boot 4 package.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@JdbcTest
@AutoConfigureTestDatabase(replace = Replace.NONE)
@interface JdbcSlice {

}
