package dev.dbfault.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The throughput samples of one run, per workload and relay, and the figures derived from
 * them: medians, spreads, ratios to the direct connection, and dbfault against the best of
 * the other relays.
 */
final class Results {

	static final String DIRECT = "direct";

	static final List<String> PEERS = List.of("socat", "haproxy", "netcrusher");

	/** Samples per workload, then per relay, in insertion order. */
	private final Map<Workload, Map<String, List<Double>>> samples = new LinkedHashMap<>();

	/** Relay CPU time per operation in microseconds, per workload, then per relay. */
	private final Map<Workload, Map<String, List<Double>>> cpu = new LinkedHashMap<>();

	void addCpu(Workload workload, String relay, double micros) {
		append(this.cpu, workload, relay, micros);
	}

	Map<Workload, Map<String, List<Double>>> cpu() {
		return this.cpu;
	}

	/**
	 * Renders the relays' CPU time per operation: one row per workload, one column per relay
	 * measured in any of them.
	 * @param relays the relays, in the order of the columns
	 * @return the table, or an empty string when nothing was measured
	 */
	String cpuTable(List<String> relays) {
		List<String> measured = relays.stream()
			.filter((relay) -> this.cpu.values().stream().anyMatch((byRelay) -> byRelay.containsKey(relay)))
			.toList();
		if (measured.isEmpty()) {
			return "";
		}
		StringBuilder out = new StringBuilder("| workload |");
		StringBuilder rule = new StringBuilder("|---|");
		for (String relay : measured) {
			out.append(' ').append(relay).append(" |");
			rule.append("---:|");
		}
		out.append('\n').append(rule).append('\n');
		for (Map.Entry<Workload, Map<String, List<Double>>> entry : this.cpu.entrySet()) {
			out.append("| ").append(entry.getKey().label()).append(", per ").append(entry.getKey().cpuPer()).append(" |");
			for (String relay : measured) {
				List<Double> values = entry.getValue().get(relay);
				out.append(' ')
					.append((values == null) ? "–"
							: String.format(Locale.ROOT, "%s µs (%s – %s)", micros(median(values)),
									micros(Collections.min(values)), micros(Collections.max(values))))
					.append(" |");
			}
			out.append('\n');
		}
		return out.append('\n').toString();
	}

	private static String micros(double value) {
		return String.format(Locale.ROOT, (value >= 10) ? "%,.0f" : "%.1f", value);
	}

	void add(Workload workload, String relay, double value) {
		append(this.samples, workload, relay, value);
	}

	private static void append(Map<Workload, Map<String, List<Double>>> values, Workload workload, String relay,
			double value) {
		values.computeIfAbsent(workload, (key) -> new LinkedHashMap<>())
			.computeIfAbsent(relay, (key) -> new ArrayList<>())
			.add(value);
	}

	Map<Workload, Map<String, List<Double>>> samples() {
		return this.samples;
	}

	static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	double median(Workload workload, String relay) {
		List<Double> values = this.samples.getOrDefault(workload, Map.of()).get(relay);
		return (values == null || values.isEmpty()) ? Double.NaN : median(values);
	}

	/**
	 * Returns dbfault's median divided by the best other relay's, for one workload.
	 * @param workload the workload
	 * @return the ratio, or NaN if a side is missing
	 */
	double versusBestPeer(Workload workload) {
		double best = PEERS.stream().mapToDouble((peer) -> median(workload, peer)).filter((v) -> !Double.isNaN(v)).max()
			.orElse(Double.NaN);
		return median(workload, workload.dbfaultRelay()) / best;
	}

	/**
	 * Counts the rounds in which dbfault did better than every other relay measured in that
	 * round: the rounds are interleaved, so each compares the relays under the same load.
	 * @param workload the workload
	 * @return rounds dbfault was ahead in
	 */
	int roundsAhead(Workload workload) {
		Map<String, List<Double>> byRelay = this.samples.getOrDefault(workload, Map.of());
		List<Double> dbfault = byRelay.getOrDefault(workload.dbfaultRelay(), List.of());
		int ahead = 0;
		for (int round = 0; round < dbfault.size(); round++) {
			double best = Double.NEGATIVE_INFINITY;
			for (String peer : PEERS) {
				List<Double> values = byRelay.get(peer);
				if (values != null && round < values.size()) {
					best = Math.max(best, values.get(round));
				}
			}
			if (dbfault.get(round) > best) {
				ahead++;
			}
		}
		return ahead;
	}

	int rounds(Workload workload) {
		return this.samples.getOrDefault(workload, Map.of()).getOrDefault(workload.dbfaultRelay(), List.of()).size();
	}

	/**
	 * Returns the worst, over the workloads, of dbfault against the best other relay.
	 * @return the ratio
	 */
	double worstVersusBestPeer() {
		return this.samples.keySet().stream().mapToDouble(this::versusBestPeer).filter((v) -> !Double.isNaN(v)).min()
			.orElse(Double.NaN);
	}

	/**
	 * Returns the lowest ratio to the direct connection of the in-process paths, over the
	 * workloads they took.
	 * @return the ratio, or NaN if none was measured
	 */
	double inProcessVersusDirect() {
		double lowest = Double.NaN;
		for (Workload workload : this.samples.keySet()) {
			double direct = median(workload, DIRECT);
			for (String path : Benchmark.IN_PROCESS_PATHS) {
				double ratio = median(workload, path) / direct;
				if (!Double.isNaN(ratio) && (Double.isNaN(lowest) || ratio < lowest)) {
					lowest = ratio;
				}
			}
		}
		return lowest;
	}

	/**
	 * Renders one Markdown table per workload.
	 * @return the tables
	 */
	String throughputTables() {
		StringBuilder out = new StringBuilder();
		for (Map.Entry<Workload, Map<String, List<Double>>> entry : this.samples.entrySet()) {
			Workload workload = entry.getKey();
			double direct = median(workload, DIRECT);
			out.append("### ").append(workload.title()).append("\n\n");
			out.append("| path | median ").append(workload.unit()).append(" | min – max | ratio to direct |\n");
			out.append("|---|---:|---:|---:|\n");
			for (Map.Entry<String, List<Double>> relay : entry.getValue().entrySet()) {
				List<Double> values = relay.getValue();
				double median = median(values);
				String name = relay.getKey().equals(workload.dbfaultRelay()) ? "**" + relay.getKey() + "**"
						: relay.getKey();
				out.append("| ").append(name).append(" | ").append(format(median)).append(" | ")
					.append(format(Collections.min(values))).append(" – ").append(format(Collections.max(values)))
					.append(" | ").append(String.format(Locale.ROOT, "%.2f", median / direct)).append(" |\n");
			}
			out.append("\ndbfault against the best other relay: ")
				.append(String.format(Locale.ROOT, "%.2f", versusBestPeer(workload)));
			if (PEERS.stream().anyMatch(entry.getValue()::containsKey)) {
				out.append(String.format(Locale.ROOT, " (ahead of every other relay in %d of %d rounds)",
						roundsAhead(workload), rounds(workload)));
			}
			out.append("\n\n");
		}
		return out.toString();
	}

	static String format(double value) {
		if (value >= 100) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		return String.format(Locale.ROOT, "%.1f", value);
	}

	/**
	 * A throughput workload.
	 *
	 * @param title its heading
	 * @param label its name in a table's row
	 * @param unit what its numbers count
	 * @param cpuPer the operation a relay's CPU time is divided by
	 * @param dbfaultRelay which dbfault relay represents dbfault in it
	 */
	record Workload(String title, String label, String unit, String cpuPer, String dbfaultRelay) {

	}

}
