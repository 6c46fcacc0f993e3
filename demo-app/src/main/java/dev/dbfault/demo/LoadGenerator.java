package dev.dbfault.demo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Places orders at a steady rate from a few worker threads, and keeps what happened to them:
 * totals, failures by exception type, and one bucket per second (requests, failures,
 * latency percentiles, the faults in effect or acting in that second) for the last two
 * minutes.
 *
 * <p>Thread-safe: recording and reading go through this object's lock; the lock is held only
 * for a few arithmetic operations.
 */
@Component
public class LoadGenerator implements DisposableBean {

	/** Seconds of history kept for the timeline. */
	static final int HISTORY = 120;

	private final OrderService orders;

	private final Supplier<FaultsView.SecondOfFaults> faultsOfSecond;

	private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(named("demo-clock"));

	private final Deque<Second> history = new ArrayDeque<>();

	private final Map<String, Long> failuresByType = new TreeMap<>();

	private long successes;

	private long failures;

	private Second current = new Second(System.currentTimeMillis() / 1000 * 1000);

	private ThreadPoolExecutor workers;

	private ScheduledFuture<?> ticks;

	private int rate;

	private int concurrency;

	LoadGenerator(OrderService orders, FaultsView faults) {
		this.orders = orders;
		this.faultsOfSecond = faults::closeSecond;
		this.clock.scheduleAtFixedRate(this::closeSecond, 1000 - System.currentTimeMillis() % 1000, 1000,
				TimeUnit.MILLISECONDS);
	}

	/**
	 * Starts placing orders, replacing any load already running.
	 * @param rate orders per second, 1 to 1000
	 * @param concurrency worker threads, 1 to 64
	 * @throws IllegalArgumentException naming the bad value
	 */
	public synchronized void start(int rate, int concurrency) {
		if (rate < 1 || rate > 1000) {
			throw new IllegalArgumentException("rate must be between 1 and 1000 orders per second, was " + rate);
		}
		if (concurrency < 1 || concurrency > 64) {
			throw new IllegalArgumentException("concurrency must be between 1 and 64 threads, was " + concurrency);
		}
		stop();
		this.rate = rate;
		this.concurrency = concurrency;
		// a short queue: when every worker is stuck on a dead connection, new orders are dropped, not piled up
		this.workers = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(concurrency * 2), named("demo-load"), new ThreadPoolExecutor.DiscardPolicy());
		ThreadPoolExecutor pool = this.workers;
		this.ticks = this.clock.scheduleAtFixedRate(() -> pool.execute(this::placeOne), 0, 1_000_000_000L / rate,
				TimeUnit.NANOSECONDS);
	}

	/**
	 * Stops placing orders; orders in flight finish on their own.
	 */
	public synchronized void stop() {
		if (this.ticks != null) {
			this.ticks.cancel(false);
			this.ticks = null;
		}
		if (this.workers != null) {
			this.workers.shutdown();
			this.workers = null;
		}
	}

	public synchronized boolean isRunning() {
		return this.workers != null;
	}

	private void placeOne() {
		long start = System.nanoTime();
		try {
			this.orders.place(UUID.randomUUID().toString(), "customer-" + ThreadLocalRandom.current().nextInt(1000),
					100 + ThreadLocalRandom.current().nextInt(10_000));
			record(null, System.nanoTime() - start);
		}
		catch (RuntimeException ex) {
			record(ex.getClass().getSimpleName(), System.nanoTime() - start);
		}
	}

	private synchronized void record(String failure, long nanos) {
		this.current.latencies.add(nanos / 1_000_000.0);
		if (failure == null) {
			this.successes++;
			this.current.successes++;
		}
		else {
			this.failures++;
			this.current.failures++;
			this.failuresByType.merge(failure, 1L, Long::sum);
		}
	}

	private void closeSecond() {
		FaultsView.SecondOfFaults faults = this.faultsOfSecond.get();
		synchronized (this) {
			this.current.faults = faults.inEffect();
			this.current.acted = faults.acted();
			this.current.close();
			this.history.addLast(this.current);
			while (this.history.size() > HISTORY) {
				this.history.removeFirst();
			}
			this.current = new Second(this.current.start + 1000);
		}
	}

	/**
	 * Returns what happened so far.
	 * @return a snapshot
	 */
	public synchronized Snapshot snapshot() {
		Second last = this.history.peekLast();
		return new Snapshot(isRunning(), this.rate, this.concurrency, this.successes, this.failures,
				new TreeMap<>(this.failuresByType), (last != null) ? last : new Second(this.current.start - 1000),
				new ArrayList<>(this.history));
	}

	@Override
	public void destroy() {
		stop();
		this.clock.shutdownNow();
	}

	private static ThreadFactory named(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * What the load generator saw.
	 */
	public record Snapshot(boolean running, int rate, int concurrency, long successes, long failures,
			Map<String, Long> failuresByType, Second lastSecond, List<Second> timeline) {

	}

	/**
	 * One second of load.
	 */
	public static final class Second {

		final long start;

		final List<Double> latencies = new ArrayList<>();

		long successes;

		long failures;

		Double p50;

		Double p99;

		/** Conditions in effect at some moment of this second, however briefly. */
		List<String> faults = List.of();

		/** Actions (faults that act once, such as reset) that acted during this second. */
		List<String> acted = List.of();

		Second(long start) {
			this.start = start;
		}

		void close() {
			if (!this.latencies.isEmpty()) {
				double[] sorted = this.latencies.stream().mapToDouble(Double::doubleValue).toArray();
				Arrays.sort(sorted);
				this.p50 = sorted[(int) Math.floor(0.50 * (sorted.length - 1))];
				this.p99 = sorted[(int) Math.floor(0.99 * (sorted.length - 1))];
			}
			this.latencies.clear();
		}

	}

}
