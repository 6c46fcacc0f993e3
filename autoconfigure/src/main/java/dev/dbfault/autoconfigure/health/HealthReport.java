package dev.dbfault.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.ActiveFault;

/**
 * What {@code /actuator/health} says of dbfault, whichever Spring Boot line shows it: each
 * proxy, its connections and the faults in effect. UP whatever faults are in effect: they
 * are what the application is being tested against, so they must never take it out of a
 * load balancer or get it restarted. DOWN only when a proxy failed (an error it could not
 * survive stopped it): its DataSource reaches the database through it, and nothing does any
 * more.
 *
 * @param down whether a proxy failed
 * @param details the details to show
 */
record HealthReport(boolean down, Map<String, Object> details) {

	static HealthReport of(DbFaultProxies proxies) {
		Map<String, Object> byProxy = new LinkedHashMap<>();
		int activeFaults = 0;
		boolean failed = false;
		for (FaultProxy proxy : proxies.proxies()) {
			Map<String, Object> proxyDetails = new LinkedHashMap<>();
			proxyDetails.put("state", proxy.state().name().toLowerCase(Locale.ROOT));
			if (proxy.state() == FaultProxy.State.FAILED) {
				failed = true;
				proxyDetails.put("failure", proxy.failure().map(Throwable::toString).orElse(""));
			}
			proxyDetails.put("liveConnections", proxy.stats().liveConnections());
			proxyDetails.put("faults", proxy.faults().stream().map(ActiveFault::id).toList());
			activeFaults += proxy.faults().size();
			byProxy.put(proxy.name(), proxyDetails);
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("activeFaults", activeFaults);
		details.put("proxies", byProxy);
		return new HealthReport(failed, details);
	}

}
