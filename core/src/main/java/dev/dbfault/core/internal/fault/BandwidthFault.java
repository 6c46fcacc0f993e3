package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.fault.Bandwidth;
import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.internal.text.Values;

/**
 * {@code bandwidth}: data leaves at {@code rate} bytes per second. Each chunk is cut into
 * pieces worth about 10 ms of the rate, and each piece is scheduled after the time the
 * previous one costs; an idle pipe earns no credit, so a burst after a pause is paced too.
 * The pipe's read back-pressure keeps a slow fault from buffering the whole stream. A rate
 * of 0 holds every chunk until this fault (and no other) is removed or used up.
 */
final class BandwidthFault implements FaultUnit.DataHandling {

	private static final int MAX_PIECE = 64 * 1024;

	private final FaultContext fault;

	private final Direction direction;

	private final long rate;

	private final int pieceSize;

	/** When each direction may send its next byte, on the loop's clock. */
	private final StateKey<Pacing> pacing = StateKey.of(Pacing.class, Pacing::new);

	BandwidthFault(Bandwidth spec, FaultContext fault) {
		this.fault = fault;
		this.direction = spec.direction();
		this.rate = spec.rate();
		this.pieceSize = (int) Math.max(1, Math.min(MAX_PIECE, this.rate / 100));
	}

	@Override
	public String effect() {
		return (this.rate == 0) ? "held data until the fault goes" : "paced data at " + Values.formatSize(this.rate) + "/s";
	}

	@Override
	public boolean delaysData() {
		return true;
	}

	@Override
	public void onChunk(Flow flow, Chunk chunk, long now, List<Chunk> out) {
		if (!chunk.isData() || !this.direction.covers(flow.direction()) || !this.fault.tryFire(flow)) {
			out.add(chunk);
			return;
		}
		if (this.rate == 0) {
			chunk.hold(this);
			out.add(chunk);
			return;
		}
		Pacing pacing = flow.states().computeIfAbsent(this.pacing);
		if (!pacing.started) {
			pacing.started = true;
			pacing.nextFree = now;
		}
		long at = Math.max(chunk.releaseAt(), pacing.nextFree);
		while (chunk.size() > this.pieceSize) {
			Chunk piece = chunk.splitFirst(this.pieceSize);
			piece.delayUntil(this, at);
			out.add(piece);
			at += cost(this.pieceSize);
		}
		chunk.delayUntil(this, at);
		out.add(chunk);
		pacing.nextFree = at + cost(chunk.size());
	}

	private long cost(int bytes) {
		return (long) (bytes * 1_000_000_000.0 / this.rate);
	}

	private static final class Pacing {

		private boolean started;

		private long nextFree;

	}

}
