package dev.dbfault.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.dbfault.core.fault.Faults;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement fault whose {@code match} would backtrack without end on some statement does not
 * stall the proxy: the statement counts as no match, runs normally, and the log says so once
 * for the fault, however many statements meet it.
 */
class StatementMatchBudgetTests {

	/** Held here: java.util.logging keeps loggers only weakly, and a collected one loses its handler. */
	private final Logger log = Logger.getLogger("dev.dbfault");

	private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
				StatementMatchBudgetTests.this.warnings.add(record);
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		this.log.addHandler(this.handler);
		TestDatabase database = TestDatabase.get();
		this.proxy = FaultProxy.builder()
			.name("budget")
			.upstream(database.host(), database.port())
			.protocol(Protocol.POSTGRESQL)
			.start();
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
		this.log.removeHandler(this.handler);
	}

	@Test
	void aMatchThatWouldBacktrackWithoutEndCountsAsNoMatchAndIsLoggedOnce() throws SQLException {
		this.proxy.inject(Faults.sqlError("(.*a){12}x", "40001"));
		TestDatabase database = TestDatabase.get();
		String url = database.jdbcUrl("127.0.0.1", this.proxy.listenAddress().getPort());
		try (Connection connection = DriverManager.getConnection(url, database.credentials());
				Statement statement = connection.createStatement()) {
			for (int i = 0; i < 3; i++) {
				try (ResultSet rs = statement.executeQuery("select '" + "a".repeat(40) + "'")) {
					assertThat(rs.next()).isTrue();
					assertThat(rs.getString(1)).hasSize(40);
				}
			}
		}
		assertThat(this.warnings).hasSize(1);
		assertThat(this.warnings.get(0).getMessage()).contains("budget", "took too long", "counted as no match",
				"said once");
	}

}
