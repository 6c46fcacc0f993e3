package dev.dbfault.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * What a proxy's loop does with what its tasks, timers and handlers throw: an error of the
 * JVM itself stops it ({@link #isFatal}); anything else is logged, and a log that fails is
 * dropped, never thrown. Thread-safe.
 */
final class LoopErrors {

	private static final Logger LOGGER = System.getLogger(EventLoop.class.getName());

	private LoopErrors() {
	}

	/**
	 * Returns whether the loop must stop after this: an error of the JVM itself (out of
	 * memory, an internal error), after which nothing the loop does can be trusted. A stack
	 * overflow is not: it unwound the task that overflowed, and the loop goes on.
	 * @param ex what was thrown
	 * @return whether it is fatal
	 */
	static boolean isFatal(Throwable ex) {
		return ex instanceof VirtualMachineError && !(ex instanceof StackOverflowError);
	}

	/**
	 * Logs, and drops the log line if logging itself fails (no file descriptor left to load
	 * what it needs, for instance): a log must never end the loop.
	 * @param level the level
	 * @param message the message
	 * @param ex what was thrown, or {@code null}
	 */
	static void logSafely(Level level, Supplier<String> message, Throwable ex) {
		try {
			if (ex != null) {
				LOGGER.log(level, message, ex);
			}
			else {
				LOGGER.log(level, message);
			}
		}
		catch (Throwable failed) {
			if (isFatal(failed)) {
				throw failed;
			}
			// nothing left to tell it with
		}
	}

	/**
	 * Deals with what a task, timer or handler threw: rethrows a fatal error (the loop stops),
	 * logs anything else.
	 */
	static void survive(Throwable ex, String what) {
		if (isFatal(ex)) {
			throw sneaky(ex);
		}
		logSafely(Level.ERROR, () -> "dbfault proxy " + what + " failed", ex);
	}

	@SuppressWarnings("unchecked")
	static <T extends Throwable> RuntimeException sneaky(Throwable ex) throws T {
		throw (T) ex;
	}

}
