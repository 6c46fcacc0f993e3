package dev.dbfault.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The throughput workloads, each measured on one relay for a fixed time.
 */
final class Workloads implements AutoCloseable {

	private static final Pattern TRANSACTIONS = Pattern.compile("number of transactions actually processed: (\\d+)");

	private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

	/** Rows of {@link #BULK_ROW_LENGTH} characters: about 300 MB of results. */
	static final int BULK_ROWS = 300_000;

	static final int BULK_ROW_LENGTH = 1000;

	private final Map<String, HikariDataSource> pools = new HashMap<>();

	private String url(Relay relay) {
		String parameters = relay.urlParameters();
		return "jdbc:postgresql://127.0.0.1:" + relay.port() + "/postgres?user=postgres"
				+ (parameters.isEmpty() ? "" : "&" + parameters);
	}

	private HikariDataSource pool(Relay relay, int size) {
		return this.pools.computeIfAbsent(relay.name() + "/" + size, (key) -> {
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(url(relay));
			config.setMaximumPoolSize(size);
			config.setMinimumIdle(size);
			config.setPoolName("bench-" + key);
			return new HikariDataSource(config);
		});
	}

	/**
	 * {@code SELECT 1} round trips through HikariCP, a connection borrowed for each, from
	 * several threads.
	 * @return operations per second
	 */
	double roundTrips(Relay relay, int threads, Duration duration) throws Exception {
		HikariDataSource pool = pool(relay, threads);
		AtomicLong operations = new AtomicLong();
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			long deadline = System.nanoTime() + duration.toNanos();
			long start = System.nanoTime();
			List<Future<?>> workers = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				workers.add(executor.submit(() -> {
					long count = 0;
					while (System.nanoTime() < deadline) {
						try (Connection connection = pool.getConnection();
								PreparedStatement statement = connection.prepareStatement("select 1");
								ResultSet rs = statement.executeQuery()) {
							rs.next();
						}
						count++;
					}
					operations.addAndGet(count);
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get();
			}
			return operations.get() / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			executor.shutdownNow();
		}
	}

	/**
	 * Reads about 300 MB of rows on one connection, with a fetch size.
	 * @return megabytes of row data per second
	 */
	double bulkRead(Relay relay, int rows) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url(relay))) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.setFetchSize(1000);
				long start = System.nanoTime();
				long bytes = 0;
				try (ResultSet rs = statement
					.executeQuery("select repeat('x', " + BULK_ROW_LENGTH + ") from generate_series(1, " + rows + ")")) {
					while (rs.next()) {
						bytes += rs.getString(1).length();
					}
				}
				double seconds = (System.nanoTime() - start) / 1e9;
				connection.commit();
				return bytes / 1e6 / seconds;
			}
		}
	}

	/**
	 * Opens and closes connections one after the other.
	 * @return connections per second
	 */
	double newConnections(Relay relay, Duration duration) throws SQLException {
		long deadline = System.nanoTime() + duration.toNanos();
		long start = System.nanoTime();
		long count = 0;
		while (System.nanoTime() < deadline) {
			try (Connection connection = DriverManager.getConnection(url(relay))) {
				connection.isValid(1);
			}
			count++;
		}
		return count / ((System.nanoTime() - start) / 1e9);
	}

	/**
	 * Runs {@code pgbench -S} (select-only) through the relay.
	 * @return transactions per second
	 */
	/**
	 * What one pgbench run measured.
	 *
	 * @param tps transactions per second, without the connection time
	 * @param transactions transactions done
	 */
	record Pgbench(double tps, long transactions) {

	}

	static Pgbench pgbench(Relay relay, int clients, Duration duration) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("pgbench", "-S", "-n", "-T", String.valueOf(duration.toSeconds()), "-c",
				String.valueOf(clients), "-j", String.valueOf(clients), "-h", "127.0.0.1", "-p",
				String.valueOf(relay.port()), "-U", "postgres", "postgres")
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("pgbench through " + relay.name() + " failed:\n" + output);
		}
		Matcher tps = TPS.matcher(output);
		Matcher transactions = TRANSACTIONS.matcher(output);
		if (!tps.find() || !transactions.find()) {
			throw new IllegalStateException("No tps or transaction count in pgbench's output:\n" + output);
		}
		return new Pgbench(Double.parseDouble(tps.group(1)), Long.parseLong(transactions.group(1)));
	}

	/**
	 * Creates pgbench's tables (scale 10), straight on the server.
	 */
	static void initializePgbench(int port) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("pgbench", "-i", "-q", "-s", "10", "-h", "127.0.0.1", "-p",
				String.valueOf(port), "-U", "postgres", "postgres")
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("pgbench -i failed:\n" + output);
		}
	}

	@Override
	public void close() {
		this.pools.values().forEach(HikariDataSource::close);
	}

}
