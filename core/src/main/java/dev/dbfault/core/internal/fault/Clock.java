package dev.dbfault.core.internal.fault;

/**
 * Where the engine reads the time: every deadline, delay and expiry is a value of
 * {@link #nanoTime()}. The system clock in production; a test can move a manual one.
 */
@FunctionalInterface
public interface Clock {

	/** The JVM's monotonic clock, {@link System#nanoTime()}. */
	Clock SYSTEM = System::nanoTime;

	/**
	 * Returns the current time in nanoseconds, on an arbitrary origin.
	 * @return the time
	 */
	long nanoTime();

}
