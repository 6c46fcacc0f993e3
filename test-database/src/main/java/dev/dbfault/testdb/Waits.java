package dev.dbfault.testdb;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting in every module's tests: for a condition, polled on the test's thread every 1 ms
 * from at once, with a deadline; and, where a test must let time pass, for a fixed time.
 */
public final class Waits {

	/** Conditions are mostly met within microseconds; polling this often keeps waits short. */
	private static final Duration POLL = Duration.ofMillis(1);

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
	 * Waits until a supplier gives the expected value; the failure names the last one.
	 * @param <T> the value's type
	 * @param what what is waited for, for the failure's message
	 * @param timeout how long to wait at most
	 * @param actual gives the value
	 * @param expected the value waited for
	 * @throws AssertionError naming the last value if it does not come in time
	 */
	public static <T> void await(String what, Duration timeout, Supplier<T> actual, T expected) {
		AtomicReference<T> last = new AtomicReference<>();
		try {
			await(what + " to be " + expected, timeout, () -> {
				last.set(actual.get());
				return Objects.equals(last.get(), expected);
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("Timed out after " + timeout + " waiting for " + what + " to be " + expected
					+ ", last " + last.get(), ex);
		}
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
