package dev.dbfault.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.it.support.ResilienceTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A slow or fragmenting network makes requests slower, never wrong; a connection cut in
 * the middle of a large result fails clearly.
 */
class SlowNetworkTests extends ResilienceTestSupport {

	private static final String LARGE = "select g, md5(g::text) from generate_series(1, 5000) g";

	@Test
	void latencySlowsEveryRoundTripButResultsStayCorrect() {
		this.ledger.balance(1);
		this.dbFault.proxy().inject(Faults.latency(Duration.ofMillis(50)).direction(Direction.BOTH));
		long start = System.nanoTime();
		this.ledger.transfer(1, 2, 10);
		// four statements (the driver sends BEGIN with the first) and the commit: five round trips of 100 ms
		assertThat(millisSince(start)).isGreaterThanOrEqualTo(500);
		assertThat(this.ledger.balance(1)).isEqualTo(990);
	}

	@Test
	void aFragmentingNetworkDeliversIdenticalResults() {
		List<Map<String, Object>> expected = this.jdbc.queryForList(LARGE);
		this.dbFault.proxy().inject(Faults.slicer(7).sizeVariation(6).direction(Direction.BOTH));
		assertThat(this.jdbc.queryForList(LARGE)).isEqualTo(expected);
	}

	@Test
	void limitedBandwidthSlowsALargeResultByItsSize() {
		this.jdbc.queryForList(LARGE);
		long bytes = this.dbFault.stats().bytesDownstream();
		this.jdbc.queryForList(LARGE);
		long resultBytes = this.dbFault.stats().bytesDownstream() - bytes;
		this.dbFault.proxy().bandwidth(resultBytes * 2);
		long start = System.nanoTime();
		assertThat(this.jdbc.queryForList(LARGE)).hasSize(5000);
		// half a second at twice the result's size per second
		assertThat(millisSince(start)).isBetween(400L, 500L + TOLERANCE.toMillis());
	}

	@Test
	void aConnectionCutInTheMiddleOfALargeResultFailsClearly() {
		this.jdbc.queryForList(LARGE);
		this.dbFault.proxy().limitData(64 * 1024);
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> this.jdbc.queryForList(LARGE))
			.satisfies((ex) -> assertThat(sqlState(ex)).startsWith("08"));
	}

}
