package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.SlowClose;
import dev.dbfault.core.internal.text.Values;

/**
 * {@code slow-close}: when one side closes, its FIN reaches the other side {@code delay}
 * later; data keeps flowing normally.
 */
final class SlowCloseFault implements FaultUnit.DataHandling {

	private final FaultContext fault;

	private final Direction direction;

	private final long delayNanos;

	private final String effect;

	SlowCloseFault(SlowClose spec, FaultContext fault) {
		this.fault = fault;
		this.direction = spec.direction();
		this.delayNanos = spec.delay().toNanos();
		this.effect = "held the close " + Values.format(spec.delay());
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
		if (chunk.kind() == Chunk.Kind.EOF && this.direction.covers(flow.direction()) && this.fault.tryFire(flow)) {
			chunk.delay(this, this.delayNanos);
		}
		out.add(chunk);
	}

}
