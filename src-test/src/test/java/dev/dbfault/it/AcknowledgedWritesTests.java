package dev.dbfault.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.it.support.ResilienceTestSupport;
import org.junit.jupiter.api.Test;

import static dev.dbfault.testdb.Waits.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No acknowledged write is lost: writers insert for a bounded time while faults fire at
 * random; every insert a writer saw succeed is in the table at the end, none twice, and
 * the pool is healthy.
 */
class AcknowledgedWritesTests extends ResilienceTestSupport {

	private static final Duration RUN = Duration.ofSeconds(6);

	@Test
	void everyAcknowledgedWriteIsInTheTableAndNoneTwice() throws Exception {
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		AtomicInteger failed = new AtomicInteger();
		AtomicInteger faults = new AtomicInteger();
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService executor = Executors.newFixedThreadPool(5);
		try {
			List<Future<?>> writers = new java.util.ArrayList<>();
			for (int writer = 0; writer < 4; writer++) {
				int id = writer;
				writers.add(executor.submit(() -> {
					for (int n = 0; running.get(); n++) {
						String key = "w" + id + "-" + n;
						try {
							this.ledger.write(key);
							acknowledged.add(key);
						}
						catch (RuntimeException ex) {
							failed.incrementAndGet();
						}
					}
					return null;
				}));
			}
			Future<?> chaos = executor.submit(() -> {
				FaultProxy proxy = this.dbFault.proxy();
				while (running.get()) {
					switch (ThreadLocalRandom.current().nextInt(5)) {
						case 0 -> proxy.resetConnections();
						case 1 -> proxy.inject(Faults.dropOn("(?i)^\\s*commit").when("after").times(1));
						case 2 -> proxy.inject(Faults.dropOn("(?i)^\\s*commit").when("before").times(1));
						case 3 -> proxy.inject(Faults.sqlError("insert into writes", "40001").times(2));
						default -> proxy.inject(Faults.latency(Duration.ofMillis(30)).duration(Duration.ofMillis(200)));
					}
					faults.incrementAndGet();
					pause(Duration.ofMillis(ThreadLocalRandom.current().nextInt(50, 150)));
				}
				return null;
			});
			pause(RUN);
			running.set(false);
			chaos.get(30, TimeUnit.SECONDS);
			for (Future<?> writer : writers) {
				writer.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			running.set(false);
			executor.shutdownNow();
		}
		this.dbFault.healAll();
		Set<String> stored = new HashSet<>();
		int rows = 0;
		try (Connection connection = direct(); Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select key from writes")) {
			while (rs.next()) {
				stored.add(rs.getString(1));
				rows++;
			}
		}
		Set<String> lost = new HashSet<>(acknowledged);
		lost.removeAll(stored);
		System.out.printf("acknowledged writes: %d acknowledged, %d failed, %d rows stored (%d committed although"
				+ " reported failed), %d faults injected, %d lost%n", acknowledged.size(), failed.get(), rows,
				rows - acknowledged.size(), faults.get(), lost.size());
		assertThat(acknowledged).as("acknowledged writes").hasSizeGreaterThan(100);
		assertThat(failed.get()).as("writes that failed under the faults").isPositive();
		assertThat(lost).as("acknowledged writes missing from the table").isEmpty();
		assertThat(rows).as("rows, each key at most once").isEqualTo(stored.size());
		this.dbFault.awaitDataSource(Duration.ofSeconds(10));
		assertThat(count("select count(*) from writes")).isEqualTo(rows);
	}

}
