package dev.dbfault.core.internal;

import java.util.ArrayDeque;
import java.util.List;

import dev.dbfault.core.internal.fault.Chunk;
import dev.dbfault.core.internal.fault.Flow;
import dev.dbfault.core.internal.fault.FaultUnit;

/**
 * What one direction of a connection has to deliver, in order, after the data faults: data
 * and markers, each due at a time or held until its holder goes. Both transports keep one
 * per direction. An empty queue holds no buffer. Not thread-safe: its connection guards it.
 */
final class ChunkQueue {

	private ArrayDeque<Chunk> chunks;

	private long bytes;

	private long lastReleaseAt;

	ChunkQueue(long now) {
		this.lastReleaseAt = now;
	}

	/**
	 * Passes a chunk through the data faults, in injection order, and queues what comes out.
	 * @param faults the faults
	 * @param flow the direction
	 * @param chunk the chunk
	 * @param now the time
	 * @param first a scratch list, empty
	 * @param second another scratch list, empty
	 */
	void pass(FaultUnit.DataHandling[] faults, Flow flow, Chunk chunk, long now, List<Chunk> first,
			List<Chunk> second) {
		List<Chunk> current = first;
		current.add(chunk);
		for (FaultUnit.DataHandling fault : faults) {
			List<Chunk> next = (current == first) ? second : first;
			for (Chunk each : current) {
				if (each.isHeld()) {
					// held until its holder goes: the faults after it see it when it is let go
					next.add(each);
				}
				else {
					fault.onChunk(flow, each, now, next);
				}
			}
			current.clear();
			current = next;
		}
		for (Chunk each : current) {
			add(each);
		}
		current.clear();
	}

	boolean isEmpty() {
		return this.chunks == null || this.chunks.isEmpty();
	}

	long bytes() {
		return this.bytes;
	}

	void add(Chunk chunk) {
		if (this.chunks == null) {
			this.chunks = new ArrayDeque<>(4);
		}
		// TCP never reorders: a chunk leaves no earlier than the one before it (the queue is
		// first in, first out, so none leaves before a held one either)
		if (!chunk.isHeld()) {
			if (chunk.releaseAt() - this.lastReleaseAt < 0) {
				chunk.releaseAt(this.lastReleaseAt);
			}
			this.lastReleaseAt = chunk.releaseAt();
		}
		this.chunks.add(chunk);
		this.bytes += chunk.size();
	}

	Chunk peek() {
		return (this.chunks != null) ? this.chunks.peek() : null;
	}

	/**
	 * Takes the head chunk off the queue.
	 * @return the chunk
	 */
	Chunk poll() {
		Chunk chunk = this.chunks.poll();
		this.bytes -= chunk.size();
		return chunk;
	}

	/**
	 * Notes that part of the head chunk's data left.
	 * @param count how many bytes
	 */
	void consumed(int count) {
		this.bytes -= count;
	}

	/**
	 * Lets go what a removed fault held: the chunks it holds, and, with {@code delays}, every
	 * chunk delayed by time (its delay is over with it).
	 * @param holder the removed fault's unit
	 * @param delays whether chunks delayed by time are due now too
	 * @param now the time
	 */
	void releaseHeld(Object holder, boolean delays, long now) {
		if (isEmpty()) {
			return;
		}
		for (Chunk chunk : this.chunks) {
			chunk.releaseIfHeldBy(holder);
			if (delays && !chunk.isHeld() && chunk.releaseAt() - now > 0) {
				chunk.releaseAt(now);
			}
		}
		if (delays && this.lastReleaseAt - now > 0) {
			this.lastReleaseAt = now;
		}
	}

	/**
	 * Drops every queued byte, keeping the markers.
	 */
	void discardData() {
		if (this.chunks != null) {
			this.chunks.removeIf(Chunk::isData);
			this.bytes = 0;
		}
	}

	/**
	 * Drops everything.
	 */
	void clear() {
		if (this.chunks != null) {
			this.chunks.clear();
			this.bytes = 0;
		}
	}

}
