package dev.dbfault.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.FaultOptions;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.fault.JournalEntry;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Seeds that replay a run's decisions, the journal of what fired where, and faults aimed at
 * one application, one connection or one statement of a transaction: through the real
 * driver and pool against a real server.
 */
class ReplayAndTargetTests {

	private static final int CONNECTIONS = 6;

	private static final int STATEMENTS = 40;

	private TestDatabase database;

	private final List<FaultProxy> proxies = new ArrayList<>();

	@BeforeEach
	void createTable() throws SQLException {
		this.database = TestDatabase.get();
		try (Connection direct = this.database.connect(); Statement statement = direct.createStatement()) {
			statement.execute("drop table if exists payments");
			statement.execute("create table payments (connection int, n int)");
		}
	}

	@AfterEach
	void stop() {
		this.proxies.forEach(FaultProxy::stop);
	}

	private FaultProxy proxy(FaultProxy.Builder builder) {
		FaultProxy proxy = builder.name("replay")
			.upstream(this.database.host(), this.database.port())
			.protocol(Protocol.POSTGRESQL)
			.start();
		this.proxies.add(proxy);
		return proxy;
	}

	private Connection connect(FaultProxy proxy, String... properties) throws SQLException {
		Properties props = this.database.credentials();
		props.setProperty("socketTimeout", "10");
		for (int i = 0; i < properties.length; i += 2) {
			props.setProperty(properties[i], properties[i + 1]);
		}
		return DriverManager.getConnection(this.database.jdbcUrl("127.0.0.1", proxy.listenAddress().getPort()), props);
	}

	/**
	 * Runs the same workload on a fresh proxy: {@value #CONNECTIONS} connections opened one
	 * after the other, then each inserting {@value #STATEMENTS} rows on its own thread, all
	 * at once, under a fault that fails about a third of the inserts.
	 * @return what failed, as the application saw it: "connection:row" of each failed insert
	 */
	private Run run(long seed) throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		List<Connection> connections = new ArrayList<>();
		try {
			for (int i = 0; i < CONNECTIONS; i++) {
				connections.add(connect(proxy));
			}
			ActiveFault fault = proxy.inject(Faults.sqlError("(?i)^insert", "40001").probability(0.3).seed(seed).build());
			Set<String> failed = ConcurrentHashMap.newKeySet();
			ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<?>> done = new ArrayList<>();
			for (int c = 0; c < CONNECTIONS; c++) {
				Connection connection = connections.get(c);
				int number = c + 1;
				done.add(threads.submit(() -> {
					go.await();
					try (Statement statement = connection.createStatement()) {
						for (int n = 1; n <= STATEMENTS; n++) {
							try {
								statement.execute("INSERT INTO payments VALUES (" + number + ", " + n + ")");
							}
							catch (SQLException ex) {
								assertThat(ex.getSQLState()).isEqualTo("40001");
								failed.add(number + ":" + n);
							}
						}
					}
					return null;
				}));
			}
			go.countDown();
			for (Future<?> each : done) {
				each.get(60, TimeUnit.SECONDS);
			}
			threads.shutdown();
			Set<String> journaled = new TreeSet<>();
			for (JournalEntry entry : proxy.journal()) {
				// the statement says which row, the connection which of the six
				String row = entry.statement().replaceAll(".*, (\\d+)\\)$", "$1");
				journaled.add(entry.connection().number() + ":" + row);
			}
			return new Run(fault.seed(), new TreeSet<>(failed), journaled, proxy.journal());
		}
		finally {
			for (Connection connection : connections) {
				connection.close();
			}
		}
	}

	record Run(long seed, Set<String> failed, Set<String> journaled, List<JournalEntry> journal) {
	}

	@Test
	void theSameSeedReplaysEveryDecisionHoweverTheConnectionsInterleave() throws Exception {
		Run first = run(20261201L);
		Run again = run(first.seed());
		Run other = run(7L);
		assertThat(first.failed()).hasSizeBetween(CONNECTIONS * STATEMENTS / 6, CONNECTIONS * STATEMENTS / 2);
		// the journal is what the application saw, decision by decision
		assertThat(first.journaled()).isEqualTo(first.failed());
		assertThat(again.failed()).isEqualTo(first.failed());
		assertThat(again.journaled()).isEqualTo(first.journaled());
		assertThat(other.failed()).isNotEqualTo(first.failed());
		assertThat(first.journal()).allSatisfy((entry) -> {
			assertThat(entry.seed()).isEqualTo(20261201L);
			assertThat(entry.action()).isEqualTo("40001 instead of the statement");
			assertThat(entry.type().id()).isEqualTo("sql-error");
		});
	}

	@Test
	void aFaultWithoutSeedShowsTheOneItWasGivenAndThatSeedReplaysIt() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		ActiveFault fault = proxy.inject(Faults.sqlError("^x", "40001").probability(0.5).build());
		assertThat(fault.seed()).isBetween(0L, FaultOptions.MAX_SEED);
		ActiveFault another = proxy.inject(Faults.sqlError("^y", "40001").probability(0.5).build());
		assertThat(another.seed()).isNotEqualTo(fault.seed());
		ActiveFault given = proxy.inject(Faults.sqlError("^z", "40001").seed(fault.seed()).build());
		assertThat(given.seed()).isEqualTo(fault.seed());
		assertThat(given.spec().toMap()).containsEntry("seed", fault.seed());
	}

	@Test
	void aProxySeedMakesEachFaultsSeedFromItsId() {
		FaultProxy one = proxy(FaultProxy.builder().seed(99));
		FaultProxy two = proxy(FaultProxy.builder().seed(99));
		FaultProxy three = proxy(FaultProxy.builder().seed(100));
		FaultSpec spec = Faults.latency(java.time.Duration.ofMillis(1)).probability(0.5).build();
		long seed = one.inject("slow", spec).seed();
		assertThat(two.inject("slow", spec).seed()).isEqualTo(seed);
		assertThat(two.inject("slower", spec).seed()).isNotEqualTo(seed);
		assertThat(three.inject("slow", spec).seed()).isNotEqualTo(seed);
	}

	@Test
	void theJournalSaysWhichConnectionWhoItIsAndWhatWasDone() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		try (Connection connection = connect(proxy, "ApplicationName", "billing")) {
			int pid = connection.unwrap(PGConnection.class).getBackendPID();
			Instant before = Instant.now();
			ActiveFault fault = proxy.inject("pay-fails", Faults.sqlError("(?i)^insert", "40P01").build());
			assertThatThrownBy(() -> connection.createStatement()
				.execute("INSERT   INTO payments\n VALUES (1, 2)")).isInstanceOf(SQLException.class);
			List<JournalEntry> journal = proxy.journal();
			assertThat(journal).hasSize(1);
			JournalEntry entry = journal.get(0);
			assertThat(entry.sequence()).isEqualTo(1);
			assertThat(entry.faultId()).isEqualTo("pay-fails");
			assertThat(entry.fired()).isEqualTo(1);
			assertThat(entry.seed()).isEqualTo(fault.seed());
			assertThat(entry.time()).isBetween(before.minusMillis(1000), Instant.now().plusMillis(1000));
			assertThat(entry.statement()).isEqualTo("INSERT INTO payments VALUES (1, 2)");
			assertThat(entry.action()).isEqualTo("40P01 instead of the statement");
			assertThat(entry.connection().backendPid()).isEqualTo(pid);
			assertThat(entry.connection().applicationName()).isEqualTo("billing");
			assertThat(entry.connection().user()).isEqualTo(this.database.credentials().getProperty("user"));
			assertThat(entry.connection().database()).isNotBlank();
			assertThat(entry.connection().client()).startsWith("127.0.0.1:");
			assertThat(entry.connection().number()).isEqualTo(1);
			assertThat(entry.toString()).contains("pay-fails", "pid " + pid, "'billing'",
					"40P01 instead of the statement `INSERT INTO payments VALUES (1, 2)`");
			assertThat(entry.toMap()).containsKeys("sequence", "time", "fault", "type", "seed", "fired", "connection",
					"statement", "action");
		}
	}

	@Test
	void theJournalKeepsItsLastEntriesAndCanBeReadByFaultAndFromAnEntryOn() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder().journalSize(10));
		try (Connection connection = connect(proxy); Statement statement = connection.createStatement()) {
			proxy.inject("a", Faults.sqlLatency("^select 1", java.time.Duration.ZERO).build());
			proxy.inject("b", Faults.sqlLatency("^select 2", java.time.Duration.ZERO).build());
			for (int i = 0; i < 15; i++) {
				statement.execute("select 1");
			}
			long mark = proxy.nextJournalSequence();
			assertThat(mark).isEqualTo(16);
			statement.execute("select 2");
			statement.execute("select 1");
			List<JournalEntry> journal = proxy.journal();
			assertThat(journal).hasSize(10);
			assertThat(journal.get(0).sequence()).isEqualTo(8);
			assertThat(journal.get(9).sequence()).isEqualTo(17);
			assertThat(proxy.journal("b", 0, null)).singleElement()
				.satisfies((entry) -> assertThat(entry.sequence()).isEqualTo(16));
			assertThat(proxy.journal(null, mark - 1, null)).extracting(JournalEntry::faultId).containsExactly("b", "a");
			assertThat(proxy.journal(null, 0, Instant.now().plusSeconds(60))).isEmpty();
		}
		FaultProxy silent = proxy(FaultProxy.builder().journalSize(0));
		try (Connection connection = connect(silent); Statement statement = connection.createStatement()) {
			ActiveFault fault = silent.inject(Faults.sqlLatency("^select", java.time.Duration.ZERO).build());
			statement.execute("select 1");
			assertThat(fault.fired()).isEqualTo(1);
			assertThat(silent.journal()).isEmpty();
		}
	}

	@Test
	void onConnectionOfHitsTheHeldConnectionWhileTheRestOfThePoolCarriesOn() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(this.database.jdbcUrl("127.0.0.1", proxy.listenAddress().getPort()));
		config.setDataSourceProperties(this.database.credentials());
		config.setMinimumIdle(4);
		config.setMaximumPoolSize(4);
		try (HikariDataSource pool = new HikariDataSource(config); Connection held = pool.getConnection()) {
			ActiveFault fault = proxy.inject(Faults.sqlError(".", "40001").onConnectionOf(held).build());
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> held.createStatement().execute("select 1"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
			List<Connection> others = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				Connection other = pool.getConnection();
				others.add(other);
				try (Statement statement = other.createStatement()) {
					statement.execute("select 1");
				}
			}
			for (Connection other : others) {
				other.close();
			}
			assertThat(fault.fired()).isEqualTo(1);
			assertThat(proxy.journal()).singleElement()
				.satisfies((entry) -> assertThat(entry.connection().backendPid())
					.isEqualTo(held.unwrap(PGConnection.class).getBackendPID()));
			fault.close();
			// an action aimed at the held connection resets it alone
			ActiveFault reset = proxy.inject(Faults.reset().onConnectionOf(held).build());
			assertThat(reset.fired()).isEqualTo(1);
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> held.createStatement().execute("select 1"));
			try (Connection other = pool.getConnection(); Statement statement = other.createStatement()) {
				statement.execute("select 1");
			}
		}
	}

	@Test
	void statementIndexFailsExactlyTheNthStatementOfEachTransaction() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		try (Connection connection = connect(proxy)) {
			proxy.inject(Faults.sqlError(".", "40001").statementIndex(3).build());
			connection.setAutoCommit(false);
			for (int transaction = 0; transaction < 2; transaction++) {
				List<Integer> failed = new ArrayList<>();
				try (Statement statement = connection.createStatement()) {
					for (int n = 1; n <= 5; n++) {
						try {
							statement.execute("INSERT INTO payments VALUES (1, " + n + ")");
						}
						catch (SQLException ex) {
							failed.add(n);
							break;
						}
					}
				}
				assertThat(failed).containsExactly(3);
				connection.rollback();
			}
			connection.setAutoCommit(true);
			// outside a transaction every statement is the first of its own
			try (Statement statement = connection.createStatement()) {
				for (int n = 1; n <= 3; n++) {
					statement.execute("INSERT INTO payments VALUES (2, " + n + ")");
				}
			}
		}
	}

	@Test
	void inTransactionSparesAutocommitStatements() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		try (Connection connection = connect(proxy)) {
			proxy.inject(Faults.sqlError("(?i)^insert", "40001").inTransaction(true).build());
			connection.createStatement().execute("INSERT INTO payments VALUES (1, 1)");
			connection.setAutoCommit(false);
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> connection.createStatement().execute("INSERT INTO payments VALUES (1, 2)"));
			connection.rollback();
			connection.setAutoCommit(true);
			connection.createStatement().execute("INSERT INTO payments VALUES (1, 3)");
			// a transaction opened and ended in one query leaves the next statement outside
			connection.createStatement().execute("BEGIN; INSERT INTO payments VALUES (1, 4); COMMIT");
			connection.createStatement().execute("INSERT INTO payments VALUES (1, 5)");
		}
		// the whole query starting with BEGIN counts as its BEGIN; the statement after it is outside again
		assertThat(rows()).containsExactly(1, 3, 4, 5);
	}

	@Test
	void dropOnTheSecondStatementOfATransferLosesTheWholeTransfer() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		try (Connection connection = connect(proxy)) {
			ActiveFault drop = proxy.inject(Faults.dropOn("(?i)^insert").statementIndex(2).build());
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("INSERT INTO payments VALUES (1, 1)");
				assertThatExceptionOfType(SQLException.class)
					.isThrownBy(() -> statement.execute("INSERT INTO payments VALUES (1, 2)"));
			}
			assertThat(drop.fired()).isEqualTo(1);
		}
		assertThat(rows()).isEmpty();
	}

	@Test
	void applicationNameSparesASecondDataSourceOnTheSameDatabase() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		try (HikariDataSource billing = pool(proxy, "billing"); HikariDataSource reports = pool(proxy, "reports")) {
			proxy.inject(Faults.sqlError(".", "40001").applicationName("^billing$").build());
			for (int i = 0; i < 5; i++) {
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> query(billing))
					.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
				query(reports);
			}
			assertThat(proxy.journal()).isNotEmpty()
				.allSatisfy((entry) -> assertThat(entry.connection().applicationName()).isEqualTo("billing"));
		}
	}

	private HikariDataSource pool(FaultProxy proxy, String applicationName) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(this.database.jdbcUrl("127.0.0.1", proxy.listenAddress().getPort()));
		Properties properties = this.database.credentials();
		properties.setProperty("ApplicationName", applicationName);
		properties.setProperty("socketTimeout", "10");
		config.setDataSourceProperties(properties);
		config.setMaximumPoolSize(3);
		config.setMinimumIdle(3);
		return new HikariDataSource(config);
	}

	private static void query(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("select 1");
		}
	}

	@Test
	void aConnectionTargetedTimeoutMeetsNewConnectionsOnceTheyHaveLoggedIn() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		proxy.inject(Faults.timeout(java.time.Duration.ZERO).applicationName("^stuck$").build());
		try (Connection free = connect(proxy, "ApplicationName", "free")) {
			free.createStatement().execute("select 1");
		}
		// the driver sets application_name once logged in, and the server reports it: from there on,
		// nothing passes, so the driver's own setup times out
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> {
			try (Connection stuck = connect(proxy, "ApplicationName", "stuck", "socketTimeout", "1")) {
				stuck.createStatement().execute("select 1");
			}
		}).satisfies((ex) -> assertThat((Throwable) ex).hasRootCauseInstanceOf(java.net.SocketTimeoutException.class));
		assertThat(proxy.journal()).singleElement()
			.satisfies((entry) -> assertThat(entry.connection().applicationName()).isEqualTo("stuck"));
	}

	@Test
	void badTargetsAreRefusedNamingTheParameter() {
		FaultProxy tcp = FaultProxy.builder().name("tcp").upstream("127.0.0.1", 9).start();
		this.proxies.add(tcp);
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> tcp.inject(Faults.reset().applicationName("x").build()))
			.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo("applicationName"))
			.withMessageContaining("needs a proxy that speaks PostgreSQL");
		Map<String, Map<String, Object>> bad = Map.of("refuse", Map.of("user", "x"), "latency",
				Map.of("latency", "1ms", "statementIndex", 1), "sql-error", Map.of("match", "x", "statementIndex", 0),
				"reset", Map.of("backendPid", -1), "terminate", Map.of("backendPid", "abc"), "drop-on",
				Map.of("match", "x", "inTransaction", "maybe"), "close", Map.of("database", "("), "slicer",
				Map.of("averageSize", "1B", "seed", FaultOptions.MAX_SEED + 1));
		List<String> named = new ArrayList<>();
		bad.forEach((type, parameters) -> assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> FaultSpec.parse(type, parameters))
			.satisfies((ex) -> {
				assertThat(parameters).containsKey(ex.getParameter());
				named.add(ex.getParameter());
			}));
		assertThat(named).hasSize(bad.size());
		assertThat(FaultSpec.parse("sql-error", Map.of("match", "x", "inTransaction", true)).toMap())
			.containsEntry("inTransaction", "true");
	}

	@Test
	void theSameTargetedFaultSentAgainUnderItsIdRenewsIt() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		FaultSpec spec = FaultSpec.parse("latency", Map.of("latency", "1ms", "applicationName", "^billing$"));
		ActiveFault first = proxy.inject("slow-billing", spec);
		ActiveFault again = proxy.inject("slow-billing",
				FaultSpec.parse("latency", Map.of("latency", "1ms", "applicationName", "^billing$")));
		assertThat(again).isSameAs(first);
		assertThat(proxy.faults()).hasSize(1);
	}

	@Test
	void aTargetPatternThatBacktracksWithoutEndCountsAsNoMatchAndStallsNothing() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		// (a+)+$ against forty a's and a '!' takes about 2^40 steps unbounded
		ActiveFault fault = proxy.inject(Faults.sqlError(".", "40001").applicationName("(a+)+$").build());
		try (Connection hostile = connect(proxy, "ApplicationName", "a".repeat(40) + "!", "socketTimeout", "5");
				Connection other = connect(proxy, "socketTimeout", "5")) {
			hostile.createStatement().execute("select 1");
			other.createStatement().execute("select 1");
		}
		assertThat(fault.fired()).isZero();
	}

	@Test
	void theChunksOneDirectionOfAConnectionKeepsFiringOnJoinOneEntry() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		try (Connection connection = connect(proxy); Statement statement = connection.createStatement()) {
			ActiveFault fault = proxy.inject(Faults.latency(java.time.Duration.ZERO).build());
			for (int i = 0; i < 50; i++) {
				statement.execute("select 1");
			}
			List<JournalEntry> journal = proxy.journal();
			// an entry takes in its flow's firings for a second: fifty quick round trips make one or a few
			assertThat(journal.stream().mapToLong(JournalEntry::events).sum()).isEqualTo(fault.fired())
				.isGreaterThanOrEqualTo(50);
			assertThat(journal).hasSizeLessThan(25).allSatisfy((entry) -> {
				assertThat(entry.direction()).isEqualTo(dev.dbfault.core.fault.Direction.DOWNSTREAM);
				assertThat(entry.lastTime()).isAfterOrEqualTo(entry.time());
			});
			assertThat(journal.get(0).toString()).contains(" times)");
			assertThat(journal.get(0).toMap()).containsKeys("events", "lastTime");
		}
	}

	@Test
	void valuesFromClientsCannotStartALineOfTheirOwnInALogOrReport() {
		assertThat(JournalEntry.printable("billing\n2026-12-01 ERROR forged\u0000")).isEqualTo(
				"billing\\u000a2026-12-01 ERROR forged\\u0000");
		assertThat(new JournalEntry.Connection(1, "127.0.0.1:5", 7, "u\r", "d", "a\nb").toString()).doesNotContain("\n",
				"\r");
	}

	@Test
	void aBackendPidNoConnectionOfTheProxyHasIsRefusedNamingIt() throws Exception {
		FaultProxy proxy = proxy(FaultProxy.builder());
		try (Connection elsewhere = this.database.connect()) {
			assertThatExceptionOfType(FaultParameterException.class)
				.isThrownBy(() -> proxy.inject(Faults.reset().onConnectionOf(elsewhere).build()))
				.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo("backendPid"))
				.withMessageContaining("serves no connection of proxy 'replay'");
		}
	}

	private List<Integer> rows() throws SQLException {
		List<Integer> rows = new ArrayList<>();
		try (Connection direct = this.database.connect(); Statement statement = direct.createStatement();
				ResultSet rs = statement.executeQuery("select n from payments order by n")) {
			while (rs.next()) {
				rows.add(rs.getInt(1));
			}
		}
		return Collections.unmodifiableList(rows);
	}

}
