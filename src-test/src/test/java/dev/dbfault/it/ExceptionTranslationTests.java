package dev.dbfault.it;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.it.support.ResilienceTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What the application sees for each fault, as Spring translates it: the exception type and
 * the SQLSTATE underneath. The table printed at the end is the one in the README.
 */
class ExceptionTranslationTests extends ResilienceTestSupport {

	private static final Map<String, String> table = new TreeMap<>();

	static Stream<Arguments> faults() {
		return Stream.of(
				row("reset", "08006", DataAccessResourceFailureException.class, (proxy) -> proxy.resetConnections()),
				row("close", "08006", DataAccessResourceFailureException.class, (proxy) -> proxy.closeConnections()),
				row("blackhole (socketTimeout 3s)", "08006", DataAccessResourceFailureException.class,
						(proxy) -> proxy.blackhole()),
				row("timeout 1s", "08006", DataAccessResourceFailureException.class,
						(proxy) -> proxy.timeout(Duration.ofSeconds(1))),
				row("terminate", "57P01", DataAccessResourceFailureException.class, (proxy) -> proxy.terminate()),
				row("down, pool empty (connectionTimeout 2s)", "08001", CannotGetJdbcConnectionException.class,
						(proxy) -> proxy.down()),
				// the pool's timeout carries the SQLSTATE of its last failed attempt: the login's
				row("login-error 53300, pool empty", "53300", CannotGetJdbcConnectionException.class,
						(proxy) -> proxy.inject(Faults.loginError().sqlState("53300"))),
				// the pool's timeout carries the SQLSTATE of its last failed attempt, if any: none here
				row("stall-connect, pool empty", null, CannotGetJdbcConnectionException.class, (proxy) -> {
					proxy.stallConnect();
					proxy.resetConnections();
				}),
				row("sql-error 40001", "40001", CannotAcquireLockException.class,
						(proxy) -> proxy.sqlError("select balance", "40001")),
				row("sql-error 40P01", "40P01", PessimisticLockingFailureException.class,
						(proxy) -> proxy.sqlError("select balance", "40P01")),
				row("sql-error 55P03", "55P03", UncategorizedSQLException.class,
						(proxy) -> proxy.sqlError("select balance", "55P03")),
				row("sql-error 23505", "23505", DuplicateKeyException.class,
						(proxy) -> proxy.sqlError("select balance", "23505")),
				row("sql-error 23503", "23503", DataIntegrityViolationException.class,
						(proxy) -> proxy.sqlError("select balance", "23503")),
				row("sql-error 42P01", "42P01", BadSqlGrammarException.class,
						(proxy) -> proxy.sqlError("select balance", "42P01")),
				row("sql-error 57014", "57014", QueryTimeoutException.class,
						(proxy) -> proxy.sqlError("select balance", "57014")),
				row("sql-error 53300", "53300", DataAccessResourceFailureException.class,
						(proxy) -> proxy.sqlError("select balance", "53300")),
				row("sql-latency 5s, queryTimeout 1s", "57014", QueryTimeoutException.class,
						(proxy) -> proxy.sqlLatency("select balance", Duration.ofSeconds(5))),
				row("drop-after-rows 0", "08006", DataAccessResourceFailureException.class,
						(proxy) -> proxy.inject(Faults.dropAfterRows(0).match("select balance"))),
				// 25006 is in none of Spring's lists of SQLSTATEs: HikariCP keeps the connection too
				row("read-only, on a write", "25006", UncategorizedSQLException.class,
						(proxy) -> proxy.inject(Faults.readOnly())));
	}

	private static Arguments row(String fault, String sqlState, Class<? extends Exception> expected,
			Consumer<FaultProxy> inject) {
		return Arguments.of(fault, sqlState, expected, inject);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("faults")
	void theApplicationSeesATranslatedExceptionForEachFault(String fault, String sqlState,
			Class<? extends Exception> expected, Consumer<FaultProxy> inject) {
		this.jdbc.queryForObject("select 1", Integer.class);
		if (fault.contains("pool empty")) {
			// the pool must open none: one it finished opening after the fault would sit in it dead
			this.dbFault.awaitIdlePool(Duration.ofSeconds(15));
		}
		inject.accept(this.dbFault.proxy());
		if (fault.contains("pool empty")) {
			// evicted only now: a connection the pool opened before the fault would stay idle in it
			emptyThePool();
		}
		JdbcTemplate template = new JdbcTemplate(this.pool);
		template.setQueryTimeout(1);
		Throwable failure = catchThrowable(() -> {
			if (fault.contains("on a write")) {
				template.update("update accounts set balance = balance where id = 1");
			}
			else {
				template.queryForObject("select balance from accounts where id = 1", Long.class);
			}
		});
		assertThat(failure).as(fault).isInstanceOf(expected);
		if (sqlState != null) {
			assertThat(sqlState(failure)).as(fault + " SQLSTATE").isEqualTo(sqlState);
		}
		table.put(fault, "| " + fault + " | " + ((sqlState != null) ? sqlState : "–") + " | `"
				+ failure.getClass().getSimpleName() + "` |");
	}

	@AfterAll
	static void printTable() {
		System.out.println("| fault | SQLSTATE | Spring exception |");
		System.out.println("|---|---|---|");
		table.values().forEach(System.out::println);
	}

}
