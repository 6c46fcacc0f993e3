package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.Latency;
import dev.dbfault.core.internal.text.Values;

/**
 * {@code latency}: each chunk of data is held for {@code latency} plus or minus a random
 * part of {@code jitter}. Chunks still leave in order: one held longer holds those behind it.
 */
final class LatencyFault implements FaultUnit.DataHandling {

	private final FaultContext fault;

	private final Direction direction;

	private final long latencyNanos;

	private final long jitterNanos;

	private final String effect;

	LatencyFault(Latency spec, FaultContext fault) {
		this.fault = fault;
		this.direction = spec.direction();
		this.latencyNanos = spec.latency().toNanos();
		this.jitterNanos = spec.jitter().toNanos();
		this.effect = "delayed " + Values.format(spec.latency())
				+ ((this.jitterNanos > 0) ? " ± " + Values.format(spec.jitter()) : "");
	}

	@Override
	public boolean drawsRandom() {
		return this.jitterNanos > 0;
	}

	@Override
	public String effect() {
		return this.effect;
	}

	@Override
	public boolean delaysData() {
		return true;
	}

	@Override
	public void onChunk(Flow flow, Chunk chunk, long now, List<Chunk> out) {
		if (chunk.isData() && this.direction.covers(flow.direction()) && this.fault.tryFire(flow)) {
			long delay = this.latencyNanos;
			if (this.jitterNanos > 0) {
				delay += this.fault.random(flow).nextLong(-this.jitterNanos, this.jitterNanos + 1);
			}
			chunk.delay(this, Math.max(0, delay));
		}
		out.add(chunk);
	}

}
