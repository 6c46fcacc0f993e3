package dev.dbfault.core.internal.fault;

import java.util.List;

import dev.dbfault.core.FaultSpec;
import dev.dbfault.core.internal.Chunk;
import dev.dbfault.core.internal.Link;
import dev.dbfault.core.internal.Pipe;
import dev.dbfault.core.internal.RegisteredFault;
import dev.dbfault.core.internal.pg.StatementDecision;

/**
 * What one fault type does. One instance serves every connection of its proxy: settings
 * come from the spec, per-connection state lives in the {@link Link} or {@link Pipe}
 * (keyed by the fault). Every hook runs on the proxy's loop.
 *
 * <p>Hooks, in the order a fault meets them: {@link #injected()} once, {@link #attach} for
 * each live connection and each new one ({@link #admit} first for new ones), {@link #onChunk}
 * for data passing, {@link #detach} when a connection ends or the fault goes, then
 * {@link #removed()} once.
 */
public abstract class FaultBehaviour {

	/**
	 * What happens to a new connection.
	 */
	public enum Admission {

		/** Connect it upstream. */
		CONNECT,

		/** Reset it at once. */
		REFUSE,

		/** Keep it accepted but never connect it upstream, until the fault goes. */
		STALL

	}

	protected final RegisteredFault fault;

	protected FaultBehaviour(RegisteredFault fault) {
		this.fault = fault;
	}

	/**
	 * Creates the behaviour of a fault's type.
	 * @param fault the fault
	 * @return its behaviour
	 */
	public static FaultBehaviour create(RegisteredFault fault) {
		return switch (fault.spec().type()) {
			case RESET -> new ResetFault(fault);
			case CLOSE -> new CloseFault(fault);
			case REFUSE -> new RefuseFault(fault);
			case DOWN -> new DownFault(fault);
			case BLACKHOLE -> new BlackholeFault(fault);
			case STALL_CONNECT -> new StallConnectFault(fault);
			case LATENCY -> new LatencyFault(fault);
			case BANDWIDTH -> new BandwidthFault(fault);
			case SLOW_CLOSE -> new SlowCloseFault(fault);
			case TIMEOUT -> new TimeoutFault(fault);
			case RESET_PEER -> new ResetPeerFault(fault);
			case SLICER -> new SlicerFault(fault);
			case LIMIT_DATA -> new LimitDataFault(fault);
			case SQL_ERROR -> new SqlErrorFault(fault);
			case SQL_LATENCY -> new SqlLatencyFault(fault);
			case DROP_ON -> new DropOnFault(fault);
			case DROP_AFTER_ROWS -> new DropAfterRowsFault(fault);
			case TERMINATE -> new TerminateFault(fault);
		};
	}

	protected final FaultSpec spec() {
		return this.fault.spec();
	}

	/**
	 * Returns whether this fault looks at data in {@link #onChunk}.
	 * @return whether it handles chunks
	 */
	public boolean handlesChunks() {
		return false;
	}

	/**
	 * Returns whether this fault looks at SQL statements in {@link #onStatement}.
	 * @return whether it handles statements
	 */
	public boolean handlesStatements() {
		return false;
	}

	/**
	 * Adds this fault's part to what happens to a statement about to run, if it matches and
	 * fires.
	 * @param decision the statement and the decision so far
	 */
	public void onStatement(StatementDecision decision) {
	}

	/**
	 * Returns whether data this fault held back is released at once when it is removed.
	 * @return whether it delays data
	 */
	public boolean delaysData() {
		return false;
	}

	/**
	 * Called once when the fault is injected, before it meets the live connections.
	 */
	public void injected() {
	}

	/**
	 * Decides what happens to a new connection, before {@link #attach}.
	 * @param link the new connection
	 * @return the decision
	 */
	public Admission admit(Link link) {
		return Admission.CONNECT;
	}

	/**
	 * The fault meets a connection: a live one at injection, or a new one.
	 * @param link the connection
	 */
	public void attach(Link link) {
	}

	/**
	 * The fault leaves a connection: the connection ended or the fault is being removed.
	 * @param link the connection
	 */
	public void detach(Link link) {
	}

	/**
	 * Called once when the fault is removed, after it left every connection.
	 */
	public void removed() {
	}

	/**
	 * Acts on one live connection (actions only).
	 * @param link the connection
	 */
	public void act(Link link) {
	}

	/**
	 * Handles a chunk on its way through a pipe and adds what passes to {@code out}.
	 * @param pipe the pipe
	 * @param chunk the chunk
	 * @param now the current {@link System#nanoTime()}
	 * @param out where passing chunks go, in order
	 */
	public void onChunk(Pipe pipe, Chunk chunk, long now, List<Chunk> out) {
		out.add(chunk);
	}

	/**
	 * Returns whether this fault acts on data flowing through the given pipe.
	 * @param pipe the pipe
	 * @return whether the fault's direction covers it
	 */
	protected final boolean appliesTo(Pipe pipe) {
		return spec().direction().covers(pipe.direction());
	}

}
