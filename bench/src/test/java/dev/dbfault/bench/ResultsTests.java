package dev.dbfault.bench;

import java.util.List;

import dev.dbfault.bench.Results.Workload;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class ResultsTests {

	private static final Workload JDBC = new Workload("JDBC round trips", "round trips", "ops/s", "round trip",
			"dbfault embedded");

	private static final Workload PGBENCH = new Workload("pgbench", "pgbench", "tps", "transaction",
			"dbfault standalone");

	@Test
	void mediansHandleOddAndEvenCounts() {
		assertThat(Results.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
		assertThat(Results.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
	}

	@Test
	void comparesDbfaultWithTheBestPeerAndReportsTheWorstWorkload() {
		Results results = new Results();
		for (double value : new double[] { 100, 110, 90 }) {
			results.add(JDBC, "direct", value);
			results.add(JDBC, "dbfault embedded", value * 0.9);
			results.add(JDBC, "socat", value * 0.7);
			results.add(JDBC, "haproxy", value * 0.8);
			results.add(PGBENCH, "direct", value);
			results.add(PGBENCH, "dbfault standalone", value * 0.6);
			results.add(PGBENCH, "dbfault embedded", value * 0.9);
			results.add(PGBENCH, "netcrusher", value * 0.75);
		}
		assertThat(results.versusBestPeer(JDBC)).isCloseTo(0.9 / 0.8, within(1e-9));
		// pgbench counts the standalone proxy, not the embedded one
		assertThat(results.versusBestPeer(PGBENCH)).isCloseTo(0.6 / 0.75, within(1e-9));
		assertThat(results.worstVersusBestPeer()).isCloseTo(0.8, within(1e-9));
		String tables = results.throughputTables();
		assertThat(tables).contains("| **dbfault embedded** | 90.0 | 81.0 – 99.0 | 0.90 |")
			.contains("dbfault against the best other relay: 1.13");
	}

	@Test
	void countsTheRoundsInWhichDbfaultWasAheadOfEveryOtherRelay() {
		Results results = new Results();
		double[][] rounds = { { 10, 9, 8 }, { 10, 11, 8 }, { 10, 8, 10 }, { 12, 8, 11 } };
		for (double[] round : rounds) {
			results.add(JDBC, "dbfault embedded", round[0]);
			results.add(JDBC, "haproxy", round[1]);
			results.add(JDBC, "netcrusher", round[2]);
		}
		// a tie is not ahead
		assertThat(results.roundsAhead(JDBC)).isEqualTo(2);
		assertThat(results.throughputTables()).contains("(ahead of every other relay in 2 of 4 rounds)");
	}

	@Test
	void tabulatesRelayCpuPerOperationWithADashWhereARelayWasNotMeasured() {
		Results results = new Results();
		Workload eight = new Workload("pgbench, 8 clients", "pgbench, 8 clients", "tps", "transaction",
				"dbfault standalone");
		results.addCpu(PGBENCH, "dbfault standalone", 30);
		results.addCpu(PGBENCH, "dbfault standalone", 50);
		results.addCpu(PGBENCH, "dbfault standalone", 40);
		results.addCpu(PGBENCH, "haproxy", 35);
		results.addCpu(eight, "haproxy", 2.5);
		results.addCpu(eight, "haproxy", 1234.4);
		String table = results.cpuTable(List.of("direct", "dbfault standalone", "haproxy"));
		assertThat(table).startsWith("| workload | dbfault standalone | haproxy |\n|---|---:|---:|\n")
			.contains("| pgbench, per transaction | 40 µs (30 – 50) | 35 µs (35 – 35) |\n")
			.contains("| pgbench, 8 clients, per transaction | – | 618 µs (2.5 – 1,234) |\n")
			.doesNotContain("direct");
		assertThat(new Results().cpuTable(List.of("haproxy"))).isEmpty();
	}

	@Test
	void narrowsARunToTheWorkloadsAndPathsNamed() {
		assertThat(Benchmark.selectWorkloads("rt1, pgbench8")).containsExactly(Benchmark.ROUND_TRIPS_1,
				Benchmark.PGBENCH_8);
		assertThat(Benchmark.selectPaths("direct,dbfault embedded")).containsExactly("direct", "dbfault embedded");
		assertThatIllegalArgumentException().isThrownBy(() -> Benchmark.selectWorkloads("rt2"))
			.withMessageContaining("--workloads: unknown workload 'rt2'");
		assertThatIllegalArgumentException().isThrownBy(() -> Benchmark.selectPaths("pgbouncer"))
			.withMessageContaining("--paths: unknown path 'pgbouncer'");
		assertThat(Benchmark.atLeast("--seconds", " 3", 2, "")).isEqualTo(3);
		assertThatIllegalArgumentException().isThrownBy(() -> Benchmark.atLeast("--seconds", "1", 2, " (why)"))
			.withMessage("--seconds must be at least 2 (why), was 1");
		assertThatIllegalArgumentException().isThrownBy(() -> Benchmark.atLeast("--rounds", "many", 1, ""))
			.withMessage("--rounds must be a whole number, was 'many'");
	}

}
