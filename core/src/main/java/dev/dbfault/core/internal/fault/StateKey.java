package dev.dbfault.core.internal.fault;

import java.util.function.Supplier;

/**
 * The key under which one fault keeps a typed state in each connection's or direction's
 * {@link FaultStates}. Each fault unit creates its own keys, so two faults of one type never
 * share a state.
 *
 * @param <T> the type of the state
 */
public final class StateKey<T> {

	private final Class<T> type;

	private final Supplier<? extends T> factory;

	private StateKey(Class<T> type, Supplier<? extends T> factory) {
		this.type = type;
		this.factory = factory;
	}

	/**
	 * Creates a key for states of the given type that are stored explicitly.
	 * @param <T> the type of the state
	 * @param type the type of the state
	 * @return a new key
	 */
	public static <T> StateKey<T> of(Class<T> type) {
		return new StateKey<>(type, () -> {
			throw new IllegalStateException("no initial " + type.getSimpleName());
		});
	}

	/**
	 * Creates a key whose state is made on first use.
	 * @param <T> the type of the state
	 * @param type the type of the state
	 * @param factory makes the initial state
	 * @return a new key
	 */
	public static <T> StateKey<T> of(Class<T> type, Supplier<? extends T> factory) {
		return new StateKey<>(type, factory);
	}

	T cast(Object value) {
		return this.type.cast(value);
	}

	T create() {
		return this.factory.get();
	}

	@Override
	public String toString() {
		return "state of " + this.type.getSimpleName();
	}

}
