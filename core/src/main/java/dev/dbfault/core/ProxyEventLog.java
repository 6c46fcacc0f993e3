package dev.dbfault.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.ActiveFault.Removal;
import dev.dbfault.core.fault.JournalEntry;
import dev.dbfault.core.internal.ProxyEvents;
import dev.dbfault.core.internal.RegisteredFault;

/**
 * Logs fault events and passes them to the listeners: one INFO line when a fault is
 * injected (or scheduled), when a scheduled one starts, when it first fires (later firings
 * at DEBUG) and when it is removed.
 */
final class ProxyEventLog implements ProxyEvents {

	private static final Logger logger = System.getLogger("dev.dbfault");

	private final FaultProxy proxy;

	private final List<FaultProxyListener> listeners;

	ProxyEventLog(FaultProxy proxy, List<FaultProxyListener> listeners) {
		this.proxy = proxy;
		this.listeners = listeners;
	}

	@Override
	public void injected(RegisteredFault fault) {
		logger.log(Level.INFO, () -> "dbfault [" + this.proxy.name() + "] "
				+ ((fault.state() == ActiveFault.State.SCHEDULED) ? "scheduled " : "injected ") + fault.id() + " "
				+ JournalEntry.printable(fault.spec().toMap().toString()) + " seed " + fault.seed()
				+ fault.startsAt().map((start) -> " to start at " + start).orElse(""));
		tell((listener) -> listener.faultInjected(this.proxy, fault));
	}

	@Override
	public void started(RegisteredFault fault) {
		logger.log(Level.INFO, () -> "dbfault [" + this.proxy.name() + "] started " + fault.id());
		tell((listener) -> listener.faultStarted(this.proxy, fault));
	}

	@Override
	public void fired(RegisteredFault fault) {
		long fired = fault.fired();
		logger.log((fired == 1) ? Level.INFO : Level.DEBUG,
				() -> "dbfault [" + this.proxy.name() + "] " + fault.id() + " fired (" + fired + ")");
		tell((listener) -> listener.faultFired(this.proxy, fault));
	}

	@Override
	public void removed(RegisteredFault fault, Removal reason) {
		logger.log(Level.INFO, () -> "dbfault [" + this.proxy.name() + "] removed " + fault.id() + " ("
				+ reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ", " + firedTimes(fault.fired())
				+ ")");
		tell((listener) -> listener.faultRemoved(this.proxy, fault, reason));
	}

	/**
	 * Tells every listener: one that fails is logged and passed over, so that it can neither
	 * stop the others nor leave a change half applied (listeners run on the proxy's loop,
	 * inside the change).
	 */
	private void tell(java.util.function.Consumer<FaultProxyListener> event) {
		for (FaultProxyListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, () -> "dbfault [" + this.proxy.name() + "] listener " + listener
						+ " failed; passed over", ex);
			}
		}
	}

	/**
	 * Says how often a fault fired, for log lines: {@code never fired}, {@code fired once},
	 * {@code fired 3 times}.
	 * @param fired the count
	 * @return the words
	 */
	static String firedTimes(long fired) {
		return (fired == 0) ? "never fired" : (fired == 1) ? "fired once" : "fired " + fired + " times";
	}

}
