package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.FaultSpec;

/**
 * {@code blackhole}: data vanishes in the fault's direction while both sockets stay open, as
 * in a network partition that sends no RST. A close still passes, so that a client that gives
 * up also ends the server's session.
 */
final class BlackholeFault implements FaultUnit.DataHandling {

	private final FaultContext fault;

	private final Direction direction;

	BlackholeFault(FaultSpec spec, FaultContext fault) {
		this.fault = fault;
		this.direction = spec.direction();
	}

	@Override
	public String effect() {
		return "dropped data";
	}

	@Override
	public void onChunk(Flow flow, Chunk chunk, long now, List<Chunk> out) {
		if (chunk.isData() && this.direction.covers(flow.direction()) && this.fault.tryFire(flow)) {
			return;
		}
		out.add(chunk);
	}

}
