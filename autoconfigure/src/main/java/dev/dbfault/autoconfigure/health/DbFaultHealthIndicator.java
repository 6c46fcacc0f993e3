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
 * faults in effect. Always UP: injected faults are what the application is being tested
 * against, so they must never take it out of a load balancer or get it restarted.
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
		for (FaultProxy proxy : this.proxies.proxies()) {
			Map<String, Object> proxyDetails = new LinkedHashMap<>();
			proxyDetails.put("state", proxy.state().name().toLowerCase(Locale.ROOT));
			proxyDetails.put("liveConnections", proxy.stats().liveConnections());
			proxyDetails.put("faults", proxy.faults().stream().map(ActiveFault::id).toList());
			activeFaults += proxy.faults().size();
			details.put(proxy.name(), proxyDetails);
		}
		return Health.up().withDetail("activeFaults", activeFaults).withDetail("proxies", details).build();
	}

}
