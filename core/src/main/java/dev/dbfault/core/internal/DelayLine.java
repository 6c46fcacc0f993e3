package dev.dbfault.core.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.dbfault.core.internal.fault.Chunk;
import dev.dbfault.core.internal.fault.FaultUnit;
import dev.dbfault.core.internal.fault.Flow;

/**
 * One direction of one connection after the data faults: what it has to deliver, in order,
 * each chunk due at a time or held until its holder goes. Both transports keep one per
 * direction and differ only in who waits for the head and where its bytes go (the relay's
 * loop with a timer, an in-process connection's reading or writing thread on a condition).
 *
 * <pre>
 *  forward --&gt; pass: [fault 1 .. fault n] --&gt; line: [head ... tail] --drain(now)--&gt; sink (socket or driver)
 *                 each fault adds its share             only the head leaves, once due
 *                 of a chunk's delay
 * </pre>
 *
 * <p>Each chunk knows how much of its delay each fault added ({@link Chunk#delay}), so that
 * {@link #removeFault removing a fault} takes away exactly its share of every chunk waiting
 * here and lets go what it holds, while the other faults' delays stay; healing every fault
 * leaves nothing delayed. Chunks leave from the head only, so the order is TCP's whatever
 * each one's due time: one due before the chunk ahead of it leaves right after it.
 *
 * <p>Thread contract: one thread at a time, the one its connection lets in: the proxy's loop
 * for a relayed connection, the holder of an in-process connection's lock. Each method checks
 * it ({@code assert}, on in the tests). An empty line holds no buffer.
 */
final class DelayLine {

	private final BooleanSupplier owned;

	private ArrayDeque<Chunk> chunks;

	private long bytes;

	/**
	 * Creates an empty line.
	 * @param owned whether the calling thread may use the line now
	 */
	DelayLine(BooleanSupplier owned) {
		this.owned = owned;
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
		assert this.owned.getAsBoolean() : "a delay line used by a thread its connection did not let in";
		if (faults.length == 0) {
			add(chunk);
			return;
		}
		// a fault that threw last time may have left chunks of another connection behind
		first.clear();
		second.clear();
		List<Chunk> current = first;
		current.add(chunk);
		for (FaultUnit.DataHandling fault : faults) {
			List<Chunk> next = (current == first) ? second : first;
			for (int i = 0; i < current.size(); i++) {
				Chunk each = current.get(i);
				if (each.isHeld()) {
					// held until its holder goes: later faults let it be
					next.add(each);
				}
				else {
					fault.onChunk(flow, each, now, next);
				}
			}
			current.clear();
			current = next;
		}
		for (int i = 0; i < current.size(); i++) {
			add(current.get(i));
		}
		current.clear();
	}

	/**
	 * Queues a chunk behind the others, as it is.
	 * @param chunk the chunk
	 */
	void add(Chunk chunk) {
		assert this.owned.getAsBoolean() : "a delay line used by a thread its connection did not let in";
		if (this.chunks == null) {
			this.chunks = new ArrayDeque<>(4);
		}
		this.chunks.add(chunk);
		this.bytes += chunk.size();
	}

	boolean isEmpty() {
		return this.chunks == null || this.chunks.isEmpty();
	}

	/**
	 * Returns how many bytes wait here.
	 * @return the count
	 */
	long bytes() {
		return this.bytes;
	}

	/**
	 * Returns the head, due or not.
	 * @return the head, or {@code null} when the line is empty
	 */
	Chunk peek() {
		return (this.chunks != null) ? this.chunks.peek() : null;
	}

	/**
	 * Returns whether the head may leave now.
	 * @param now the time
	 * @return whether there is a head, neither held nor due later
	 */
	boolean isDue(long now) {
		Chunk head = peek();
		return head != null && !head.isHeld() && head.releaseAt() - now <= 0;
	}

	/**
	 * Returns whether the head waits for a time (not for its holder).
	 * @return whether there is a head that is not held
	 */
	boolean waitsForTime() {
		Chunk head = peek();
		return head != null && !head.isHeld();
	}

	/**
	 * Takes the head off the line.
	 * @return the head
	 */
	Chunk poll() {
		assert this.owned.getAsBoolean() : "a delay line used by a thread its connection did not let in";
		Chunk chunk = this.chunks.poll();
		this.bytes -= chunk.size();
		return chunk;
	}

	/**
	 * Notes that part of the head's data left.
	 * @param count how many bytes
	 */
	void consumed(int count) {
		this.bytes -= count;
	}

	/**
	 * Hands the sink every chunk that is due, head first, until the line is empty, its head
	 * is not due, or the sink takes no more.
	 * @param now the time
	 * @param sink where the chunks go
	 * @return whether the sink took everything that was due
	 */
	boolean drain(long now, Sink sink) {
		assert this.owned.getAsBoolean() : "a delay line used by a thread its connection did not let in";
		while (isDue(now)) {
			Chunk head = this.chunks.peek();
			int before = head.size();
			if (!sink.take(head)) {
				// the sink took part of it, or nothing: the rest leaves first, later
				this.bytes -= before - head.size();
				return false;
			}
			this.chunks.poll();
			this.bytes -= before;
		}
		return true;
	}

	/**
	 * Takes a removed fault's share of every chunk's delay and lets go what it holds.
	 * @param fault the fault's unit
	 * @param keepDelays whether the delays it added stay (a fault that used itself up leaves
	 * its last delays in place, and lets go only what it holds)
	 * @return whether any chunk is due earlier now
	 */
	boolean removeFault(Object fault, boolean keepDelays) {
		assert this.owned.getAsBoolean() : "a delay line used by a thread its connection did not let in";
		if (isEmpty()) {
			return false;
		}
		boolean changed = false;
		for (Chunk chunk : this.chunks) {
			changed |= chunk.removeShare(fault, keepDelays);
		}
		return changed;
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

	/**
	 * Where due chunks go: a socket, or a driver's receive buffer.
	 */
	@FunctionalInterface
	interface Sink {

		/**
		 * Takes a due chunk: its bytes (all of them, or as many as fit, counting them
		 * {@link Chunk#consumed consumed}), or acts on a marker.
		 * @param chunk the chunk
		 * @return whether it took the chunk whole and takes more now; {@code false} leaves the
		 * chunk (what is left of it) at the head and ends the drain
		 */
		boolean take(Chunk chunk);

	}

}
