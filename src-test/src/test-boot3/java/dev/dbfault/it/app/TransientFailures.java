package dev.dbfault.it.app;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.retry.annotation.Backoff;
import org.springframework.retry.annotation.EnableRetry;
import org.springframework.retry.annotation.Retryable;

/**
 * How the service retries the failures that are safe to retry (a serialization failure, a
 * deadlock), said on Spring Boot 3 with Spring Retry. The Spring Boot 4 line's copy of this
 * file says the same with Spring Framework 7's {@code @Retryable}; the service is written
 * once.
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
	@Retryable(retryFor = PessimisticLockingFailureException.class, maxAttempts = 4, backoff = @Backoff(delay = 10))
	public @interface Retried {

	}

	/**
	 * Turns {@link Retried} on, on the application's class.
	 */
	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@EnableRetry
	public @interface Enabled {

	}

}
