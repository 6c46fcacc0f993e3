package dev.dbfault.core.internal.fault;

import java.util.List;

/**
 * The behaviour of one fault: what it does, written against a {@link FaultContext} and the
 * connections, data and statements it meets. One unit serves every connection of its
 * proxy; what it keeps per connection lives in the connection's {@link FaultStates}. A
 * connection's hooks run one at a time: on the proxy's loop for a relayed connection, on the
 * JDBC driver's thread under the connection's lock for an in-process one. Hooks of different
 * connections may therefore run at once: what a unit holds across connections must be
 * thread-safe, and no hook may block.
 *
 * <p>A unit has only the abilities it implements, each a small interface below. In the
 * order a fault meets them: {@link Lifecycle#injected()} once; {@link Admitting#admit} for
 * each new connection; {@link Attaching#attach} for each live connection and each new one;
 * {@link Action#act} on each live connection (actions, which then end); {@link DataHandling}
 * for data passing and {@link StatementHandling} for statements about to run;
 * {@link Attaching#detach} when a connection ends or the fault goes; then
 * {@link Lifecycle#removed()} once.
 */
public interface FaultUnit {

	/**
	 * Says what the fault does when it fires, for its proxy's journal: {@code RST},
	 * {@code delayed 200ms}, {@code 40001 instead of the statement}.
	 * @return the words
	 */
	String effect();

	/**
	 * Returns whether the unit draws random choices of its own from
	 * {@link FaultContext#random(Flow)} (jitter, piece sizes), so that its fault numbers the
	 * connections it meets even with no {@code probability} to sample.
	 * @return whether it draws
	 */
	default boolean drawsRandom() {
		return false;
	}

	/**
	 * A unit that does something when injected or removed.
	 */
	interface Lifecycle extends FaultUnit {

		/**
		 * Called once when the fault is injected, before it meets the live connections.
		 */
		default void injected() {
		}

		/**
		 * Called once when the fault is removed, after it left every connection.
		 */
		default void removed() {
		}

	}

	/**
	 * A unit that acts once on every live connection, then is gone.
	 */
	interface Action extends FaultUnit {

		/**
		 * Acts on one live connection.
		 * @param connection the connection
		 */
		void act(ProxiedConnection connection);

	}

	/**
	 * A unit that decides what happens to new connections.
	 */
	interface Admitting extends FaultUnit {

		/**
		 * Decides what happens to a new connection, before it is attached.
		 * @param connection the new connection
		 * @return the decision
		 */
		Admission admit(ProxiedConnection connection);

	}

	/**
	 * What happens to a new connection.
	 */
	enum Admission {

		/** Connect it upstream. */
		CONNECT,

		/** Reset it at once. */
		REFUSE,

		/** Keep it accepted but never connect it upstream, until the fault goes. */
		STALL

	}

	/**
	 * A unit that keeps something for each connection it meets.
	 */
	interface Attaching extends FaultUnit {

		/**
		 * The fault meets a connection: a live one at injection, or a new one.
		 * @param connection the connection
		 */
		void attach(ProxiedConnection connection);

		/**
		 * The fault leaves a connection: the connection ended or the fault is being removed.
		 * @param connection the connection
		 */
		void detach(ProxiedConnection connection);

	}

	/**
	 * A unit that sees every chunk of data on its way through a connection.
	 */
	interface DataHandling extends FaultUnit {

		/**
		 * Handles a chunk on its way through one direction and adds what passes to
		 * {@code out}.
		 * @param flow the direction it flows in
		 * @param chunk the chunk
		 * @param now the current time of the loop's {@link Clock}
		 * @param out where passing chunks go, in order
		 */
		void onChunk(Flow flow, Chunk chunk, long now, List<Chunk> out);

		/**
		 * Returns whether data this fault held back is released at once when it is removed.
		 * @return whether it delays data
		 */
		default boolean delaysData() {
			return false;
		}

	}

	/**
	 * A unit that sees every SQL statement about to run (PostgreSQL proxies only).
	 */
	interface StatementHandling extends FaultUnit {

		/**
		 * Adds this fault's part to what happens to a statement about to run, if it matches
		 * and fires.
		 * @param decision the statement and the decision so far
		 */
		void onStatement(StatementDecision decision);

	}

}
