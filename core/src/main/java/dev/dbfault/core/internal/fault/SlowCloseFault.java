package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.internal.Chunk;
import dev.dbfault.core.internal.Pipe;
import dev.dbfault.core.internal.RegisteredFault;

/**
 * {@code slow-close}: when one side closes, its FIN reaches the other side {@code delay}
 * later; data keeps flowing normally.
 */
final class SlowCloseFault extends DataFault {

	private final long delayNanos;

	SlowCloseFault(RegisteredFault fault) {
		super(fault);
		this.delayNanos = fault.spec().durationParameter("delay").toNanos();
	}

	@Override
	public boolean delaysData() {
		return true;
	}

	@Override
	public void onChunk(Pipe pipe, Chunk chunk, long now, List<Chunk> out) {
		if (chunk.kind() == Chunk.Kind.EOF && appliesTo(pipe) && this.fault.tryFire()) {
			chunk.releaseAt(chunk.releaseAt() + this.delayNanos);
		}
		out.add(chunk);
	}

}
