package dev.dbfault.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.Protocol;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.fault.JournalEntry;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pattern a {@link DbFaultExplore} run aims its fault with finds the statement the run
 * with no fault recorded, whatever its SQL: generated statements, with every character a
 * regular expression treats specially, any whitespace and any length, go through a real
 * proxy; each one's journal excerpt becomes a pattern, and a fault with that pattern fires on
 * that statement and not on one that differs from it by a character.
 */
class ExploredStatementTests {

	private static final TestDatabase database = TestDatabase.get();

	private static FaultProxy proxy;

	private static Connection connection;

	/** What the generated comments are made of: regular expression syntax, quotes, letters, whitespace. */
	private static final String ALPHABET = "\\.[]{}()*+?^$|-,;:=<>!@#%&'\"`~_aZ09 \t\n\réü€";

	@BeforeAll
	static void connect() throws SQLException {
		proxy = FaultProxy.builder().name("explored").upstream(database.host(), database.port())
			.protocol(Protocol.POSTGRESQL).start();
		connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.listenAddress().getPort() + "/"
				+ database.database(), database.username(), database.password());
	}

	@AfterAll
	static void close() throws SQLException {
		connection.close();
		proxy.close();
	}

	@Test
	void theRecordedExcerptAimsAFaultAtItsStatementOnly() throws SQLException {
		Random random = new Random(20261207);
		for (int i = 0; i < 150; i++) {
			String sql = "select " + i + " /* " + comment(random, random.nextInt(400)) + " */";
			ExploredStatement statement = record(sql);
			String pattern = statement.pattern();
			String other = sql.replace("select " + i + " ", "select " + (i + 1000) + " ");
			// a statement that differs only after its excerpt's end is the same to a cut excerpt
			String longer = sql + " + 1";
			proxy.inject("aimed", Faults.sqlError(pattern, "40001").build());
			try (Statement jdbc = connection.createStatement()) {
				jdbc.execute(other);   // not this one
				if (!statement.sql().endsWith("…")) {
					jdbc.execute(longer);   // nor this one
				}
				assertThatThrownBy(() -> jdbc.execute(sql)).as("pattern %s for %s", pattern, sql)
					.isInstanceOfSatisfying(SQLException.class, (ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
			}
			finally {
				proxy.remove("aimed");
			}
		}
	}

	@Test
	void writesAreTheStatementsWhoseAnswerCanBeLostAfterTheyTookEffect() {
		assertThat(List.of("insert into t values (1)", "UPDATE t SET a = 1", "delete from t", "COMMIT", "end",
				"/* OrderRepository.save */ insert into t values (1)",
				"merge into t using s on true when matched then do nothing", "truncate t",
				"with x as (delete from t returning *) select * from x"))
			.allSatisfy((sql) -> assertThat(statement(sql).writes()).as(sql).isTrue());
		assertThat(List.of("select 1", "select * from t for update", "with x as (select 1) select * from x", "BEGIN",
				"SHOW search_path", "select 'insert'"))
			.allSatisfy((sql) -> assertThat(statement(sql).writes()).as(sql).isFalse());
	}

	@Test
	void transactionControlAndSessionSettingsAreNotExplored() {
		assertThat(statement("BEGIN").notExplored()).isEqualTo("transaction control");
		assertThat(statement("start transaction isolation level serializable").notExplored()).isEqualTo("transaction control");
		assertThat(statement("ROLLBACK TO SAVEPOINT a").notExplored()).isEqualTo("transaction control");
		assertThat(statement("SET application_name = 'x'").notExplored()).isEqualTo("session setting");
		assertThat(statement("/* unit of work */ BEGIN").notExplored()).isEqualTo("transaction control");
		assertThat(statement("COMMIT").notExplored()).isNull();
		assertThat(statement("select 1").notExplored()).isNull();
	}

	@Test
	void theShapeSetsLiteralsAndParametersAside() {
		assertThat(statement("insert into t values (1, 'a''b')").shape())
			.isEqualTo(statement("INSERT INTO t VALUES (22, 'c')").shape())
			.isEqualTo(statement("insert into t values ($1, $2)").shape())
			.isNotEqualTo(statement("insert into u values (1, 'a')").shape());
	}

	@Test
	void aLongStatementIsNamedByItsStart() {
		ExploredStatement statement = statement("update accounts set balance = balance - $1 where id = $2");
		assertThat(new ExploreVariation(1, statement, ExploreFault.DROP_AFTER, "40001", 7).name())
			.isEqualTo("#1 update accounts set balance = balance - … ← drop-after");
		assertThat(new ExploreVariation(1, statement("COMMIT"), ExploreFault.SQL_ERROR, "40001", 7).name())
			.isEqualTo("#1 COMMIT ← sql-error");
	}

	private static ExploredStatement statement(String sql) {
		return new ExploredStatement(1, "p", sql, 0, null);
	}

	private static ExploredStatement record(String sql) throws SQLException {
		long mark = proxy.nextJournalSequence();
		proxy.inject(Exploration.RECORDER, Faults.sqlLatency("\\S", Duration.ZERO).build());
		try (Statement jdbc = connection.createStatement()) {
			jdbc.execute(sql);
		}
		finally {
			proxy.remove(Exploration.RECORDER);
		}
		List<JournalEntry> entries = proxy.journal(Exploration.RECORDER, mark - 1, null);
		assertThat(entries).hasSize(1);
		return statement(entries.get(0).statement());
	}

	private static String comment(Random random, int length) {
		StringBuilder text = new StringBuilder();
		while (text.length() < length) {
			char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
			// a comment may hold anything but its own end or a nested start
			if (c == '/' || c == '*') {
				continue;
			}
			text.append(c);
		}
		return text.toString();
	}

}
