package dev.dbfault.core.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A fault injected into a proxy. Closing it removes the fault (healing what it does), so
 * try-with-resources scopes a fault to a block:
 *
 * <pre>{@code
 * try (ActiveFault blackhole = proxy.inject(Faults.blackhole())) {
 *     assertThatThrownBy(() -> jdbc.queryForObject("select 1", Integer.class)) ...
 * }
 * }</pre>
 *
 * <p>Thread-safe; the getters return live values.
 */
public interface ActiveFault extends AutoCloseable {

	/**
	 * Why a fault was removed.
	 */
	enum Removal {

		/** Removed through the API (or by closing its handle). */
		REMOVED,

		/** Removed by healing everything. */
		HEALED,

		/** Its {@code duration}, or the proxy's maximum, ran out. */
		EXPIRED,

		/** It fired {@code times} times. */
		USED_UP,

		/** An action that has acted on the live connections. */
		ACTED,

		/** The proxy stopped. */
		STOPPED

	}

	/**
	 * The state of a fault over its life.
	 */
	enum State {

		/**
		 * Injected with {@code startAfter}, which has not passed yet: it does nothing until
		 * {@link ActiveFault#startsAt()}.
		 */
		SCHEDULED,

		/** Firing on new events. */
		ACTIVE,

		/**
		 * Fired {@code times} times; what it started (a stalled connection, a pending
		 * timeout) goes on until it ends, then the fault is removed.
		 */
		EXHAUSTED,

		/** Gone: removed, expired, healed, used up, or an action that has acted. */
		REMOVED

	}

	/**
	 * Returns the id, unique within its proxy, such as {@code latency-3}.
	 * @return the id
	 */
	String id();

	/**
	 * Returns what was injected.
	 * @return the spec
	 */
	FaultSpec spec();

	default FaultType type() {
		return spec().type();
	}

	State state();

	/**
	 * Returns whether the fault is gone from its proxy: removed, expired, used up, or an
	 * action that has acted. An exhausted fault whose last effects still last is not.
	 * @return whether it was removed
	 */
	default boolean isRemoved() {
		return state() == State.REMOVED;
	}

	/**
	 * Returns how many events fired.
	 * @return the count
	 */
	long fired();

	/**
	 * Returns the seed of the fault's random choices: the one it was given, or the one its
	 * proxy chose. Injecting the same spec with {@code seed} set to it makes the same
	 * decisions on the same traffic.
	 * @return the seed, 0 to {@value FaultOptions#MAX_SEED}
	 */
	long seed();

	Instant injectedAt();

	/**
	 * Returns the id of the scenario this fault is a step of.
	 * @return the scenario's id, or empty for a fault injected on its own
	 */
	default Optional<String> scenario() {
		return Optional.empty();
	}

	/**
	 * Returns when a fault injected with {@code startAfter} starts, or started.
	 * @return the time, or empty for a fault that started when injected
	 */
	default Optional<Instant> startsAt() {
		return Optional.empty();
	}

	/**
	 * Returns the time until the fault expires on its own (for a scheduled fault, the wait
	 * for its start and its whole lifetime).
	 * @return the time left, or empty once removed
	 */
	Optional<Duration> timeLeft();

	/**
	 * Returns how the fault ended, once it has.
	 * @return why it was removed, or empty while it is in effect
	 */
	default Optional<Removal> removal() {
		return Optional.empty();
	}

	/**
	 * Removes the fault; does nothing when it is already gone. Never blocks for long.
	 */
	@Override
	void close();

}
