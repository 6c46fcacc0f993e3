package dev.dbfault.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;

import dev.dbfault.bench.Results.Workload;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Measures dbfault against a direct connection, socat, haproxy and NetCrusher, all in one
 * run and interleaved (each round runs every path in a shuffled order), so that the
 * machine's drift spreads over all of them alike. Writes a Markdown report whose last line
 * is {@code dbfault-vs-best-peer: X}.
 *
 * <pre>
 * java -cp ... dev.dbfault.bench.Benchmark --core-jar core/target/dbfault-core.jar [--output BENCHMARKS.md]
 *      [--rounds 7] [--seconds 2] [--command "bench/run.sh"]
 *      [--workloads rt1,rt8,bulk,connect,pgbench1,pgbench8] [--paths direct,"dbfault embedded",...]
 *      [--no-probes | --probes memory,accuracy,slicer,patterns]
 * </pre>
 *
 * <p>{@code --workloads} and {@code --paths} narrow a run to some workloads and paths, and
 * {@code --no-probes} leaves out the probes beside throughput ({@code --probes} runs some), to look at one of them
 * quickly; the published report is made without them.
 */
public final class Benchmark {

	static final Workload ROUND_TRIPS_1 = new Workload("JDBC round trips (`SELECT 1` through HikariCP), 1 thread",
			"JDBC round trips, 1 thread", "ops/s", "round trip", "dbfault embedded");

	static final Workload ROUND_TRIPS_8 = new Workload("JDBC round trips (`SELECT 1` through HikariCP), 8 threads",
			"JDBC round trips, 8 threads", "ops/s", "round trip", "dbfault embedded");

	static final Workload BULK = new Workload("Bulk read (300,000 rows of 1,000 characters, about 300 MB, one connection)",
			"bulk read", "MB/s", "MB", "dbfault embedded");

	static final Workload CONNECT = new Workload("New connections (open, validate, close; 1 thread)",
			"new connections", "conn/s", "connection", "dbfault embedded");

	static final Workload PGBENCH_1 = new Workload("pgbench select-only (`-S`), 1 client", "pgbench, 1 client", "tps",
			"transaction", "dbfault standalone");

	static final Workload PGBENCH_8 = new Workload("pgbench select-only (`-S`), 8 clients", "pgbench, 8 clients",
			"tps", "transaction", "dbfault standalone");

	/** Every path, in the order of the report's rows. */
	static final List<String> PATHS = List.of("direct", "dbfault in-process", "dbfault in-process sql-error",
			"dbfault embedded", "dbfault standalone", "socat", "haproxy", "netcrusher");

	/** The in-process paths: the JDBC workloads only, pgbench being no JVM. */
	static final List<String> IN_PROCESS_PATHS = List.of("dbfault in-process", "dbfault in-process sql-error");

	/**
	 * Paths measured only when {@code --paths} names them: the embedded proxy with a fault
	 * that fires on every chunk of data and changes nothing ({@code latency} of 0ms), its
	 * journal on (1,000 entries, the default) or off, to price journaling.
	 */
	static final List<String> JOURNAL_PATHS = List.of("dbfault journaling", "dbfault journal off");

	/** The short names {@code --workloads} takes. */
	static final Map<String, Workload> WORKLOADS = workloadsByKey();

	private Benchmark() {
	}

	public static void main(String[] args) throws Exception {
		try {
			parseAndRun(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("bench: " + ex.getMessage());
			System.exit(2);
		}
	}

	private static void parseAndRun(String[] args) throws Exception {
		Path output = Path.of("BENCHMARKS.md");
		Path coreJar = null;
		int rounds = 7;
		int seconds = 2;
		String command = "bench/run.sh";
		List<Workload> workloads = List.copyOf(WORKLOADS.values());
		List<String> paths = PATHS;
		Set<String> probes = PROBES;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--output" -> output = Path.of(args[++i]);
				case "--core-jar" -> coreJar = Path.of(args[++i]);
				case "--rounds" -> rounds = atLeast("--rounds", args[++i], 1, "");
				// pgbench's clients connect within its run: in one second eight may get nothing done
				case "--seconds" -> seconds = atLeast("--seconds", args[++i], 2, " (pgbench's clients need time to connect)");
				case "--command" -> command = args[++i];
				case "--workloads" -> workloads = selectWorkloads(args[++i]);
				case "--paths" -> paths = selectPaths(args[++i]);
				case "--no-probes" -> probes = Set.of();
				case "--probes" -> probes = selectProbes(args[++i]);
				default -> throw new IllegalArgumentException("unknown option " + args[i]);
			}
		}
		if (coreJar == null || !Files.isRegularFile(coreJar)) {
			throw new IllegalArgumentException("--core-jar must name the built dbfault-core jar, was " + coreJar);
		}
		String report = run(coreJar, rounds, Duration.ofSeconds(seconds), command, workloads, paths, probes);
		Files.writeString(output, report, StandardCharsets.UTF_8);
		System.out.println(report);
	}

	static String run(Path coreJar, int rounds, Duration duration, String command, List<Workload> selected,
			List<String> paths, Set<String> probes) throws Exception {
		Path work = Files.createTempDirectory("dbfault-bench");
		long started = System.nanoTime();
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setServerConfig("listen_addresses", "127.0.0.1")
			.setServerConfig("max_connections", "300")
			.setServerConfig("shared_buffers", "256MB")
			.setServerConfig("fsync", "off")
			.setServerConfig("synchronous_commit", "off")
			.start()) {
			int port = postgres.getPort();
			log("PostgreSQL on port " + port + "; initializing pgbench (scale 10)");
			Workloads.initializePgbench(port);
			List<Relay> relays = new ArrayList<>();
			Results results = new Results();
			try (Workloads workloads = new Workloads()) {
				for (String path : paths) {
					relays.add(switch (path) {
						case "direct" -> Relay.direct(port);
						case "dbfault in-process" -> Relay.dbfaultInProcess(path, port, false);
						case "dbfault in-process sql-error" -> Relay.dbfaultInProcess(path, port, true);
						case "dbfault embedded" -> Relay.dbfaultEmbedded(port);
						case "dbfault journaling" -> Relay.dbfaultFiring("dbfault journaling", port, 1000);
						case "dbfault journal off" -> Relay.dbfaultFiring("dbfault journal off", port, 0);
						case "dbfault standalone" -> Relay.dbfaultStandalone(coreJar, port);
						case "socat" -> Relay.socat(port);
						case "haproxy" -> Relay.haproxy(port, work);
						case "netcrusher" -> Relay.netcrusher(port);
						default -> throw new IllegalArgumentException("unknown path " + path);
					});
				}
				log("warming up every path");
				for (Relay relay : relays) {
					for (Workload workload : selected) {
						if (!takes(relay, workload)) {
							continue;
						}
						// pgbench needs a few seconds for 8 clients to connect and get going
						Duration warmUp = Duration.ofSeconds((workload == PGBENCH_1 || workload == PGBENCH_8) ? 3 : 1);
						measure(workloads, relay, workload, warmUp, Workloads.BULK_ROWS / 10, null);
					}
				}
				Random shuffle = new Random(42);
				for (int round = 1; round <= rounds; round++) {
					for (Workload workload : selected) {
						List<Relay> order = new ArrayList<>(relays);
						Collections.shuffle(order, shuffle);
						for (Relay relay : order) {
							if (!takes(relay, workload)) {
								continue;
							}
							double value = measure(workloads, relay, workload, duration, Workloads.BULK_ROWS, results);
							results.add(workload, relay.name(), value);
							log(String.format(Locale.ROOT, "round %d %-60s %-20s %,12.1f %s", round, workload.title(),
									relay.name(), value, workload.unit()));
						}
					}
				}
			}
			finally {
				relays.forEach(Relay::close);
			}
			// the relays' throughput columns must keep the same order in every table
			List<String> order = new ArrayList<>(PATHS);
			order.addAll(JOURNAL_PATHS);
			Results ordered = reorder(results, order);
			List<MemoryProbe.Row> memory = null;
			List<MemoryProbe.Row> inJvmMemory = null;
			AccuracyProbe.Latency latency = null;
			List<AccuracyProbe.Bandwidth> bandwidth = null;
			List<SlicerProbe.Row> slicer = null;
			List<PatternProbe.Row> patterns = null;
			if (probes.contains("memory")) {
				log("measuring memory per idle connection");
				List<IntFunction<Relay>> memoryRelays = List.of(
						(upstream) -> Relay.dbfaultStandalone(coreJar, upstream),
						(upstream) -> Relay.haproxy(upstream, work), Relay::socat);
				memory = MemoryProbe.measure(memoryRelays, 1000);
				inJvmMemory = MemoryProbe.inJvm(1000);
			}
			if (probes.contains("accuracy")) {
				log("measuring fault accuracy");
				latency = AccuracyProbe.latency(Duration.ofMillis(50), 1000);
				bandwidth = List.of(AccuracyProbe.bandwidth(1024 * 1024, 4L * 1024 * 1024),
						AccuracyProbe.bandwidth(16L * 1024 * 1024, 48L * 1024 * 1024));
			}
			if (probes.contains("slicer")) {
				log("measuring the core jar's peak memory under a 7-byte slicer");
				slicer = SlicerProbe.measure(coreJar, port);
			}
			if (probes.contains("patterns")) {
				log("measuring what statement patterns cost");
				patterns = PatternProbe.measure(port);
			}
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			return Report.markdown(ordered, memory, inJvmMemory, latency, bandwidth, slicer, patterns,
					new Report.Setup(LocalDate.now(), machine(), serverVersion(port), rounds, duration, elapsed, command));
		}
		finally {
			try (var files = Files.walk(work)) {
				files.sorted(Collections.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

	static int atLeast(String option, String value, int least, String why) {
		int parsed;
		try {
			parsed = Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
		}
		if (parsed < least) {
			throw new IllegalArgumentException(option + " must be at least " + least + why + ", was " + parsed);
		}
		return parsed;
	}

	private static Map<String, Workload> workloadsByKey() {
		Map<String, Workload> workloads = new LinkedHashMap<>();
		workloads.put("rt1", ROUND_TRIPS_1);
		workloads.put("rt8", ROUND_TRIPS_8);
		workloads.put("bulk", BULK);
		workloads.put("connect", CONNECT);
		workloads.put("pgbench1", PGBENCH_1);
		workloads.put("pgbench8", PGBENCH_8);
		return Collections.unmodifiableMap(workloads);
	}

	static List<Workload> selectWorkloads(String keys) {
		return select("--workloads", "workload", keys, WORKLOADS.keySet()).stream().map(WORKLOADS::get).toList();
	}

	/** The measurements beside throughput, all run unless told otherwise. */
	static final Set<String> PROBES = new LinkedHashSet<>(List.of("memory", "accuracy", "slicer", "patterns"));

	static Set<String> selectProbes(String names) {
		Set<String> chosen = new LinkedHashSet<>();
		for (String name : names.split(",")) {
			String probe = name.trim();
			if (!PROBES.contains(probe)) {
				throw new IllegalArgumentException("--probes: unknown probe '" + probe + "' (known: " + String.join(", ", PROBES)
						+ ")");
			}
			chosen.add(probe);
		}
		return chosen;
	}

	static List<String> selectPaths(String names) {
		List<String> known = new ArrayList<>(PATHS);
		known.addAll(JOURNAL_PATHS);
		return select("--paths", "path", names, known);
	}

	private static List<String> select(String option, String what, String names, Collection<String> known) {
		List<String> selected = new ArrayList<>();
		for (String name : names.split(",")) {
			if (!known.contains(name.trim())) {
				throw new IllegalArgumentException(
						option + ": unknown " + what + " '" + name + "', expected some of " + known);
			}
			selected.add(name.trim());
		}
		return selected;
	}

	private static Results reorder(Results results, List<String> order) {
		Results ordered = new Results();
		results.samples().forEach((workload, relays) -> {
			for (String name : order) {
				List<Double> values = relays.get(name);
				if (values != null) {
					values.forEach((value) -> ordered.add(workload, name, value));
				}
			}
		});
		results.cpu().forEach((workload, relays) -> relays.forEach((name, values) -> values
			.forEach((value) -> ordered.addCpu(workload, name, value))));
		return ordered;
	}

	private static double measure(Workloads workloads, Relay relay, Workload workload, Duration duration, int bulkRows,
			Results results) throws Exception {
		// a warm-up records nothing, and reading a relay's CPU time can wait for its children to exit
		long cpuBefore = (results != null) ? relay.cpuNanos() : -1;
		double value;
		double operations;
		if (workload == ROUND_TRIPS_1 || workload == ROUND_TRIPS_8) {
			value = workloads.roundTrips(relay, (workload == ROUND_TRIPS_1) ? 1 : 8, duration);
			operations = value * duration.toNanos() / 1e9;
		}
		else if (workload == BULK) {
			value = workloads.bulkRead(relay, bulkRows);
			operations = bulkRows * (double) Workloads.BULK_ROW_LENGTH / 1e6;
		}
		else if (workload == CONNECT) {
			value = workloads.newConnections(relay, duration);
			operations = value * duration.toNanos() / 1e9;
		}
		else {
			Workloads.Pgbench pgbench = Workloads.pgbench(relay, (workload == PGBENCH_1) ? 1 : 8, duration);
			value = pgbench.tps();
			operations = pgbench.transactions();
		}
		long cpuAfter = (cpuBefore >= 0) ? relay.cpuNanos() : -1;
		if (results != null && cpuBefore >= 0 && cpuAfter >= 0 && operations > 0) {
			results.addCpu(workload, relay.name(), (cpuAfter - cpuBefore) / 1000.0 / operations);
		}
		return value;
	}

	/**
	 * Returns whether a workload can take a path: pgbench cannot take the in-process ones.
	 */
	private static boolean takes(Relay relay, Workload workload) {
		return !relay.inJvmOnly() || (workload != PGBENCH_1 && workload != PGBENCH_8);
	}

	private static String serverVersion(int port) throws Exception {
		try (Connection connection = DriverManager
			.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
				ResultSet rs = connection.createStatement().executeQuery("show server_version")) {
			rs.next();
			return "PostgreSQL " + rs.getString(1);
		}
	}

	private static String machine() throws IOException {
		String cpu = Files.readAllLines(Path.of("/proc/cpuinfo"))
			.stream()
			.filter((line) -> line.startsWith("model name"))
			.map((line) -> line.substring(line.indexOf(':') + 1).trim())
			.findFirst()
			.orElse("unknown CPU");
		long memoryKb = Files.readAllLines(Path.of("/proc/meminfo"))
			.stream()
			.filter((line) -> line.startsWith("MemTotal"))
			.mapToLong((line) -> Long.parseLong(line.replaceAll("\\D", "")))
			.findFirst()
			.orElse(0);
		return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
				+ Math.round(memoryKb / 1024.0 / 1024.0) + " GiB, Java " + System.getProperty("java.version") + " ("
				+ System.getProperty("java.vm.name") + ")";
	}

	static void log(String message) {
		System.err.println("[bench] " + message);
	}

}
