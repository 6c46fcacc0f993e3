package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.internal.Chunk;
import dev.dbfault.core.internal.Pipe;
import dev.dbfault.core.internal.RegisteredFault;

/**
 * {@code slicer}: each chunk is cut into pieces of {@code averageSize} plus or minus
 * {@code sizeVariation} bytes, sent {@code delay} apart, so the peer reads messages in
 * fragments.
 */
final class SlicerFault extends DataFault {

	private final long averageSize;

	private final long sizeVariation;

	private final long delayNanos;

	SlicerFault(RegisteredFault fault) {
		super(fault);
		this.averageSize = fault.spec().longParameter("averageSize");
		this.sizeVariation = fault.spec().longParameter("sizeVariation");
		this.delayNanos = fault.spec().durationParameter("delay").toNanos();
	}

	@Override
	public boolean delaysData() {
		return this.delayNanos > 0;
	}

	@Override
	public void onChunk(Pipe pipe, Chunk chunk, long now, List<Chunk> out) {
		if (!chunk.isData() || !appliesTo(pipe) || !this.fault.tryFire()) {
			out.add(chunk);
			return;
		}
		long at = chunk.releaseAt();
		while (true) {
			long size = this.averageSize;
			if (this.sizeVariation > 0) {
				size += this.fault.random().nextLong(-this.sizeVariation, this.sizeVariation + 1);
			}
			if (size >= chunk.size()) {
				chunk.releaseAt(at);
				out.add(chunk);
				return;
			}
			Chunk piece = chunk.splitFirst((int) Math.max(1, size));
			piece.releaseAt(at);
			out.add(piece);
			at += this.delayNanos;
		}
	}

}
