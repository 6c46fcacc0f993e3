package dev.dbfault.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The core jar's peak resident memory under a workload of many statements and a few large
 * results, through the plain proxy and with a fault that cuts every chunk into 7-byte pieces
 * both ways (the slicer): what cutting costs in memory, as a ratio to the plain proxy.
 */
final class SlicerProbe {

	private SlicerProbe() {
	}

	/**
	 * One run's figures.
	 *
	 * @param path the proxy and its fault
	 * @param peakResidentBytes the core jar's peak resident set (VmHWM)
	 * @param checksum what the workload read, the same on every path
	 */
	record Row(String path, long peakResidentBytes, long checksum) {

	}

	static List<Row> measure(Path coreJar, int databasePort) throws Exception {
		List<Row> rows = new ArrayList<>();
		rows.add(run("dbfault standalone", coreJar, databasePort, List.of()));
		rows.add(run("dbfault standalone, slicer 7 bytes both ways", coreJar, databasePort,
				List.of("--fault", "slicer:averageSize=7B,direction=both")));
		return rows;
	}

	private static Row run(String name, Path coreJar, int databasePort, List<String> extra) throws Exception {
		try (Relay relay = Relay.dbfaultStandalone(coreJar, databasePort, extra)) {
			Properties credentials = new Properties();
			credentials.setProperty("user", "postgres");
			long checksum = workload("jdbc:postgresql://127.0.0.1:" + relay.port() + "/postgres", credentials);
			return new Row(name, peakResident(relay.process().pid()), checksum);
		}
	}

	/**
	 * Statements of every size, as a test suite sends them: many small ones, inserts in
	 * batches, results of a few rows and of thousands.
	 */
	private static long workload(String url, Properties credentials) throws SQLException {
		long checksum = 0;
		try (Connection connection = DriverManager.getConnection(url, credentials);
				Statement statement = connection.createStatement()) {
			statement.execute("drop table if exists slicer_probe");
			statement.execute("create table slicer_probe (id int primary key, payload text)");
			try (PreparedStatement insert = connection.prepareStatement("insert into slicer_probe values (?, ?)")) {
				for (int i = 0; i < 5_000; i++) {
					insert.setInt(1, i);
					insert.setString(2, "payload " + i + " " + "x".repeat(i % 200));
					insert.addBatch();
					if (i % 500 == 499) {
						insert.executeBatch();
					}
				}
			}
			for (int round = 0; round < 4; round++) {
				for (int i = 0; i < 1_000; i++) {
					try (ResultSet rs = statement.executeQuery("select payload from slicer_probe where id = " + (i * 5))) {
						while (rs.next()) {
							checksum += rs.getString(1).length();
						}
					}
				}
				try (ResultSet rs = statement.executeQuery("select id, payload from slicer_probe order by id")) {
					while (rs.next()) {
						checksum += rs.getInt(1) + rs.getString(2).length();
					}
				}
				try (ResultSet rs = statement.executeQuery("select repeat(md5(i::text), 30) from generate_series(1, 2000) i")) {
					while (rs.next()) {
						checksum += rs.getString(1).length();
					}
				}
			}
			statement.execute("drop table slicer_probe");
		}
		return checksum;
	}

	private static long peakResident(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
			}
		}
		return -1;
	}

}
