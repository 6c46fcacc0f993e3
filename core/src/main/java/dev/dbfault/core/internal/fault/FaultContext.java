package dev.dbfault.core.internal.fault;

import java.util.Collection;
import java.util.random.RandomGenerator;

/**
 * What a fault unit sees of the fault it is the behaviour of, and of the proxy it lives in:
 * the counting of its events, its random source, the clock and the proxy's listener. Loop
 * only, like every hook of a unit.
 */
public interface FaultContext {

	/**
	 * Returns the fault's id, for messages.
	 * @return the id
	 */
	String id();

	/**
	 * Returns the name of the proxy, for messages.
	 * @return the proxy's name
	 */
	String proxyName();

	/**
	 * Decides whether one chunk of a flow fires: as {@link #tryFire(ProxiedConnection)} for
	 * each chunk, or, when the fault samples per connection, once for the flow's first chunk
	 * its target matches, whose decision then holds for every later chunk of that flow.
	 * @param flow the flow the chunk is on
	 * @return whether the fault acts on this chunk
	 */
	boolean tryFire(Flow flow);

	/**
	 * Decides whether one event on a connection fires: the fault's target must match it,
	 * then the first {@code after} events pass, {@code probability} is sampled and
	 * {@code times} stops it. A firing is journaled.
	 * @param connection the connection the event is on
	 * @return whether the fault acts on this event
	 */
	boolean tryFire(ProxiedConnection connection);

	/**
	 * Decides whether a statement whose SQL matched fires, as
	 * {@link #tryFire(ProxiedConnection)} does on its connection, its statement target
	 * ({@code inTransaction}, {@code statementIndex}) matching too.
	 * @param statement the statement
	 * @return whether the fault acts on it
	 */
	boolean tryFire(StatementDecision statement);

	/**
	 * Returns whether the fault's target takes in a connection (always, for a fault aimed at
	 * no one in particular): a connection it does not take in must be left alone, as if the
	 * fault were not there.
	 * @param connection the connection
	 * @return whether the fault aims at it
	 */
	boolean aimsAt(ProxiedConnection connection);

	/**
	 * Returns the random source of this fault's choices on one direction of a connection
	 * (jitter, piece sizes): made from the fault's seed and the connection's number, so the
	 * same traffic gets the same choices.
	 * @param flow the direction of the connection
	 * @return the random source
	 */
	RandomGenerator random(Flow flow);

	/**
	 * Returns the clock the proxy's loop runs on.
	 * @return the clock
	 */
	Clock clock();

	/**
	 * Notes that a fired event started something lasting (a stalled connection, a pending
	 * timeout) that keeps an exhausted fault alive until {@link #effectEnded()}.
	 */
	void effectStarted();

	/**
	 * Notes that something {@link #effectStarted()} began has ended.
	 */
	void effectEnded();

	/**
	 * Closes the proxy's listening socket, so that new connections are refused by the
	 * kernel, until {@link #openListener()}.
	 */
	void closeListener();

	/**
	 * Binds the proxy's listening socket again on the same address.
	 */
	void openListener();

	/**
	 * Returns the connections open now.
	 * @return a snapshot of the live connections
	 */
	Collection<? extends ProxiedConnection> liveConnections();

}
