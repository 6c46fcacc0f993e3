package dev.dbfault.core.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one proxy that write upstream bytes of in-process connections which a fault
 * delayed or held, once they are due (a connection's releaser): a blocking write, which the
 * loop must never do. Made on first use; a thread ends after a second idle; none is made once
 * the proxy stopped. Thread-safe.
 */
final class UpstreamWriters {

	private final String proxyName;

	private ThreadPoolExecutor threads;

	private boolean stopped;

	UpstreamWriters(String proxyName) {
		this.proxyName = proxyName;
	}

	/**
	 * Runs a task on a writer thread.
	 * @param task the task
	 * @return whether it runs (not once the proxy stopped)
	 */
	boolean run(Runnable task) {
		ThreadPoolExecutor writers;
		synchronized (this) {
			if (this.stopped) {
				return false;
			}
			if (this.threads == null) {
				AtomicInteger number = new AtomicInteger();
				this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS, new SynchronousQueue<>(),
						(runnable) -> {
							Thread thread = new Thread(runnable,
									"dbfault-proxy-" + this.proxyName + "-writer-" + number.incrementAndGet());
							thread.setDaemon(true);
							return thread;
						});
			}
			writers = this.threads;
		}
		try {
			writers.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			// the proxy stopped: its connections are closed, nothing is left to write
			return false;
		}
	}

	/**
	 * Stops the threads: at once (interrupting them) when the proxy failed, else once their
	 * connections, closed by now, let them end.
	 * @param now whether to interrupt them
	 */
	synchronized void stop(boolean now) {
		this.stopped = true;
		if (this.threads != null) {
			if (now) {
				this.threads.shutdownNow();
			}
			else {
				this.threads.shutdown();
			}
		}
	}

}
