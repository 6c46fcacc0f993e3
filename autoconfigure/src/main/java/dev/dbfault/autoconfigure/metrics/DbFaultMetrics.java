package dev.dbfault.autoconfigure.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.FaultProxyListener;
import dev.dbfault.core.fault.ActiveFault;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of every proxy, tagged {@code proxy}:
 * <ul>
 * <li>{@code dbfault.connections}: connections open now;</li>
 * <li>{@code dbfault.connections.opened}: connections accepted since start;</li>
 * <li>{@code dbfault.bytes}: bytes relayed, tagged {@code direction} (upstream, downstream);</li>
 * <li>{@code dbfault.faults.active}: faults in effect;</li>
 * <li>{@code dbfault.faults.injected} and {@code dbfault.faults.fired}: counts tagged
 * {@code type}.</li>
 * </ul>
 * Proxies are bound as they are when the registry binds (after every singleton is created,
 * so every DataSource is routed by then).
 */
public class DbFaultMetrics implements MeterBinder, FaultProxyListener {

	private final DbFaultProxies proxies;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private final AtomicBoolean listening = new AtomicBoolean();

	public DbFaultMetrics(DbFaultProxies proxies) {
		this.proxies = proxies;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		for (FaultProxy proxy : this.proxies.proxies()) {
			Gauge.builder("dbfault.connections", proxy, (p) -> p.stats().liveConnections())
				.description("Connections open through the proxy")
				.tag("proxy", proxy.name())
				.register(registry);
			FunctionCounter.builder("dbfault.connections.opened", proxy, (p) -> p.stats().totalConnections())
				.description("Connections accepted by the proxy")
				.tag("proxy", proxy.name())
				.register(registry);
			FunctionCounter.builder("dbfault.bytes", proxy, (p) -> p.stats().bytesUpstream())
				.description("Bytes relayed by the proxy")
				.baseUnit("bytes")
				.tags("proxy", proxy.name(), "direction", "upstream")
				.register(registry);
			FunctionCounter.builder("dbfault.bytes", proxy, (p) -> p.stats().bytesDownstream())
				.description("Bytes relayed by the proxy")
				.baseUnit("bytes")
				.tags("proxy", proxy.name(), "direction", "downstream")
				.register(registry);
			Gauge.builder("dbfault.faults.active", proxy, (p) -> p.faults().size())
				.description("Faults in effect on the proxy")
				.tag("proxy", proxy.name())
				.register(registry);
		}
		if (this.listening.compareAndSet(false, true)) {
			this.proxies.addListener(this);
		}
	}

	@Override
	public void faultInjected(FaultProxy proxy, ActiveFault fault) {
		count("dbfault.faults.injected", "Faults injected", proxy, fault);
	}

	@Override
	public void faultFired(FaultProxy proxy, ActiveFault fault) {
		count("dbfault.faults.fired", "Times a fault acted", proxy, fault);
	}

	private void count(String name, String description, FaultProxy proxy, ActiveFault fault) {
		for (MeterRegistry registry : this.registries) {
			Counter.builder(name)
				.description(description)
				.tags("proxy", proxy.name(), "type", fault.type().id())
				.register(registry)
				.increment();
		}
	}

}
