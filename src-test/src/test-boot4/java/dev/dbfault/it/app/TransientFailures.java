package dev.dbfault.it.app;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;

/**
 * How the service retries the failures that are safe to retry (a serialization failure, a
 * deadlock), said on Spring Framework 7 with its own {@code @Retryable}. The Spring Boot 3
 * line's copy of this file says the same with Spring Retry; the service is written once.
 */
public final class TransientFailures {

	private TransientFailures() {
	}

	/**
	 * Retries the method up to three times, 10 ms apart, when it fails with a
	 * {@link PessimisticLockingFailureException}; other failures reach the caller at once.
	 */
	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@Retryable(includes = PessimisticLockingFailureException.class, maxRetries = 3, delay = 10)
	public @interface Retried {

	}

	/**
	 * Turns {@link Retried} on, on the application's class.
	 */
	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@EnableResilientMethods
	public @interface Enabled {

	}

}
