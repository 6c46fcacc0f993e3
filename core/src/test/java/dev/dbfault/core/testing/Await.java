package dev.dbfault.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline, polling; never a bare sleep.
 */
public final class Await {

	private Await() {
	}

	/**
	 * Waits until the condition holds.
	 * @param what what is awaited, for the failure message
	 * @param timeout the deadline
	 * @param condition the condition
	 * @throws AssertionError if it does not hold in time
	 */
	public static void until(String what, Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Timed out after " + timeout + " waiting for: " + what);
			}
			Upstream.sleep(2);
		}
	}

	/**
	 * Waits until the supplier returns the expected value.
	 * @param <T> the value type
	 * @param what what is awaited
	 * @param timeout the deadline
	 * @param actual the supplier
	 * @param expected the expected value
	 */
	public static <T> void until(String what, Duration timeout, Supplier<T> actual, T expected) {
		long deadline = System.nanoTime() + timeout.toNanos();
		T last;
		while (!expected.equals(last = actual.get())) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Timed out after " + timeout + " waiting for " + what + " to be " + expected
						+ ", last " + last);
			}
			Upstream.sleep(2);
		}
	}

}
