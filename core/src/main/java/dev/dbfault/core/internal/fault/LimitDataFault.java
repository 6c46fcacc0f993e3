package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.internal.Chunk;
import dev.dbfault.core.internal.Pipe;
import dev.dbfault.core.internal.RegisteredFault;

/**
 * {@code limit-data}: a connection is closed once {@code bytes} bytes have passed in the
 * fault's direction (counted per direction). The bytes up to the limit are delivered first.
 */
final class LimitDataFault extends DataFault {

	/** Link state of a connection that reached the limit but was spared by after/probability. */
	private static final Object SPARED = new Object();

	private final long limit;

	LimitDataFault(RegisteredFault fault) {
		super(fault);
		this.limit = fault.spec().longParameter("bytes");
	}

	@Override
	public void onChunk(Pipe pipe, Chunk chunk, long now, List<Chunk> out) {
		if (!chunk.isData() || !appliesTo(pipe) || pipe.link().states().get(this.fault) == SPARED) {
			out.add(chunk);
			return;
		}
		long[] passed = (long[]) pipe.states().get(this.fault);
		if (passed == null) {
			passed = new long[1];
			pipe.states().put(this.fault, passed);
		}
		long allowed = this.limit - passed[0];
		if (chunk.size() < allowed) {
			passed[0] += chunk.size();
			out.add(chunk);
			return;
		}
		if (!this.fault.tryFire()) {
			pipe.link().states().put(this.fault, SPARED);
			out.add(chunk);
			return;
		}
		if (allowed > 0) {
			out.add(chunk.splitFirst((int) allowed));
			passed[0] = this.limit;
		}
		out.add(Chunk.marker(Chunk.Kind.CLOSE, chunk.releaseAt()));
	}

}
