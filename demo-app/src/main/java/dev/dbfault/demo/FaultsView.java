package dev.dbfault.demo;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.fault.ActiveFault;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the dashboard shows of dbfault: the faults in effect on the application's proxies,
 * the ones that came and went within a second, and the last ones to end (none of it when
 * dbfault is off).
 */
@Component
class FaultsView {

	private final ObjectProvider<DbFaultProxies> proxies;

	private final FaultHistory history;

	FaultsView(ObjectProvider<DbFaultProxies> proxies) {
		this.proxies = proxies;
		// the system clock, as the proxies use for ActiveFault.injectedAt()
		this.history = new FaultHistory(Clock.systemUTC());
		// the registry passes the listener on to proxies routed later, too
		proxies.ifAvailable((registry) -> registry.addListener(this.history));
	}

	/**
	 * Returns the faults to mark on the timeline for the second that just ended: those in
	 * effect now, and those that were injected or removed during it, however briefly they
	 * lived. Called once a second: each call starts a new second.
	 * @return the ids of conditions, and of actions that acted
	 */
	SecondOfFaults closeSecond() {
		FaultHistory.SecondMarks marks = this.history.drainSecond();
		Set<String> inEffect = new LinkedHashSet<>(activeFaultIds());
		inEffect.addAll(marks.touched());
		return new SecondOfFaults(List.copyOf(inEffect), marks.acted());
	}

	private List<String> activeFaultIds() {
		DbFaultProxies registry = this.proxies.getIfAvailable();
		if (registry == null) {
			return List.of();
		}
		return registry.proxies().stream().flatMap((proxy) -> proxy.faults().stream()).map(ActiveFault::id).toList();
	}

	/**
	 * Returns the last faults to end, newest first.
	 * @return at most {@link FaultHistory#RECENT} faults
	 */
	List<FaultHistory.EndedFault> recent() {
		return this.history.recent();
	}

	DbFaultProxies registry() {
		return this.proxies.getIfAvailable();
	}

	/**
	 * The faults of one second of the timeline.
	 *
	 * @param inEffect conditions in effect at some moment of the second
	 * @param acted actions that acted during the second
	 */
	record SecondOfFaults(List<String> inEffect, List<String> acted) {

	}

}
