package dev.dbfault.autoconfigure.health;

import dev.dbfault.autoconfigure.DbFaultProxies;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Shows dbfault's state on {@code /actuator/health}: each proxy, its connections and the
 * faults in effect; UP whatever faults are in effect, DOWN only when a proxy failed (see
 * {@link HealthReport}, which this Spring Boot line's indicator shows).
 */
public class DbFaultHealthIndicator implements HealthIndicator {

	private final DbFaultProxies proxies;

	public DbFaultHealthIndicator(DbFaultProxies proxies) {
		this.proxies = proxies;
	}

	@Override
	public Health health() {
		HealthReport report = HealthReport.of(this.proxies);
		return (report.down() ? Health.down() : Health.up()).withDetails(report.details()).build();
	}

}
