package dev.dbfault.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.FaultSocketFactory;
import dev.dbfault.core.Protocol;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.test.DbFaultExplore;
import dev.dbfault.test.ExploreFault;
import dev.dbfault.testdb.Docs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @DbFaultExplore} run as a build runs it: the explored classes are launched here,
 * and what each of their runs did is checked. On the in-process transport
 * ({@code dbfault.transport=socket}) the statements' call sites are known.
 */
class ExplorationTests {

	private static final boolean IN_PROCESS = "socket".equals(System.getProperty("dbfault.transport"));

	@Test
	void aRetriedTransferChargesTwiceWhenTheCommitsAnswerIsLost() throws IOException {
		List<Run> runs = launch("dev.dbfault.it.app.readme.RetriedTransferTests");
		assertThat(runs).hasSizeGreaterThanOrEqualTo(4);
		assertThat(runs.get(0).name()).isEqualTo("no fault: records the statements");
		assertThat(runs.get(0).status()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
		List<Run> failed = runs.stream().filter((run) -> run.status() == TestExecutionResult.Status.FAILED).toList();
		// the retry runs the transfer again after a COMMIT that took effect: the money moves twice
		assertThat(failed).singleElement().satisfies((run) -> {
			assertThat(run.name()).matches("#\\d+ COMMIT ← drop-after");
			assertThat(run.failure().getMessage()).contains("met drop-after (seed ")
				.contains("dbFault.proxy(\"dataSource\").inject(Faults.dropOn(\"^\\\\s*COMMIT\\\\s*$\").when(\"after\")")
				.contains("[80, 20]");
			// the guide shows this failure as it is (on the relay: in process the statement's line is named too)
			String guide = Files.readString(Docs.file("docs/guides/exploring-failures.md"));
			assertThat(guide).contains(run.failure().getMessage().lines()
				.filter((line) -> line.startsWith("Statement #") || line.contains(".inject("))
				.map((line) -> line.replaceAll("\\s+$", "").replaceAll(" from RetriedTransferTests\\.transfer:\\d+", ""))
				.toList());
			// the failing-test report of @AutoConfigureDbFault points to the whole exploration
			assertThat(run.failure().getSuppressed()).anySatisfy((report) -> assertThat(report.getMessage())
				.contains("every run of the exploration: ")
				.contains("RetriedTransferTests.aTransferMovesTheMoneyOnce.md"));
		});
		// the faults the retry handles
		assertThat(runs).filteredOn((run) -> run.status() == TestExecutionResult.Status.SUCCESSFUL)
			.extracting(Run::name)
			.contains(failed.get(0).name().replace("drop-after", "drop-before"),
					failed.get(0).name().replace("drop-after", "sql-error"))
			.anyMatch((name) -> name.matches("#\\d+ update account set balance = balance - … ← sql-error"))
			.anyMatch((name) -> name.matches("#\\d+ update account set balance = balance \\+ … ← drop-after"));
		String report = Files.readString(Path.of("target/dbfault-explore/dev.dbfault.it.app.readme.RetriedTransferTests.aTransferMovesTheMoneyOnce.md"));
		assertThat(report).contains("| `COMMIT` |").contains("**failed**").contains("skipped: skip pattern");
		if (IN_PROCESS) {
			assertThat(report).contains("| call site |").contains("RetriedTransferTests.transfer:");
		}
		else {
			assertThat(report).doesNotContain("call site");
		}
	}

	@Test
	void anIdempotentTransferPassesEveryRun() {
		List<Run> runs = launch("dev.dbfault.it.app.readme.IdempotentTransferTests");
		// 7 statements: BEGIN and the assertion's read not explored; the check (a read) meets two kinds,
		// the insert, both updates and COMMIT all three
		assertThat(runs).hasSize(15);
		assertThat(runs).extracting(Run::name).filteredOn((name) -> name.endsWith("← drop-after")).hasSize(4);
		assertThat(runs).allSatisfy((run) -> assertThat(run.status()).as(run.name() + " " + run.failure())
			.isEqualTo(TestExecutionResult.Status.SUCCESSFUL));
		assertThat(runs).extracting(Run::name).anyMatch((name) -> name.matches("#\\d+ COMMIT ← drop-after"));
	}

	@Test
	void aPlainTestExploresItsFaultProxyField() throws IOException, SQLException {
		List<Run> runs = launch(PlainExploration.class.getName());
		assertThat(runs).extracting(Run::name).containsExactly("no fault: records the statements",
				"#2 insert into note values (1) ← sql-error", "#2 insert into note values (1) ← drop-after",
				"#3 select count(*) from note ← sql-error");
		assertThat(runs).extracting(Run::status).containsExactly(TestExecutionResult.Status.SUCCESSFUL,
				TestExecutionResult.Status.FAILED, TestExecutionResult.Status.FAILED, TestExecutionResult.Status.FAILED);
		assertThat(runs.get(1).failure()).hasMessageContaining(
				"proxy.inject(Faults.sqlError(\"^\\\\s*insert\\\\s+into\\\\s+note\\\\s+values\\\\s+\\\\(1\\\\)\\\\s*$\", \"40001\")")
			.hasMessageContaining("Statement #2 of 3 `insert into note values (1)`");
		// the line the failure gives, as a plain test would run it
		assertThat(runs.get(1).failure()).hasMessageContaining(
				"proxy.inject(Faults.sqlError(\"^\\\\s*insert\\\\s+into\\\\s+note\\\\s+values\\\\s+\\\\(1\\\\)\\\\s*$\", \"40001\").times(1).seed(5503944647074113L));");
		FaultProxy proxy = PlainDatabase.proxy();
		proxy.inject(Faults.sqlError("^\\s*insert\\s+into\\s+note\\s+values\\s+\\(1\\)\\s*$", "40001").times(1).seed(5503944647074113L));
		try (Connection connection = PlainDatabase.connect(false); Statement statement = connection.createStatement()) {
			assertThatThrownBy(() -> statement.execute("insert into note values (1)")).isInstanceOfSatisfying(
					SQLException.class, (ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
		}
		finally {
			proxy.heal();
		}
		String report = Files.readString(report(PlainExploration.class, "writeAndCount"));
		// the driver's own setting as it connects is not explored
		assertThat(report).contains("| 1 | `SET application_name = 'PostgreSQL JDBC Driver'` | skipped: session setting |")
			.contains("| 3 | `select count(*) from note` | **failed** | — |");
	}

	@Test
	void statementsOfTheSameShapeFromOneCallSiteAreExploredOnce() {
		List<Run> runs = launch(Repeated.class.getName());
		// in process, the driver runs on the test's thread: #3 repeats #2's shape and line, #4 and #5 come from lines of their own;
		// with everyOccurrence, each is explored
		assertThat(runs).extracting(Run::name).containsExactly("no fault: records the statements",
				"#2 insert into note values (1) ← sql-error", "#4 insert into note values (1) ← sql-error",
				"#5 insert into note values (2) ← sql-error",
				// through the relay the line is unknown: one shape, explored once
				"no fault: records the statements", "#2 insert into note values (1) ← sql-error", "#3 insert into note values (2) ← sql-error",
				"#4 insert into note values (1) ← sql-error", "#5 insert into note values (2) ← sql-error",
				"no fault: records the statements", "#2 insert into note values (1) ← sql-error");
		// each run's fault met the very statement its name gives, and only that one
		assertThat(runs).extracting(Run::status).containsOnly(TestExecutionResult.Status.SUCCESSFUL,
				TestExecutionResult.Status.FAILED);
		assertThat(runs).extracting((run) -> (run.failure() != null)
				? run.failure().getMessage().lines().filter((line) -> line.contains("failed: ")).findFirst()
					.map((line) -> line.substring(line.lastIndexOf("failed: "))).orElse("?")
				: "passed")
			.containsExactly("passed", "failed: the loop's 1", "failed: the third", "failed: the fourth",
					"passed", "failed: the loop's 1", "failed: the loop's 2", "failed: the third", "failed: the fourth",
					"passed", "failed: the loop's 1");
	}

	@Test
	void maxVariantsBoundsTheRuns() throws IOException {
		List<Run> runs = launch(Bounded.class.getName());
		assertThat(runs).extracting(Run::name).containsExactly("no fault: records the statements",
				"#2 insert into note values (1) ← sql-error");
		assertThat(Files.readString(report(Bounded.class, "twoStatements")))
			.contains("| 3 | `select count(*) from note` | skipped: beyond maxVariants |");
	}

	@Test
	void aTestWithNoProxyIsToldWhereProxiesComeFrom() {
		List<Run> runs = launch(NoProxy.class.getName());
		assertThat(runs).singleElement().satisfies((run) -> {
			assertThat(run.status()).isEqualTo(TestExecutionResult.Status.FAILED);
			assertThat(run.failure()).hasMessageContaining("finds no proxy")
				.hasMessageContaining("@SpringBootTest with @AutoConfigureDbFault")
				.hasMessageContaining("FaultProxy field");
		});
	}

	@Test
	void aTestThatFailsWithNoFaultIsNotExplored() throws IOException {
		List<Run> runs = launch(FailsAlone.class.getName());
		assertThat(runs).singleElement().satisfies((run) -> {
			assertThat(run.name()).isEqualTo("no fault: records the statements");
			assertThat(run.status()).isEqualTo(TestExecutionResult.Status.FAILED);
		});
		assertThat(Files.readString(report(FailsAlone.class, "fails")))
			.contains("The test failed with no fault");
	}

	@Test
	void badSettingsNameTheAttribute() {
		List<Run> runs = launchContainers(BadSettings.class.getName());
		assertThat(runs).extracting((run) -> run.failure().getMessage())
			.anySatisfy((message) -> assertThat(message).contains("@DbFaultExplore(maxVariants = 0)")
				.contains("maxVariants must be at least 1"))
			.anySatisfy((message) -> assertThat(message).contains("@DbFaultExplore(sqlState = \"4000\")")
				.contains("sqlState"))
			.anySatisfy((message) -> assertThat(message).contains("@DbFaultExplore(skip = \"(\")")
				.contains("is not a regular expression"));
	}

	@Test
	void aStatementThatDoesNotRunAgainIsReportedNotReached() {
		List<Run> runs = launch(Changing.class.getName());
		assertThat(runs).extracting(Run::name, Run::status).containsExactly(
				org.assertj.core.groups.Tuple.tuple("no fault: records the statements", TestExecutionResult.Status.SUCCESSFUL),
				org.assertj.core.groups.Tuple.tuple("#2 select 1 ← sql-error", TestExecutionResult.Status.ABORTED));
	}

	record Run(String name, TestExecutionResult.Status status, Throwable failure) {
	}

	private static Path report(Class<?> explored, String method) {
		return Path.of("target/dbfault-explore/" + explored.getName() + "." + method + ".md");
	}

	static List<Run> launch(String className) {
		return launch(className, true);
	}

	static List<Run> launchContainers(String className) {
		return launch(className, false).stream().filter((run) -> run.failure() != null).toList();
	}

	private static List<Run> launch(String className, boolean tests) {
		List<Run> runs = new ArrayList<>();
		LauncherFactory.create().execute(
				LauncherDiscoveryRequestBuilder.request().selectors(DiscoverySelectors.selectClass(className)).build(),
				new TestExecutionListener() {

					@Override
					public void executionFinished(TestIdentifier test, TestExecutionResult result) {
						if (test.isTest() == tests) {
							runs.add(new Run(test.getDisplayName(), result.getStatus(), result.getThrowable().orElse(null)));
						}
					}

				});
		return runs;
	}

	@AfterAll
	static void stopPlainDatabase() throws IOException {
		PlainDatabase.stop();
	}

	/**
	 * A PostgreSQL and a proxy in front of it for the plain explored classes, with the core
	 * alone: started by the first, stopped after the last.
	 */
	static final class PlainDatabase {

		private static EmbeddedPostgres postgres;

		private static FaultProxy proxy;

		static synchronized FaultProxy proxy() throws IOException {
			if (proxy == null) {
				postgres = EmbeddedPostgres.start();
				proxy = FaultProxy.builder().name("plain").upstream("127.0.0.1", postgres.getPort())
					.protocol(Protocol.POSTGRESQL).start();
			}
			return proxy;
		}

		static synchronized Connection connect(boolean inProcess) throws SQLException, IOException {
			FaultProxy proxy = proxy();
			String url = inProcess
					? "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?" + FaultSocketFactory.urlParameters(proxy)
					: "jdbc:postgresql://127.0.0.1:" + proxy.listenAddress().getPort() + "/postgres";
			return DriverManager.getConnection(url, "postgres", "postgres");
		}

		static synchronized void stop() throws IOException {
			if (proxy != null) {
				proxy.close();
				postgres.close();
				proxy = null;
			}
		}

	}

	/**
	 * The explored classes with the core alone: the proxy in a field, plain JDBC.
	 */
	abstract static class PlainBase {

		FaultProxy proxy;

		@BeforeEach
		void table() throws SQLException, IOException {
			this.proxy = PlainDatabase.proxy();
			try (Connection connection = PlainDatabase.connect(false); Statement statement = connection.createStatement()) {
				statement.execute("create table if not exists note (id int)");
				statement.execute("delete from note");
			}
		}

	}

	static class PlainExploration extends PlainBase {

		@DbFaultExplore(faults = { ExploreFault.SQL_ERROR, ExploreFault.DROP_AFTER })
		void writeAndCount() throws SQLException, IOException {
			try (Connection connection = PlainDatabase.connect(false); Statement statement = connection.createStatement()) {
				statement.execute("insert into note values (1)");
				try (var rows = statement.executeQuery("select count(*) from note")) {
					rows.next();
					assertThat(rows.getInt(1)).isEqualTo(1);
				}
			}
		}

	}

	@TestMethodOrder(MethodOrderer.MethodName.class)
	static class Repeated extends PlainBase {

		/** Runs a statement, and says which one failed; the statement's line is the lambda's. */
		static void execute(Jdbc statement, String which) {
			try {
				statement.run();
			}
			catch (SQLException ex) {
				throw new AssertionError("failed: " + which, ex);
			}
		}

		interface Jdbc {

			void run() throws SQLException;

		}

		@DbFaultExplore(faults = ExploreFault.SQL_ERROR)
		void writeMany() throws SQLException, IOException {
			try (Connection connection = PlainDatabase.connect(true); Statement statement = connection.createStatement()) {
				for (int i = 1; i <= 2; i++) {
					int row = i;
					execute(() -> statement.execute("insert into note values (" + row + ")"), "the loop's " + i);
				}
				execute(() -> statement.execute("insert into note values (1)"), "the third");
				execute(() -> statement.execute("insert into note values (2)"), "the fourth");
			}
		}

		@DbFaultExplore(faults = ExploreFault.SQL_ERROR, everyOccurrence = true)
		void writeManyEveryTime() throws SQLException, IOException {
			writeMany();
		}

		@DbFaultExplore(faults = ExploreFault.SQL_ERROR)
		void writeManyThroughTheRelay() throws SQLException, IOException {
			try (Connection connection = PlainDatabase.connect(false); Statement statement = connection.createStatement()) {
				for (int i = 1; i <= 2; i++) {
					int row = i;
					execute(() -> statement.execute("insert into note values (" + row + ")"), "the loop's " + i);
				}
				execute(() -> statement.execute("insert into note values (1)"), "the third");
			}
		}

	}

	static class Bounded extends PlainBase {

		@DbFaultExplore(faults = ExploreFault.SQL_ERROR, maxVariants = 1)
		void twoStatements() throws SQLException, IOException {
			try (Connection connection = PlainDatabase.connect(false); Statement statement = connection.createStatement()) {
				statement.execute("insert into note values (1)");
				statement.execute("select count(*) from note");
			}
		}

	}

	static class NoProxy {

		@DbFaultExplore
		void nothing() {
		}

	}

	static class FailsAlone extends PlainBase {

		@DbFaultExplore
		void fails() throws SQLException, IOException {
			try (Connection connection = PlainDatabase.connect(false); Statement statement = connection.createStatement()) {
				statement.execute("select 1");
			}
			assertThat(1).isEqualTo(2);
		}

	}

	static class Changing extends PlainBase {

		static int runs;

		@DbFaultExplore(faults = ExploreFault.SQL_ERROR)
		void firstRunOnly() throws SQLException, IOException {
			if (runs++ == 0) {
				try (Connection connection = PlainDatabase.connect(false); Statement statement = connection.createStatement()) {
					statement.execute("select 1");
				}
			}
		}

	}

	static class BadSettings extends PlainBase {

		@DbFaultExplore(maxVariants = 0)
		void noRuns() {
		}

		@DbFaultExplore(sqlState = "4000")
		void badState() {
		}

		@DbFaultExplore(skip = "(")
		void badSkip() {
		}

	}

}
