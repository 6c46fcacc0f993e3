package dev.dbfault.core.internal.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.Faults;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault units on a manual clock: what each does to data, connections and time, decided
 * exactly, with no real time passing and no tolerance.
 */
class FaultUnitTests {

	private static final long MS = 1_000_000L;

	private final ManualClock clock = new ManualClock(1_000 * MS);

	private final TestFaultContext fault = new TestFaultContext(this.clock, true);

	private final Connection connection = new Connection(this.clock);

	private final TestFlow down = new TestFlow(Direction.DOWNSTREAM, this.connection);

	private final TestFlow up = new TestFlow(Direction.UPSTREAM, this.connection);

	@Test
	void latencyReleasesEachChunkLatencyLaterInItsDirectionOnly() {
		LatencyFault latency = new LatencyFault(Faults.latency(Duration.ofMillis(200)).build(), this.fault);
		List<Chunk> out = new ArrayList<>();
		latency.onChunk(this.down, data(10), this.clock.nanoTime(), out);
		latency.onChunk(this.up, data(10), this.clock.nanoTime(), out);
		assertThat(out).extracting(Chunk::releaseAt).containsExactly(this.clock.nanoTime() + 200 * MS,
				this.clock.nanoTime());
		assertThat(this.fault.fired).isOne();
	}

	@Test
	void jitterStaysWithinItsBoundsAndFollowsTheRandomSource() {
		LatencyFault latency = new LatencyFault(
				Faults.latency(Duration.ofMillis(100)).jitter(Duration.ofMillis(20)).build(), this.fault);
		List<Long> delays = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			List<Chunk> out = new ArrayList<>();
			latency.onChunk(this.down, data(1), this.clock.nanoTime(), out);
			delays.add(out.get(0).releaseAt() - this.clock.nanoTime());
		}
		assertThat(delays).allSatisfy((delay) -> assertThat(delay).isBetween(80 * MS, 120 * MS));
		assertThat(delays.stream().distinct().count()).isGreaterThan(100);
		TestFaultContext again = new TestFaultContext(this.clock, true);
		LatencyFault same = new LatencyFault(
				Faults.latency(Duration.ofMillis(100)).jitter(Duration.ofMillis(20)).build(), again);
		List<Chunk> first = new ArrayList<>();
		same.onChunk(this.down, data(1), this.clock.nanoTime(), first);
		assertThat(first.get(0).releaseAt() - this.clock.nanoTime()).isEqualTo(delays.get(0));
	}

	@Test
	void bandwidthPacesPiecesAtTheRateAndQueuesTheNextChunkBehind() {
		BandwidthFault bandwidth = new BandwidthFault(Faults.bandwidth(1_000).build(), this.fault);
		long start = this.clock.nanoTime();
		List<Chunk> out = new ArrayList<>();
		// 1,000 B/s is cut into pieces of 10 bytes, 10 ms each
		bandwidth.onChunk(this.down, data(30), start, out);
		assertThat(out).extracting(Chunk::size).containsExactly(10, 10, 10);
		assertThat(out).extracting(Chunk::releaseAt).containsExactly(start, start + 10 * MS, start + 20 * MS);
		this.clock.advance(5 * MS);
		List<Chunk> next = new ArrayList<>();
		bandwidth.onChunk(this.down, data(10), this.clock.nanoTime(), next);
		assertThat(next).extracting(Chunk::releaseAt).containsExactly(start + 30 * MS);
		// an idle pipe earns no credit: after a pause the next chunk leaves at once, then is paced again
		this.clock.advance(Duration.ofSeconds(10).toNanos());
		List<Chunk> later = new ArrayList<>();
		bandwidth.onChunk(this.down, data(20), this.clock.nanoTime(), later);
		assertThat(later).extracting(Chunk::releaseAt).containsExactly(this.clock.nanoTime(),
				this.clock.nanoTime() + 10 * MS);
	}

	@Test
	void slicerCutsAChunkIntoPiecesDelayApart() {
		SlicerFault slicer = new SlicerFault(Faults.slicer(3).delay(Duration.ofMillis(2)).build(), this.fault);
		long now = this.clock.nanoTime();
		List<Chunk> out = new ArrayList<>();
		slicer.onChunk(this.down, data(10), now, out);
		assertThat(out).extracting(Chunk::size).containsExactly(3, 3, 3, 1);
		assertThat(out).extracting(Chunk::releaseAt).containsExactly(now, now + 2 * MS, now + 4 * MS, now + 6 * MS);
	}

	@Test
	void timeoutHoldsDataAndClosesTheConnectionWhenItsTimeComes() {
		TimeoutFault timeout = new TimeoutFault(Faults.timeout(Duration.ofSeconds(3)).build(), this.fault);
		timeout.attach(this.connection);
		List<Chunk> out = new ArrayList<>();
		timeout.onChunk(this.down, data(5), this.clock.nanoTime(), out);
		assertThat(out).isEmpty();
		this.clock.advance(Duration.ofMillis(2_999).toNanos());
		this.connection.runDue();
		assertThat(this.connection.closed).isFalse();
		this.clock.advance(MS);
		this.connection.runDue();
		assertThat(this.connection.closed).isTrue();
		assertThat(this.fault.effects).isOne();
		timeout.detach(this.connection);
		assertThat(this.fault.effects).isZero();
	}

	@Test
	void aTimeoutRemovedBeforeItsTimeClosesTheConnectionsItHeldAtOnce() {
		TimeoutFault timeout = new TimeoutFault(Faults.timeout(Duration.ofSeconds(3)).build(), this.fault);
		timeout.attach(this.connection);
		assertThat(this.connection.closed).isFalse();
		timeout.detach(this.connection);
		assertThat(this.connection.closed).isTrue();
		assertThat(this.fault.effects).isZero();
	}

	@Test
	void resetPeerResetsEachConnectionTimeoutAfterItMeetsTheFault() {
		ResetPeerFault resetPeer = new ResetPeerFault(Faults.resetPeer(Duration.ofSeconds(5)).build(), this.fault);
		resetPeer.attach(this.connection);
		this.clock.advance(Duration.ofMillis(4_999).toNanos());
		this.connection.runDue();
		assertThat(this.connection.reset).isFalse();
		this.clock.advance(MS);
		this.connection.runDue();
		assertThat(this.connection.reset).isTrue();
		Connection other = new Connection(this.clock);
		new ResetPeerFault(Faults.resetPeer(Duration.ZERO).build(), this.fault).attach(other);
		assertThat(other.reset).isTrue();
	}

	@Test
	void limitDataDeliversUpToTheLimitThenCloses() {
		LimitDataFault limit = new LimitDataFault(Faults.limitData(10).build(), this.fault);
		List<Chunk> out = new ArrayList<>();
		limit.onChunk(this.down, data(6), this.clock.nanoTime(), out);
		limit.onChunk(this.down, data(6), this.clock.nanoTime(), out);
		assertThat(out).extracting(Chunk::kind).containsExactly(Chunk.Kind.DATA, Chunk.Kind.DATA, Chunk.Kind.CLOSE);
		assertThat(out).extracting(Chunk::size).containsExactly(6, 4, 0);
		// upstream is not counted by a downstream limit
		List<Chunk> upstream = new ArrayList<>();
		limit.onChunk(this.up, data(100), this.clock.nanoTime(), upstream);
		assertThat(upstream).extracting(Chunk::size).containsExactly(100);
	}

	@Test
	void slowCloseDelaysTheEndOfStreamAndNotTheData() {
		SlowCloseFault slowClose = new SlowCloseFault(Faults.slowClose(Duration.ofSeconds(2)).build(), this.fault);
		long now = this.clock.nanoTime();
		List<Chunk> out = new ArrayList<>();
		slowClose.onChunk(this.down, data(3), now, out);
		slowClose.onChunk(this.down, Chunk.marker(Chunk.Kind.EOF, now), now, out);
		assertThat(out).extracting(Chunk::releaseAt).containsExactly(now, now + Duration.ofSeconds(2).toNanos());
	}

	private Chunk data(int size) {
		return Chunk.wrap(new byte[size], this.clock.nanoTime());
	}

	/**
	 * A clock that moves only when told.
	 */
	static final class ManualClock implements Clock {

		private long now;

		ManualClock(long start) {
			this.now = start;
		}

		void advance(long nanos) {
			this.now += nanos;
		}

		@Override
		public long nanoTime() {
			return this.now;
		}

	}

	/**
	 * A connection that records what was done to it and runs its timers when told.
	 */
	private static final class Connection implements ProxiedConnection {

		private final ManualClock clock;

		private final FaultStates states = new FaultStates();

		private final ConnectionIdentity identity = new ConnectionIdentity(1, null);

		private final List<Scheduled> timers = new ArrayList<>();

		private boolean reset;

		private boolean closed;

		Connection(ManualClock clock) {
			this.clock = clock;
		}

		@Override
		public void reset() {
			this.reset = true;
		}

		@Override
		public void close() {
			this.closed = true;
		}

		@Override
		public void terminate() {
			this.closed = true;
		}

		@Override
		public boolean resumeIfStalledBy(FaultContext fault) {
			return false;
		}

		@Override
		public Cancellable schedule(long delayNanos, Runnable action) {
			Scheduled timer = new Scheduled(this.clock.nanoTime() + delayNanos, action);
			this.timers.add(timer);
			return timer;
		}

		@Override
		public FaultStates states() {
			return this.states;
		}

		@Override
		public ConnectionIdentity identity() {
			return this.identity;
		}

		void runDue() {
			for (Scheduled timer : List.copyOf(this.timers)) {
				if (!timer.cancelled && timer.deadline - this.clock.nanoTime() <= 0) {
					this.timers.remove(timer);
					timer.action.run();
				}
			}
		}

	}

	private static final class Scheduled implements Cancellable {

		private final long deadline;

		private final Runnable action;

		private boolean cancelled;

		Scheduled(long deadline, Runnable action) {
			this.deadline = deadline;
			this.action = action;
		}

		@Override
		public void cancel() {
			this.cancelled = true;
		}

	}

	private record TestFlow(Direction direction, ProxiedConnection connection, FaultStates states) implements Flow {

		TestFlow(Direction direction, ProxiedConnection connection) {
			this(direction, connection, new FaultStates());
		}

	}

}
