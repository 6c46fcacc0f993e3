package dev.dbfault.core.internal;

import dev.dbfault.core.fault.ActiveFault.Removal;

/**
 * What a {@link ProxyServer} reports about its faults; called on the loop.
 */
public interface ProxyEvents {

	/** Hears nothing: for a proxy whose faults nobody follows. */
	ProxyEvents NONE = new ProxyEvents() {

		@Override
		public void injected(RegisteredFault fault) {
		}

		@Override
		public void fired(RegisteredFault fault) {
		}

		@Override
		public void removed(RegisteredFault fault, Removal reason) {
		}

	};

	void injected(RegisteredFault fault);

	/**
	 * A fault injected with {@code startAfter} started; {@link #injected} was called when it
	 * was scheduled.
	 * @param fault the fault
	 */
	default void started(RegisteredFault fault) {
	}

	void fired(RegisteredFault fault);

	void removed(RegisteredFault fault, Removal reason);

}
