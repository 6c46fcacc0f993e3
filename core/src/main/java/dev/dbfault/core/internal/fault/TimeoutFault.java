package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.internal.Chunk;
import dev.dbfault.core.internal.Link;
import dev.dbfault.core.internal.Pipe;
import dev.dbfault.core.internal.RegisteredFault;
import dev.dbfault.core.internal.Timer;

/**
 * {@code timeout}: on each connection it meets, data stops in the fault's direction and the
 * connection is closed {@code timeout} later (never, for 0). The clock starts when the fault
 * meets the connection, so idle connections time out too.
 */
final class TimeoutFault extends DataFault {

	/** Link state of a connection the fault holds but has no timer for. */
	private static final Object HELD = new Object();

	private final long timeoutNanos;

	TimeoutFault(RegisteredFault fault) {
		super(fault);
		this.timeoutNanos = fault.spec().durationParameter("timeout").toNanos();
	}

	@Override
	public void attach(Link link) {
		if (!this.fault.tryFire()) {
			return;
		}
		this.fault.effectStarted();
		Object state = HELD;
		if (this.timeoutNanos > 0) {
			state = link.loop().schedule(System.nanoTime() + this.timeoutNanos, link::close);
		}
		link.states().put(this.fault, state);
	}

	@Override
	public void onChunk(Pipe pipe, Chunk chunk, long now, List<Chunk> out) {
		if (chunk.isData() && appliesTo(pipe) && pipe.link().states().get(this.fault) != null) {
			return;
		}
		out.add(chunk);
	}

	@Override
	public void detach(Link link) {
		Object state = link.states().remove(this.fault);
		if (state != null) {
			if (state instanceof Timer timer) {
				timer.cancel();
			}
			this.fault.effectEnded();
		}
	}

}
