package dev.dbfault.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.ActiveFault;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Shows dbfault's state on {@code /actuator/health}: each proxy, its connections and the
 * faults in effect. UP whatever faults are in effect: they are what the application is being
 * tested against, so they must never take it out of a load balancer or get it restarted.
 * DOWN only when a proxy failed (an error it could not survive stopped it): its DataSource
 * reaches the database through it, and nothing does any more.
 */
public class DbFaultHealthIndicator implements HealthIndicator {

	private final DbFaultProxies proxies;

	public DbFaultHealthIndicator(DbFaultProxies proxies) {
		this.proxies = proxies;
	}

	@Override
	public Health health() {
		Map<String, Object> details = new LinkedHashMap<>();
		int activeFaults = 0;
		boolean failed = false;
		for (FaultProxy proxy : this.proxies.proxies()) {
			Map<String, Object> proxyDetails = new LinkedHashMap<>();
			proxyDetails.put("state", proxy.state().name().toLowerCase(Locale.ROOT));
			if (proxy.state() == FaultProxy.State.FAILED) {
				failed = true;
				proxyDetails.put("failure", proxy.failure().map(Throwable::toString).orElse(""));
			}
			proxyDetails.put("liveConnections", proxy.stats().liveConnections());
			proxyDetails.put("faults", proxy.faults().stream().map(ActiveFault::id).toList());
			activeFaults += proxy.faults().size();
			details.put(proxy.name(), proxyDetails);
		}
		return (failed ? Health.down() : Health.up()).withDetail("activeFaults", activeFaults).withDetail("proxies", details).build();
	}

}
