package dev.dbfault.core.internal.fault;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What faults remember about one connection or one direction of it, each value under the
 * typed {@link StateKey} of the fault that keeps it. Allocated on first use, so a connection
 * no fault looks at holds nothing. Used on its connection's turn (the proxy's loop, or an
 * in-process connection's lock).
 */
public final class FaultStates {

	private Map<StateKey<?>, Object> states;

	/**
	 * Returns what a fault stored under its key.
	 * @param <T> the type of the state
	 * @param key the fault's key
	 * @return the state, or {@code null}
	 */
	public <T> T get(StateKey<T> key) {
		return (this.states != null) ? key.cast(this.states.get(key)) : null;
	}

	/**
	 * Returns what a fault stored under its key, storing a new state first if there is none.
	 * @param <T> the type of the state
	 * @param key the fault's key
	 * @return the state
	 */
	public <T> T computeIfAbsent(StateKey<T> key) {
		T state = get(key);
		if (state == null) {
			state = key.create();
			put(key, state);
		}
		return state;
	}

	public <T> void put(StateKey<T> key, T value) {
		if (this.states == null) {
			this.states = new IdentityHashMap<>(4);
		}
		this.states.put(key, value);
	}

	public <T> T remove(StateKey<T> key) {
		return (this.states != null) ? key.cast(this.states.remove(key)) : null;
	}

}
