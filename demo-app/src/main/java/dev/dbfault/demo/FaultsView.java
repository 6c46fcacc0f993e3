package dev.dbfault.demo;

import java.util.List;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.ActiveFault;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the dashboard shows of dbfault: the faults in effect on the application's proxies
 * (none when dbfault is off).
 */
@Component
class FaultsView {

	private final ObjectProvider<DbFaultProxies> proxies;

	FaultsView(ObjectProvider<DbFaultProxies> proxies) {
		this.proxies = proxies;
	}

	List<String> activeFaultIds() {
		DbFaultProxies registry = this.proxies.getIfAvailable();
		if (registry == null) {
			return List.of();
		}
		return registry.proxies().stream().flatMap((proxy) -> proxy.faults().stream()).map(ActiveFault::id).toList();
	}

	DbFaultProxies registry() {
		return this.proxies.getIfAvailable();
	}

}
