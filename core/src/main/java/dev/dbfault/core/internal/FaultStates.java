package dev.dbfault.core.internal;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What faults remember about one connection or one direction of it, keyed by the fault.
 * Allocated on first use, so a connection no fault looks at holds nothing. Loop only.
 */
public final class FaultStates {

	private Map<Object, Object> states;

	/**
	 * Returns what a fault stored.
	 * @param key the fault
	 * @return the state, or {@code null}
	 */
	public Object get(Object key) {
		return (this.states != null) ? this.states.get(key) : null;
	}

	public void put(Object key, Object value) {
		if (this.states == null) {
			this.states = new IdentityHashMap<>(4);
		}
		this.states.put(key, value);
	}

	public Object remove(Object key) {
		return (this.states != null) ? this.states.remove(key) : null;
	}

}
