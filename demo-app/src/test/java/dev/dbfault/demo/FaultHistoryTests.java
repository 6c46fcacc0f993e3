package dev.dbfault.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.ActiveFault.Removal;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.FaultType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dashboard remembers of faults that a poll once a second would miss, and how it
 * says what each did: the listener alone, fed the events a proxy sends.
 */
class FaultHistoryTests {

	private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

	// never started: the history only reads the proxy's name
	private final FaultProxy proxy = FaultProxy.builder().name("dataSource").upstream("127.0.0.1", 5432).build();

	private final FaultHistory history = new FaultHistory(Clock.fixed(NOW, ZoneOffset.UTC));

	private void acted(StubFault fault) {
		this.history.faultInjected(this.proxy, fault);
		this.history.faultRemoved(this.proxy, fault, Removal.ACTED);
	}

	private void ended(StubFault fault, Removal reason) {
		this.history.faultInjected(this.proxy, fault);
		this.history.faultRemoved(this.proxy, fault, reason);
	}

	private String summaryOfLast() {
		return this.history.recent().get(0).summary();
	}

	@Test
	void anActionSaysHowManyConnectionsItActedOn() {
		acted(StubFault.of("reset-1", "reset", Map.of(), 8, NOW));
		assertThat(summaryOfLast()).isEqualTo("reset: 8 connections");
	}

	@Test
	void oneEventIsSingular() {
		acted(StubFault.of("terminate-1", "terminate", Map.of(), 1, NOW));
		assertThat(summaryOfLast()).isEqualTo("terminate: 1 connection");
	}

	@Test
	void anActionWithNoConnectionToActOnSaysSo() {
		acted(StubFault.of("close-1", "close", Map.of(), 0, NOW));
		assertThat(summaryOfLast()).isEqualTo("close: 0 connections");
	}

	@Test
	void aUsedUpFaultSaysWhatItFiredOnAndThatItIsUsedUp() {
		ended(StubFault.of("sql-error-2", "sql-error", Map.of("match", "insert", "times", 2), 2,
				NOW.minusSeconds(3)), Removal.USED_UP);
		assertThat(summaryOfLast()).isEqualTo("sql-error: 2 statements, used up after 3 s");
	}

	@Test
	void aRemovedFaultSaysHowLongItLasted() {
		ended(StubFault.of("latency-3", "latency", Map.of("latency", "300ms"), 140, NOW.minusSeconds(12)),
				Removal.REMOVED);
		assertThat(summaryOfLast()).isEqualTo("latency: 140 chunks, removed after 12 s");
	}

	@Test
	void anExpiredFaultSaysSo() {
		ended(StubFault.of("blackhole-4", "blackhole", Map.of("duration", "10s"), 0, NOW.minusSeconds(10)),
				Removal.EXPIRED);
		assertThat(summaryOfLast()).isEqualTo("blackhole: 0 chunks, expired after 10 s");
	}

	@Test
	void aHealedFaultSaysSoWithMinutesPastAMinute() {
		ended(StubFault.of("down-5", "down", Map.of(), 3, NOW.minusSeconds(125)), Removal.HEALED);
		assertThat(summaryOfLast()).isEqualTo("down: 3 connections, healed after 2 min 5 s");
	}

	@Test
	void aFaultShorterThanASecondSaysItsMilliseconds() {
		ended(StubFault.of("drop-on-6", "drop-on", Map.of("match", "commit", "times", 1), 1,
				NOW.minusMillis(350)), Removal.USED_UP);
		assertThat(summaryOfLast()).isEqualTo("drop-on: 1 statement, used up after 350 ms");
	}

	@Test
	void eachFaultTypeCountsItsOwnKindOfEvent() {
		assertThat(FaultType.values()).allSatisfy((type) -> assertThat(FaultHistory.EndedFault.eventNoun(type))
			.isEqualTo(switch (type.id()) {
				case "sql-error", "sql-latency", "drop-on", "drop-after-rows" -> "statement";
				case "latency", "bandwidth", "slicer", "blackhole" -> "chunk";
				default -> "connection";
			}));
	}

	@Test
	void recentListsTheLastTenToEndNewestFirst() {
		for (int i = 1; i <= 12; i++) {
			acted(StubFault.of("reset-" + i, "reset", Map.of(), i, NOW));
		}
		assertThat(this.history.recent()).extracting(FaultHistory.EndedFault::id)
			.containsExactly("reset-12", "reset-11", "reset-10", "reset-9", "reset-8", "reset-7", "reset-6", "reset-5",
					"reset-4", "reset-3");
	}

	@Test
	void anActionMarksTheSecondItActedInAsActed() {
		acted(StubFault.of("reset-1", "reset", Map.of(), 8, NOW));
		FaultHistory.SecondMarks marks = this.history.drainSecond();
		assertThat(marks.acted()).containsExactly("reset-1");
		assertThat(marks.touched()).isEmpty();
	}

	@Test
	void aConditionThatCameAndWentWithinASecondMarksThatSecondOnly() {
		ended(StubFault.of("sql-error-1", "sql-error", Map.of("match", "insert", "times", 1), 1, NOW),
				Removal.USED_UP);
		assertThat(this.history.drainSecond().touched()).containsExactly("sql-error-1");
		FaultHistory.SecondMarks next = this.history.drainSecond();
		assertThat(next.touched()).isEmpty();
		assertThat(next.acted()).isEmpty();
	}

	@Test
	void aSecondKeepsABoundedNumberOfMarks() {
		for (int i = 1; i <= 1000; i++) {
			this.history.faultInjected(this.proxy, StubFault.of("latency-" + i, "latency", Map.of("latency", "1ms"), 0,
					NOW));
		}
		assertThat(this.history.drainSecond().touched()).hasSize(FaultHistory.MARKS_PER_SECOND);
	}

	/**
	 * A fault as the proxy hands it to its listeners once it is gone.
	 */
	private record StubFault(String id, FaultSpec spec, long fired, Instant injectedAt) implements ActiveFault {

		static StubFault of(String id, String type, Map<String, ?> parameters, long fired, Instant injectedAt) {
			return new StubFault(id, FaultSpec.parse(type, parameters), fired, injectedAt);
		}

		@Override
		public State state() {
			return State.REMOVED;
		}

		@Override
		public Optional<Duration> timeLeft() {
			return Optional.empty();
		}

		@Override
		public long seed() {
			return 42;
		}

		@Override
		public void close() {
		}

	}

}
