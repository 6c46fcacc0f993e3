package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.LimitData;
import dev.dbfault.core.internal.text.Values;

/**
 * {@code limit-data}: a connection is closed once {@code bytes} bytes have passed in the
 * fault's direction (counted per direction). The bytes up to the limit are delivered first.
 */
final class LimitDataFault implements FaultUnit.DataHandling {

	private final FaultContext fault;

	private final Direction direction;

	private final long limit;

	/** Bytes that passed in one direction. */
	private final StateKey<Passed> passed = StateKey.of(Passed.class, Passed::new);

	/** Set on a connection that reached the limit but was spared by after or probability. */
	private final StateKey<Boolean> spared = StateKey.of(Boolean.class);

	LimitDataFault(LimitData spec, FaultContext fault) {
		this.fault = fault;
		this.direction = spec.direction();
		this.limit = spec.bytes();
	}

	@Override
	public String effect() {
		return "closed after " + Values.formatSize(this.limit);
	}

	@Override
	public void onChunk(Flow flow, Chunk chunk, long now, List<Chunk> out) {
		if (!chunk.isData() || !this.direction.covers(flow.direction())
				|| flow.connection().states().get(this.spared) != null || !this.fault.aimsAt(flow.connection())) {
			out.add(chunk);
			return;
		}
		Passed passed = flow.states().computeIfAbsent(this.passed);
		long allowed = this.limit - passed.bytes;
		if (chunk.size() < allowed) {
			passed.bytes += chunk.size();
			out.add(chunk);
			return;
		}
		if (!this.fault.tryFire(flow.connection())) {
			flow.connection().states().put(this.spared, Boolean.TRUE);
			out.add(chunk);
			return;
		}
		if (allowed > 0) {
			out.add((allowed < chunk.size()) ? chunk.splitFirst((int) allowed) : chunk);
			passed.bytes = this.limit;
		}
		out.add(Chunk.markerBehind(Chunk.Kind.CLOSE, chunk));
	}

	private static final class Passed {

		private long bytes;

	}

}
