package dev.dbfault.core.internal.fault;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.dbfault.core.fault.ReadOnly;
import dev.dbfault.core.fault.ReadOnlyScope;

/**
 * {@code read-only}: each connection the fault fires on is made read-only by the server
 * itself, so every write fails with {@code 25006} exactly as on a demoted primary, writes
 * inside functions included, and reads work. With {@code connections=existing} only the
 * connections open when the fault starts are; leaving a connection makes it writable again.
 */
final class ReadOnlyFault implements FaultUnit.Attaching, FaultUnit.Lifecycle {

	private final FaultContext fault;

	private final boolean existingOnly;

	/**
	 * The numbers of the connections open when the fault started ({@code existing}); read on
	 * each connection's turn.
	 */
	private final Set<Long> existing = ConcurrentHashMap.newKeySet();

	/** Whether the fault made a connection read-only. */
	private final StateKey<Boolean> made = StateKey.of(Boolean.class);

	ReadOnlyFault(ReadOnly spec, FaultContext fault) {
		this.fault = fault;
		this.existingOnly = spec.connections() == ReadOnlyScope.EXISTING;
	}

	@Override
	public String effect() {
		return "read-only: writes fail with 25006";
	}

	@Override
	public void injected() {
		if (this.existingOnly) {
			for (ProxiedConnection connection : this.fault.liveConnections()) {
				this.existing.add(connection.identity().number());
			}
		}
	}

	@Override
	public void attach(ProxiedConnection connection) {
		if (this.existingOnly && !this.existing.contains(connection.identity().number())) {
			return;
		}
		if (!this.fault.tryFire(connection)) {
			return;
		}
		connection.states().put(this.made, Boolean.TRUE);
		this.fault.effectStarted();
		connection.readOnly(this.fault, true);
	}

	@Override
	public void detach(ProxiedConnection connection) {
		this.existing.remove(connection.identity().number());
		if (connection.states().remove(this.made) != null) {
			connection.readOnly(this.fault, false);
			this.fault.effectEnded();
		}
	}

}
