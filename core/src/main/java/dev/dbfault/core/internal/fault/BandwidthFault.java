package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.internal.Chunk;
import dev.dbfault.core.internal.Pipe;
import dev.dbfault.core.internal.RegisteredFault;

/**
 * {@code bandwidth}: data leaves at {@code rate} bytes per second. Each chunk is cut into
 * pieces worth about 10 ms of the rate, and each piece is scheduled after the time the
 * previous one costs; an idle pipe earns no credit, so a burst after a pause is paced too.
 * The pipe's read back-pressure keeps a slow fault from buffering the whole stream.
 */
final class BandwidthFault extends DataFault {

	private static final int MAX_PIECE = 64 * 1024;

	private final long rate;

	private final int pieceSize;

	BandwidthFault(RegisteredFault fault) {
		super(fault);
		this.rate = fault.spec().longParameter("rate");
		this.pieceSize = (int) Math.max(1, Math.min(MAX_PIECE, this.rate / 100));
	}

	@Override
	public boolean delaysData() {
		return true;
	}

	@Override
	public void onChunk(Pipe pipe, Chunk chunk, long now, List<Chunk> out) {
		if (!chunk.isData() || !appliesTo(pipe) || !this.fault.tryFire()) {
			out.add(chunk);
			return;
		}
		long[] nextFree = (long[]) pipe.states().get(this.fault);
		if (nextFree == null) {
			nextFree = new long[] { now };
			pipe.states().put(this.fault, nextFree);
		}
		long at = Math.max(chunk.releaseAt(), nextFree[0]);
		while (chunk.size() > this.pieceSize) {
			Chunk piece = chunk.splitFirst(this.pieceSize);
			piece.releaseAt(at);
			out.add(piece);
			at += cost(this.pieceSize);
		}
		chunk.releaseAt(at);
		out.add(chunk);
		nextFree[0] = at + cost(chunk.size());
	}

	private long cost(int bytes) {
		return (long) (bytes * 1_000_000_000.0 / this.rate);
	}

}
