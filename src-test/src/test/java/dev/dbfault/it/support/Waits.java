package dev.dbfault.it.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;

/**
 * Waiting in the suites: for a condition, polled on the test's thread every 10 ms from at
 * once, and for a fixed time.
 */
public final class Waits {

	private static final Duration POLL = Duration.ofMillis(10);

	private Waits() {
	}

	/**
	 * Waits until a condition holds.
	 * @param what what is waited for, for the failure's message
	 * @param timeout how long to wait at most
	 * @param condition the condition
	 * @throws org.awaitility.core.ConditionTimeoutException if it does not hold in time
	 */
	public static void await(String what, Duration timeout, BooleanSupplier condition) {
		Awaitility.await(what)
			.atMost(timeout)
			.pollInSameThread()
			.pollDelay(Duration.ZERO)
			.pollInterval(POLL)
			.until(condition::getAsBoolean);
	}

	/**
	 * Sleeps; an interruption fails the test.
	 * @param duration how long
	 */
	public static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
