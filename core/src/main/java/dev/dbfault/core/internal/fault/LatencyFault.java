package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.internal.Chunk;
import dev.dbfault.core.internal.Pipe;
import dev.dbfault.core.internal.RegisteredFault;

/**
 * {@code latency}: each chunk of data is held for {@code latency} plus or minus a random
 * part of {@code jitter}. Chunks still leave in order: one held longer holds those behind it.
 */
final class LatencyFault extends DataFault {

	private final long latencyNanos;

	private final long jitterNanos;

	LatencyFault(RegisteredFault fault) {
		super(fault);
		this.latencyNanos = fault.spec().durationParameter("latency").toNanos();
		this.jitterNanos = fault.spec().durationParameter("jitter").toNanos();
	}

	@Override
	public boolean delaysData() {
		return true;
	}

	@Override
	public void onChunk(Pipe pipe, Chunk chunk, long now, List<Chunk> out) {
		if (chunk.isData() && appliesTo(pipe) && this.fault.tryFire()) {
			long delay = this.latencyNanos;
			if (this.jitterNanos > 0) {
				delay += this.fault.random().nextLong(-this.jitterNanos, this.jitterNanos + 1);
			}
			chunk.releaseAt(chunk.releaseAt() + Math.max(0, delay));
		}
		out.add(chunk);
	}

}
