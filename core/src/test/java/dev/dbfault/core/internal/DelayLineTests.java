package dev.dbfault.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.internal.fault.Chunk;
import dev.dbfault.core.internal.fault.FaultStates;
import dev.dbfault.core.internal.fault.FaultUnit;
import dev.dbfault.core.internal.fault.Flow;
import dev.dbfault.core.internal.fault.ProxiedConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The delay line on a clock the test moves: each fault's share of a delay, removal of one
 * share, holds, order, partial takes, and the thread it belongs to.
 */
class DelayLineTests {

	private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

	private final Flow flow = new Flow() {

		private final FaultStates states = new FaultStates();

		@Override
		public Direction direction() {
			return Direction.DOWNSTREAM;
		}

		@Override
		public ProxiedConnection connection() {
			throw new UnsupportedOperationException("not needed here");
		}

		@Override
		public FaultStates states() {
			return this.states;
		}

	};

	private final DelayLine line = new DelayLine(() -> true);

	private final List<Chunk> taken = new ArrayList<>();

	private long now = 1_000 * MS;

	/** A fault that delays every chunk by a fixed time. */
	private static FaultUnit.DataHandling delaying(long nanos) {
		return unit((unit, chunk) -> chunk.delay(unit, nanos));
	}

	/** A fault that holds every chunk until it goes. */
	private static FaultUnit.DataHandling holding() {
		return unit((unit, chunk) -> chunk.hold(unit));
	}

	private static FaultUnit.DataHandling unit(BiConsumer<FaultUnit, Chunk> action) {
		return new FaultUnit.DataHandling() {

			@Override
			public String effect() {
				return "acted";
			}

			@Override
			public void onChunk(Flow flow, Chunk chunk, long now, List<Chunk> out) {
				action.accept(this, chunk);
				out.add(chunk);
			}

		};
	}

	private void pass(int size, FaultUnit.DataHandling... faults) {
		this.line.pass(faults, this.flow, Chunk.wrap(new byte[size], this.now), this.now, new ArrayList<>(),
				new ArrayList<>());
	}

	private int drain() {
		int before = this.taken.size();
		this.line.drain(this.now, (chunk) -> this.taken.add(chunk));
		return this.taken.size() - before;
	}

	@Test
	void aChunkIsDueAfterEveryFaultsShare() {
		FaultUnit.DataHandling slow = delaying(1500 * MS);
		FaultUnit.DataHandling quick = delaying(100 * MS);
		pass(10, slow, quick);
		assertThat(this.line.peek().releaseAt()).isEqualTo(this.now + 1600 * MS);
		assertThat(this.line.peek().shareOf(slow)).isEqualTo(1500 * MS);
		assertThat(this.line.peek().shareOf(quick)).isEqualTo(100 * MS);
	}

	@Test
	void removingOneFaultTakesAwayItsShareOnly() {
		FaultUnit.DataHandling slow = delaying(1500 * MS);
		FaultUnit.DataHandling quick = delaying(100 * MS);
		long arrived = this.now;
		pass(10, slow, quick);
		this.now += 200 * MS;
		assertThat(this.line.removeFault(quick, false)).isTrue();
		assertThat(drain()).isZero();
		assertThat(this.line.peek().releaseAt()).isEqualTo(arrived + 1500 * MS);
		this.now = arrived + 1500 * MS;
		assertThat(drain()).isOne();
	}

	@Test
	void removingEveryFaultLeavesNothingDelayed() {
		FaultUnit.DataHandling slow = delaying(2500 * MS);
		FaultUnit.DataHandling held = holding();
		pass(10, slow);
		pass(10, held);
		this.now += 300 * MS;
		this.line.removeFault(slow, false);
		this.line.removeFault(held, false);
		assertThat(drain()).isEqualTo(2);
		assertThat(this.line.isEmpty()).isTrue();
		assertThat(this.line.bytes()).isZero();
	}

	@Test
	void aFaultThatUsedItselfUpLeavesItsDelaysButLetsGoWhatItHolds() {
		FaultUnit.DataHandling slow = delaying(500 * MS);
		pass(10, slow);
		assertThat(this.line.removeFault(slow, true)).isFalse();
		assertThat(drain()).isZero();
		FaultUnit.DataHandling held = holding();
		pass(10, held);
		this.line.removeFault(held, true);
		this.now += 500 * MS;
		assertThat(drain()).isEqualTo(2);
	}

	@Test
	void chunksLeaveInOrderWhateverTheirDueTimes() {
		FaultUnit.DataHandling slow = delaying(300 * MS);
		pass(1, slow);
		pass(2);
		this.now += 100 * MS;
		assertThat(drain()).as("the second is due but waits behind the first").isZero();
		this.now += 200 * MS;
		assertThat(drain()).isEqualTo(2);
		assertThat(this.taken).extracting(Chunk::size).containsExactly(1, 2);
	}

	@Test
	void aHeldChunkHoldsEverythingBehindIt() {
		FaultUnit.DataHandling held = holding();
		pass(1, held);
		pass(2);
		this.now += 10_000 * MS;
		assertThat(drain()).isZero();
		assertThat(this.line.waitsForTime()).isFalse();
		this.line.removeFault(held, false);
		assertThat(drain()).isEqualTo(2);
	}

	@Test
	void aSinkThatTakesPartOfAChunkLeavesTheRestAtTheHead() {
		pass(100);
		pass(50);
		boolean all = this.line.drain(this.now, (chunk) -> {
			chunk.consumed(30);
			return false;
		});
		assertThat(all).isFalse();
		assertThat(this.line.bytes()).isEqualTo(120);
		assertThat(this.line.peek().size()).isEqualTo(70);
		assertThat(drain()).isEqualTo(2);
		assertThat(this.line.bytes()).isZero();
	}

	@Test
	void piecesCutFromAChunkShareItsArrayAndItsShares() {
		FaultUnit.DataHandling slow = delaying(100 * MS);
		Chunk chunk = Chunk.wrap(new byte[] { 1, 2, 3, 4 }, this.now);
		chunk.delay(slow, 100 * MS);
		Chunk first = chunk.splitFirst(1);
		assertThat(first.array()).isSameAs(chunk.array());
		assertThat(first.offset()).isZero();
		assertThat(first.size()).isOne();
		assertThat(chunk.offset()).isOne();
		assertThat(first.shareOf(slow)).isEqualTo(100 * MS);
		first.removeShare(slow, false);
		assertThat(first.releaseAt()).isEqualTo(this.now);
		assertThat(chunk.releaseAt()).isEqualTo(this.now + 100 * MS);
	}

	@Test
	void aThreadItsConnectionDidNotLetInCannotUseIt() {
		DelayLine owned = new DelayLine(() -> false);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> owned.add(Chunk.wrap(new byte[1], this.now)))
			.withMessageContaining("did not let in");
	}

}
