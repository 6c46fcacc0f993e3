package dev.dbfault.core.internal.fault;

import java.util.Arrays;
import java.util.List;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.Slicer;
import dev.dbfault.core.internal.text.Values;

/**
 * {@code slicer}: each chunk is cut into pieces of {@code averageSize} plus or minus
 * {@code sizeVariation} bytes, sent {@code delay} apart, so the peer reads messages in
 * fragments.
 */
final class SlicerFault implements FaultUnit.DataHandling {

	private final FaultContext fault;

	private final Direction direction;

	private final long averageSize;

	private final long sizeVariation;

	private final long delayNanos;

	private final String effect;

	SlicerFault(Slicer spec, FaultContext fault) {
		this.fault = fault;
		this.direction = spec.direction();
		this.averageSize = spec.averageSize();
		this.sizeVariation = spec.sizeVariation();
		this.delayNanos = spec.delay().toNanos();
		this.effect = "sliced into pieces of " + Values.formatSize(this.averageSize)
				+ ((this.sizeVariation > 0) ? " ± " + Values.formatSize(this.sizeVariation) : "")
				+ ((this.delayNanos > 0) ? ", " + Values.format(spec.delay()) + " apart" : "");
	}

	/**
	 * Notes the pieces of a chunk whose pieces are all due at once: a byte a piece rather
	 * than an object, however small the pieces.
	 */
	private void cut(Flow flow, Chunk chunk) {
		int left = chunk.size();
		byte[] lengths = new byte[(int) Math.min(left, Math.max(1, left / Math.max(1, this.averageSize - this.sizeVariation)))];
		int count = 0;
		while (true) {
			long size = this.averageSize;
			if (this.sizeVariation > 0) {
				size += this.fault.random(flow).nextLong(-this.sizeVariation, this.sizeVariation + 1);
			}
			int piece = (int) Math.max(1, Math.min(size, left));
			left -= piece;
			if (left <= 0) {
				break;
			}
			if (count == lengths.length) {
				lengths = Arrays.copyOf(lengths, lengths.length * 2);
			}
			lengths[count++] = (byte) piece;
		}
		if (count > 0) {
			chunk.cutInto((count == lengths.length) ? lengths : Arrays.copyOf(lengths, count));
		}
	}

	@Override
	public boolean drawsRandom() {
		return this.sizeVariation > 0;
	}

	@Override
	public String effect() {
		return this.effect;
	}

	@Override
	public boolean delaysData() {
		return this.delayNanos > 0;
	}

	@Override
	public void onChunk(Flow flow, Chunk chunk, long now, List<Chunk> out) {
		if (!chunk.isData() || !this.direction.covers(flow.direction()) || !this.fault.tryFire(flow)) {
			out.add(chunk);
			return;
		}
		if (this.delayNanos == 0 && this.averageSize + this.sizeVariation <= Chunk.MAX_PIECE) {
			cut(flow, chunk);
			out.add(chunk);
			return;
		}
		long at = chunk.releaseAt();
		while (true) {
			long size = this.averageSize;
			if (this.sizeVariation > 0) {
				size += this.fault.random(flow).nextLong(-this.sizeVariation, this.sizeVariation + 1);
			}
			if (size >= chunk.size()) {
				chunk.delayUntil(this, at);
				out.add(chunk);
				return;
			}
			Chunk piece = chunk.splitFirst((int) Math.max(1, size));
			piece.delayUntil(this, at);
			out.add(piece);
			at += this.delayNanos;
		}
	}

}
