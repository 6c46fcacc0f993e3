package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.Timeout;
import dev.dbfault.core.internal.text.Values;

/**
 * {@code timeout}: on each connection it meets, data stops in the fault's direction and the
 * connection is closed {@code timeout} later (never, for 0). The clock starts when the fault
 * meets the connection, so idle connections time out too. Removing the fault closes the
 * connections it holds: their dropped data leaves the stream unusable, and Toxiproxy's
 * timeout toxic does the same.
 */
final class TimeoutFault implements FaultUnit.Attaching, FaultUnit.DataHandling {

	private final FaultContext fault;

	private final Direction direction;

	private final long timeoutNanos;

	private final String effect;

	/** A connection this fault holds, with the close to come (none for a timeout of 0). */
	private final StateKey<Held> held = StateKey.of(Held.class);

	TimeoutFault(Timeout spec, FaultContext fault) {
		this.fault = fault;
		this.direction = spec.direction();
		this.timeoutNanos = spec.timeout().toNanos();
		this.effect = "stopped " + this.direction.id() + " data"
				+ ((this.timeoutNanos > 0) ? ", closing in " + Values.format(spec.timeout()) : "");
	}

	@Override
	public String effect() {
		return this.effect;
	}

	@Override
	public void attach(ProxiedConnection connection) {
		if (!this.fault.tryFire(connection)) {
			return;
		}
		this.fault.effectStarted();
		Cancellable close = (this.timeoutNanos > 0) ? connection.schedule(this.timeoutNanos, connection::close) : null;
		connection.states().put(this.held, new Held(close));
	}

	@Override
	public void onChunk(Flow flow, Chunk chunk, long now, List<Chunk> out) {
		if (chunk.isData() && this.direction.covers(flow.direction())
				&& flow.connection().states().get(this.held) != null) {
			return;
		}
		out.add(chunk);
	}

	@Override
	public void detach(ProxiedConnection connection) {
		Held held = connection.states().remove(this.held);
		if (held != null) {
			if (held.close != null) {
				held.close.cancel();
			}
			// a no-op when the connection is already closing
			connection.close();
			this.fault.effectEnded();
		}
	}

	private record Held(Cancellable close) {
	}

}
