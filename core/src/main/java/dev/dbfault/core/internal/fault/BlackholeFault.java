package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.internal.Chunk;
import dev.dbfault.core.internal.Pipe;
import dev.dbfault.core.internal.RegisteredFault;

/**
 * {@code blackhole}: data vanishes in the fault's direction while both sockets stay open, as
 * in a network partition that sends no RST. A close still passes, so that a client that gives
 * up also ends the server's session.
 */
final class BlackholeFault extends DataFault {

	BlackholeFault(RegisteredFault fault) {
		super(fault);
	}

	@Override
	public void onChunk(Pipe pipe, Chunk chunk, long now, List<Chunk> out) {
		if (chunk.isData() && appliesTo(pipe) && this.fault.tryFire()) {
			return;
		}
		out.add(chunk);
	}

}
