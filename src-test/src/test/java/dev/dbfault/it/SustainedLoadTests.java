package dev.dbfault.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.dbfault.it.support.ResilienceTestSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static dev.dbfault.testdb.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of borrow and return cycles while connections are reset at random: the pool
 * never grows past its maximum, leaks nothing (leak detection is on), starts no thread it
 * does not end, and is healthy at the end.
 */
class SustainedLoadTests extends ResilienceTestSupport {

	@Test
	void thousandsOfBorrowsWithRandomResetsNeverExceedThePoolOrLeak() throws Exception {
		ListAppender<ILoggingEvent> leaks = new ListAppender<>();
		Logger leakLogger = (Logger) LoggerFactory.getLogger("com.zaxxer.hikari.pool.ProxyLeakTask");
		leaks.start();
		leakLogger.addAppender(leaks);
		Set<String> threadsBefore = threadNames();
		AtomicInteger cycles = new AtomicInteger();
		AtomicInteger failures = new AtomicInteger();
		AtomicInteger maxTotal = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int worker = 0; worker < 8; worker++) {
				workers.add(executor.submit(() -> {
					while (cycles.incrementAndGet() <= 3000) {
						if (ThreadLocalRandom.current().nextInt(100) == 0) {
							this.dbFault.proxy().resetConnections();
						}
						try (Connection connection = this.pool.getConnection()) {
							connection.createStatement().execute("select 1");
						}
						catch (SQLException ex) {
							failures.incrementAndGet();
						}
						maxTotal.accumulateAndGet(this.pool.getHikariPoolMXBean().getTotalConnections(), Math::max);
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
			executor.awaitTermination(10, TimeUnit.SECONDS);
			leakLogger.detachAppender(leaks);
		}
		System.out.printf("sustained load: %d cycles, %d failed on a reset connection, pool peaked at %d%n",
				cycles.get() - 8, failures.get(), maxTotal.get());
		assertThat(maxTotal.get()).isLessThanOrEqualTo(this.pool.getMaximumPoolSize());
		assertThat(failures.get()).as("failures (each from a reset)").isLessThan(3000 / 4);
		await("every connection back in the pool", Duration.ofSeconds(10),
				() -> this.pool.getHikariPoolMXBean().getActiveConnections() == 0);
		assertThat(leaks.list).as("connection leak reports").isEmpty();
		this.dbFault.awaitDataSource(Duration.ofSeconds(10));
		Set<String> leftover = threadNames();
		leftover.removeAll(threadsBefore);
		// the pool may have replaced its own helper threads; nothing else may remain
		assertThat(leftover).allMatch((name) -> name.startsWith("HikariPool-"));
	}

	private static Set<String> threadNames() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> !name.startsWith("pool-") && !name.startsWith("ForkJoinPool"))
			.collect(Collectors.toSet());
	}

}
