package dev.dbfault.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.Protocol;
import dev.dbfault.core.fault.Faults;

/**
 * What a statement fault's {@code match} costs every statement: the 99th percentile of a
 * write's latency through the embedded proxy with ten {@code sql-error} faults whose
 * patterns would backtrack without end in Java's engine, against ten plain ones, neither
 * matching (so every statement is looked at by all ten and runs).
 */
final class PatternProbe {

	private static final int STATEMENTS = 5_000;

	private PatternProbe() {
	}

	/**
	 * One set of faults and what the writes took.
	 *
	 * @param faults which patterns
	 * @param p50Micros the median write, in microseconds
	 * @param p99Micros the 99th percentile, in microseconds
	 */
	record Row(String faults, double p50Micros, double p99Micros) {

	}

	static List<Row> measure(int databasePort) throws Exception {
		Row plain = run("ten plain patterns (^insert into nowhere0 … 9)", databasePort, "^insert into nowhere");
		Row pathological = run("ten pathological patterns ((.*a){12}x0 … 9)", databasePort, "(.*a){12}x");
		return List.of(plain, pathological);
	}

	private static Row run(String name, int databasePort, String stem) throws SQLException {
		try (FaultProxy proxy = FaultProxy.builder()
			.name("patterns")
			.upstream("127.0.0.1", databasePort)
			.protocol(Protocol.POSTGRESQL)
			.start()) {
			for (int i = 0; i < 10; i++) {
				proxy.inject(Faults.sqlError(stem + i, "40001"));
			}
			String url = "jdbc:postgresql://127.0.0.1:" + proxy.listenAddress().getPort() + "/postgres?user=postgres";
			long[] nanos = new long[STATEMENTS];
			try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
				statement.execute("create temporary table pattern_probe (id int, note text)");
				try (PreparedStatement insert = connection
					.prepareStatement("insert into pattern_probe values (?, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')")) {
					for (int i = -500; i < STATEMENTS; i++) {
						insert.setInt(1, i);
						long start = System.nanoTime();
						insert.executeUpdate();
						if (i >= 0) {
							nanos[i] = System.nanoTime() - start;
						}
					}
				}
			}
			Arrays.sort(nanos);
			return new Row(name, nanos[STATEMENTS / 2] / 1e3, nanos[STATEMENTS * 99 / 100] / 1e3);
		}
	}

}
