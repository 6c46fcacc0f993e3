package dev.dbfault.it;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.dbfault.core.fault.FaultScenario;
import dev.dbfault.it.support.ResilienceTestSupport;
import dev.dbfault.testdb.Docs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.dbfault.testdb.Waits.await;
import static dev.dbfault.testdb.Waits.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The incident recipes of {@code docs/incidents/}, each scenario file injected as written into
 * a HikariCP application (Spring Boot's defaults, but a pool of 4 and a 2 s
 * {@code connectionTimeout}, so that a borrow that cannot succeed ends within the test), and
 * what the application does: which requests fail, with what, and when it has recovered. The
 * table printed at the end is the one the recipe pages quote.
 */
class IncidentRecipeTests extends ResilienceTestSupport {

	/** How long a recipe watches the application before it calls it not recovered. */
	static final Duration WATCH = Duration.ofSeconds(10);

	static final Map<String, String> table = new TreeMap<>();

	/**
	 * Reads a recipe's scenario, once the pool holds all its connections: the incident
	 * meets the pool as it is between incidents.
	 */
	FaultScenario recipe(String name) {
		await("the pool to be full", Duration.ofSeconds(10),
				() -> this.pool.getHikariPoolMXBean().getTotalConnections() == this.pool.getMaximumPoolSize()
						&& this.dbFault.proxy().stats().liveConnections() == this.pool.getMaximumPoolSize());
		try {
			return FaultScenario.parseJson(Files.readString(Docs.file("docs/incidents/" + name + ".json")));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Autowired
	private PlatformTransactionManager transactions;

	/** A write in a transaction of its own: what most requests of a service do. */
	void write() {
		this.ledger.write(UUID.randomUUID().toString());
	}

	/** A request that holds its connection for 2.5 s. */
	void longRead() {
		this.jdbc.queryForObject("select 1 from pg_sleep(2.5)", Integer.class);
	}

	/**
	 * Sends {@code request} from {@code callers} callers at once, round after round, until
	 * {@code until} says the rounds so far are enough or {@link #WATCH} has passed.
	 */
	Rounds inRounds(int callers, Runnable request, Predicate<Rounds> until) throws Exception {
		Rounds rounds = new Rounds(System.nanoTime());
		ExecutorService executor = Executors.newFixedThreadPool(callers);
		try {
			while (!until.test(rounds) && Duration.ofNanos(System.nanoTime() - rounds.start).compareTo(WATCH) < 0) {
				List<Future<String>> outcomes = new ArrayList<>();
				for (int i = 0; i < callers; i++) {
					outcomes.add(executor.submit(() -> {
						try {
							request.run();
							return null;
						}
						catch (RuntimeException ex) {
							// a rollback that failed on the broken connection hides why the request failed
							Throwable failure = (ex instanceof TransactionSystemException rollback
									&& rollback.getApplicationException() != null) ? rollback.getApplicationException() : ex;
							String state = sqlState(failure);
							return (state != null) ? state : failure.getClass().getSimpleName();
						}
					}));
				}
				List<String> failures = new ArrayList<>();
				for (Future<String> outcome : outcomes) {
					String failure = outcome.get(30, TimeUnit.SECONDS);
					if (failure != null) {
						failures.add(failure);
					}
				}
				rounds.add(callers, failures);
				pause(Duration.ofMillis(50));
			}
		}
		finally {
			executor.shutdownNow();
		}
		return rounds;
	}

	static void record(String recipe, String settings, Rounds rounds) {
		table.put(recipe + settings, "| " + recipe + " | " + settings + " | " + rounds.requests + " | "
				+ rounds.failed + " " + rounds.states + " | " + rounds.recovery() + " |");
	}

	@AfterAll
	static void printTable() {
		System.out.println("| recipe | settings | writes | failed (SQLSTATEs) | recovered after |");
		System.out.println("|---|---|---|---|---|");
		table.values().forEach(System.out::println);
	}

	@Test
	void failoverWithHikarisDefaultsWritesKeepFailingOnTheConnectionsLeftOnTheDemotedPrimary() throws Exception {
		this.dbFault.proxy().inject(recipe("failover"));
		Rounds rounds = inRounds(4, this::write, (so) -> false);
		record("failover", "HikariCP defaults", rounds);
		assertThat(rounds.states).containsKey("25006");
		assertThat(rounds.lastRoundFailures()).as("writes on the stragglers, after the whole watch").contains("25006");
	}

	@Test
	void plannedRestartRequestsFailWhileTheServerIsDownAndStartingAndTheNextSucceed() throws Exception {
		this.dbFault.proxy().inject(recipe("planned-restart"));
		Rounds rounds = inRounds(1, this::write, (so) -> so.recoveredFor(3));
		record("planned-restart", "HikariCP defaults", rounds);
		assertThat(rounds.recoveredNanos).as("recovered").isPositive();
		assertThat(rounds.states.keySet()).isSubsetOf(Set.of("57P01", "08001", "08006", "57P03"));
		// down for 2 s, then logins refused for 2 s: no write succeeds before both are over
		assertThat(Duration.ofNanos(rounds.recoveredNanos)).isGreaterThan(Duration.ofSeconds(4).minus(TOLERANCE));
	}

	@Test
	void credentialRotationThePoolServesOnFewerConnectionsAndABurstFailsWith28P01() throws Exception {
		this.dbFault.proxy().inject(recipe("credential-rotation"));
		Rounds rounds = inRounds(4, this::write,
				(so) -> this.pool.getHikariPoolMXBean().getTotalConnections() == 3 && so.recoveredFor(3));
		assertThat(this.pool.getHikariPoolMXBean().getTotalConnections()).as("connections left").isEqualTo(3);
		// four callers that hold their connections longer than the connection timeout: one has none
		rounds.addAll(inRounds(4, this::longRead, (so) -> so.requests >= 4));
		record("credential-rotation", "HikariCP defaults", rounds);
		assertThat(rounds.states).containsEntry("28P01", 1);
		assertThat(rounds.states.keySet()).isSubsetOf(Set.of("08006", "28P01"));
		assertThat(this.pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(3);
	}

	@Test
	void connectionStormThePoolShrinksWhileTheServerIsFullAndRefillsAfter() throws Exception {
		this.dbFault.proxy().inject(recipe("connection-storm"));
		Rounds rounds = inRounds(4, this::write, (so) -> so.recoveredFor(3)
				&& this.pool.getHikariPoolMXBean().getTotalConnections() == 4);
		record("connection-storm", "HikariCP defaults", rounds);
		assertThat(rounds.recoveredNanos).as("recovered").isPositive();
		assertThat(this.pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(4);
		assertThat(rounds.states.keySet()).isSubsetOf(Set.of("08006", "53300"));
	}

	@Test
	void slowDiskWritesTakeTheLatencyReadsDoNotAndATransactionTimeoutEndsThem() {
		this.dbFault.proxy().inject(recipe("slow-disk"));
		long start = System.nanoTime();
		write();
		long write = millisSince(start);
		start = System.nanoTime();
		this.ledger.balance(1);
		long read = millisSince(start);
		assertThat(write).isGreaterThanOrEqualTo(1500);
		assertThat(read).isLessThan(1500 - TOLERANCE.toMillis());
		TransactionTemplate bounded = new TransactionTemplate(this.transactions);
		bounded.setTimeout(1);
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> bounded.executeWithoutResult((status) -> write()))
			.satisfies((ex) -> assertThat(sqlState(ex)).isEqualTo("57014"));
		table.put("slow-disk", "| slow-disk | HikariCP defaults | a write took " + write + " ms, a read " + read
				+ " ms | a write in a transaction with a 1 s timeout: 57014 | – |");
	}

	/**
	 * The failover recipe with the setting that makes the pool recover: an
	 * {@code SQLExceptionOverride} that evicts on 25006.
	 */
	@Nested
	@TestPropertySource(properties = "spring.datasource.hikari.exception-override-class-name="
			+ "dev.dbfault.it.app.readme.FailoverExceptionOverride")
	class WithAnExceptionOverride {

		@Test
		void failoverEachStragglerIsReplacedByItsFirstFailedWriteAndWritesRecover() throws Exception {
			IncidentRecipeTests.this.dbFault.proxy().inject(IncidentRecipeTests.this.recipe("failover"));
			Rounds rounds = inRounds(4, IncidentRecipeTests.this::write, (so) -> so.recoveredFor(3));
			record("failover", "FailoverExceptionOverride", rounds);
			assertThat(rounds.recoveredNanos).as("recovered").isPositive();
			assertThat(rounds.states.keySet()).isSubsetOf(Set.of("25006", "08006", "57P03"));
		}

	}

	/**
	 * What the requests of a recipe met, round by round.
	 */
	static final class Rounds {

		final long start;

		int requests;

		int failed;

		final Map<String, Integer> states = new TreeMap<>();

		final List<List<String>> failures = new ArrayList<>();

		/** When the clean rounds since the last failure began, from the start; 0 while none. */
		long recoveredNanos;

		int cleanRounds;

		Rounds(long start) {
			this.start = start;
		}

		void add(int callers, List<String> failures) {
			this.failures.add(failures);
			this.requests += callers;
			this.failed += failures.size();
			failures.forEach((state) -> this.states.merge(state, 1, Integer::sum));
			if (!failures.isEmpty()) {
				this.cleanRounds = 0;
				this.recoveredNanos = 0;
			}
			else if (this.cleanRounds++ == 0) {
				this.recoveredNanos = System.nanoTime() - this.start;
			}
		}

		void addAll(Rounds other) {
			this.requests += other.requests;
			this.failed += other.failed;
			other.states.forEach((state, count) -> this.states.merge(state, count, Integer::sum));
			this.failures.addAll(other.failures);
		}

		boolean recoveredFor(int rounds) {
			return this.cleanRounds >= rounds;
		}

		List<String> lastRoundFailures() {
			return this.failures.isEmpty() ? List.of() : this.failures.get(this.failures.size() - 1);
		}

		String recovery() {
			return (this.recoveredNanos > 0) ? Duration.ofNanos(this.recoveredNanos).toMillis() + " ms"
					: "not within " + WATCH.toSeconds() + " s";
		}

	}

}
