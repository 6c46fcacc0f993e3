package dev.dbfault.bench;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * Writes the benchmark's Markdown report.
 */
final class Report {

	private Report() {
	}

	/**
	 * How and where the run was made.
	 */
	record Setup(LocalDate date, String machine, String database, int rounds, Duration duration, Duration elapsed,
			String command) {

	}

	static String markdown(Results results, List<MemoryProbe.Row> memory, List<MemoryProbe.Row> inJvmMemory,
			AccuracyProbe.Latency latency, List<AccuracyProbe.Bandwidth> bandwidth, List<SlicerProbe.Row> slicer,
			List<PatternProbe.Row> patterns, Setup setup) {
		StringBuilder out = new StringBuilder();
		out.append("# dbfault benchmarks\n\n");
		out.append("Measured on ").append(setup.date()).append(" with `").append(setup.command()).append("` on ")
			.append(setup.machine()).append(", against ").append(setup.database())
			.append(" (embedded, on the same machine). The run took ")
			.append(setup.elapsed().toMinutes()).append(" min ").append(setup.elapsed().toSecondsPart()).append(" s.\n\n");
		out.append("Every path is measured in the same run, interleaved: ").append(setup.rounds())
			.append(" rounds, each running every path once in a shuffled order (")
			.append(setup.duration().toSeconds())
			.append(" s per timed measurement, after one warm-up pass of every workload on every path). Each cell is the")
			.append(" median of the rounds, with the lowest and highest. The client, the relay and PostgreSQL share the")
			.append(" machine's cores, so a relay's CPU time comes out of the database's: compare paths within this run,")
			.append(" not with other runs.\n\n");
		out.append("Paths: **direct** to PostgreSQL; **dbfault in-process**: no relay, the JDBC driver's own sockets")
			.append(" (`FaultSocketFactory`, `dbfault.transport=socket`) talk straight to PostgreSQL and dbfault's fault")
			.append(" engine runs on the driver's threads, with no fault in effect; **dbfault in-process sql-error**: the")
			.append(" same with a `sql-error` in effect that matches no statement, so every statement is looked at (the")
			.append(" in-process paths take the JDBC workloads only: pgbench is no JVM);")
			.append(" **dbfault embedded**: a PostgreSQL-aware proxy in the client's JVM,")
			.append(" as the Spring Boot starter runs it by default; **dbfault standalone**: the core jar's command-line proxy in a")
			.append(" JVM of its own (PostgreSQL-aware too); **socat** and **haproxy** (TCP mode) as separate processes;")
			.append(" **netcrusher**, a Java NIO relay, in the client's JVM. dbfault is counted as the embedded proxy for")
			.append(" the JDBC workloads and the standalone one for pgbench.\n\n");
		out.append("## Throughput\n\n");
		out.append(results.throughputTables());
		String cpu = results.cpuTable(Benchmark.PATHS);
		if (!cpu.isEmpty()) {
			out.append("## Relay CPU time per operation\n\n");
			out.append("CPU time (user and system) the relay spent per operation of each workload: median of the rounds,")
				.append(" with the lowest and highest. For a relay in a process of its own, the process's and its")
				.append(" children's (socat forks one per connection); for a relay in the client's JVM, that of the")
				.append(" threads it started (dbfault's event loop, NetCrusher's reactor). The client's and the")
				.append(" database's own CPU time is not in it. dbfault's includes its busy poll (100 µs by default):")
				.append(" while one or two connections talk, its thread polls the sockets after each burst of traffic")
				.append(" before it sleeps, which is CPU time spent to spare the thread's wake-ups.\n\n");
			out.append(cpu);
		}
		if (memory != null) {
			memory(out, memory);
		}
		if (slicer != null) {
			slicer(out, slicer);
		}
		if (patterns != null) {
			patterns(out, patterns);
		}
		if (inJvmMemory != null) {
			inJvmMemory(out, inJvmMemory);
		}
		if (latency != null) {
			accuracy(out, latency, bandwidth);
		}
		out.append(String.format(Locale.ROOT, "dbfault-vs-best-peer: %.2f%n", results.worstVersusBestPeer()));
		double inProcess = results.inProcessVersusDirect();
		if (!Double.isNaN(inProcess)) {
			out.append(String.format(Locale.ROOT, "dbfault-inprocess-vs-direct: %.2f%n", inProcess));
		}
		return out.toString();
	}

	private static void memory(StringBuilder out, List<MemoryProbe.Row> memory) {
		out.append("## Memory per idle proxied connection\n\n");
		out.append("1,000 idle connections held open through a relay in a process of its own, measured against the same")
			.append(" process with none (heap in use after a full GC, for a JVM; resident memory of the process and its")
			.append(" children).\n\n");
		out.append("| relay | heap per connection | resident memory per connection |\n|---|---:|---:|\n");
		for (MemoryProbe.Row row : memory) {
			out.append("| ").append(row.relay()).append(" | ")
				.append(Double.isNaN(row.heapBytesPerConnection()) ? "–" : kib(row.heapBytesPerConnection()))
				.append(" | ").append(kib(row.residentBytesPerConnection())).append(" |\n");
		}
		out.append("\n");
	}

	private static void patterns(StringBuilder out, List<PatternProbe.Row> rows) {
		out.append("## What a statement pattern costs\n\n");
		out.append("5,000 single-row inserts on one connection through the embedded proxy, each looked at by ten")
			.append(" `sql-error` faults that match none of them: plain patterns, then patterns that would backtrack")
			.append(" without end in Java's engine. dbfault matches in linear time (RE2/J), so both cost alike.\n\n");
		out.append("| faults | median write | 99th percentile | p99 ratio to plain |\n|---|---:|---:|---:|\n");
		double plain = rows.get(0).p99Micros();
		for (PatternProbe.Row row : rows) {
			out.append(String.format(Locale.ROOT, "| %s | %.0f µs | %.0f µs | %.2f |%n", row.faults(), row.p50Micros(),
					row.p99Micros(), row.p99Micros() / plain));
		}
		out.append('\n');
	}

	private static void slicer(StringBuilder out, List<SlicerProbe.Row> rows) {
		out.append("## Memory of a fault that cuts the stream\n\n");
		out.append("The core jar's peak resident memory (VmHWM) over one workload: 5,000 inserts in batches, 4,000")
			.append(" single-row selects, the whole table and 2,000 rows of 960 characters four times over, through")
			.append(" the plain proxy and with `slicer` cutting every chunk into 7-byte pieces both ways (each piece is")
			.append(" a view of the bytes read, not a copy). The workload read the same in both (checksum).\n\n");
		out.append("| path | peak resident memory | ratio to the plain proxy | checksum |\n|---|---:|---:|---:|\n");
		double plain = rows.get(0).peakResidentBytes();
		for (SlicerProbe.Row row : rows) {
			out.append(String.format(Locale.ROOT, "| %s | %.0f MB | %.2f | %d |%n", row.path(),
					row.peakResidentBytes() / 1e6, row.peakResidentBytes() / plain, row.checksum()));
		}
		out.append('\n');
	}

	private static void inJvmMemory(StringBuilder out, List<MemoryProbe.Row> rows) {
		out.append("1,000 idle connections held open from the benchmark's own JVM on each of dbfault's transports,")
			.append(" PostgreSQL-aware, less the heap of as many plain sockets straight to the server (heap in use after")
			.append(" a full GC): what dbfault adds to the application's heap per idle connection.\n\n");
		out.append("| transport | heap per connection |\n|---|---:|\n");
		for (MemoryProbe.Row row : rows) {
			out.append("| ").append(row.relay()).append(" | ").append(kib(row.heapBytesPerConnection())).append(" |\n");
		}
		out.append("\n");
	}

	private static void accuracy(StringBuilder out, AccuracyProbe.Latency latency,
			List<AccuracyProbe.Bandwidth> bandwidth) {
		out.append("## Fault accuracy\n\n");
		out.append(String.format(Locale.ROOT,
				"A %.0f ms `latency` fault, %d round trips of 16 bytes through dbfault to an echo server: extra delay"
						+ " over the median round trip without the fault: p50 %.2f ms, p99 %.2f ms, max %.2f ms. Without"
						+ " the fault the round trip itself took %.2f ms at the median and %.2f ms at p99. For reference,"
						+ " an echo server that waits %.0f ms itself before each answer, reached without a relay and"
						+ " measured the same way: p50 %.2f ms, p99 %.2f ms. That is how late a thread sleeping %.0f ms on"
						+ " this machine answers, the wake-ups of an idle machine included: the floor for a delay that"
						+ " does not spin.%n%n",
				latency.configuredMillis(), latency.samples(), latency.p50Millis(), latency.p99Millis(),
				latency.maxMillis(), latency.baselineP50Millis(), latency.baselineP99Millis(),
				latency.configuredMillis(), latency.referenceP50Millis(), latency.referenceP99Millis(),
				latency.configuredMillis()));
		out.append("| `bandwidth` rate | bytes sent | achieved | achieved / configured |\n|---:|---:|---:|---:|\n");
		for (AccuracyProbe.Bandwidth each : bandwidth) {
			out.append(String.format(Locale.ROOT, "| %s/s | %s | %s/s | %.3f |%n", kib(each.configured()),
					kib(each.bytes()), kib(each.achieved()), each.achieved() / each.configured()));
		}
		out.append("\n");
	}

	private static String kib(double bytes) {
		if (bytes >= 1024 * 1024) {
			return String.format(Locale.ROOT, "%.1f MiB", bytes / 1024 / 1024);
		}
		return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024);
	}

}
