package dev.dbfault.autoconfigure.actuate;

import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.dbfault.autoconfigure.DbFaultAutoConfiguration;
import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.autoconfigure.health.DbFaultHealthContributorAutoConfiguration;
import dev.dbfault.autoconfigure.health.DbFaultHealthIndicator;
import dev.dbfault.autoconfigure.metrics.DbFaultMetrics;
import dev.dbfault.autoconfigure.metrics.DbFaultMetricsAutoConfiguration;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.FaultProxyListener;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.testdb.SpringBootLine;
import dev.dbfault.testdb.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * When the endpoint, health contributor and meters exist, one behaviour per test.
 */
class DbFaultEndpointAutoConfigurationTests {

	private static final TestDatabase database = TestDatabase.get();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withInitializer((context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
		.withConfiguration(AutoConfigurations.of(SpringBootLine.dataSourceAutoConfiguration(), DbFaultAutoConfiguration.class,
				EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				DbFaultEndpointAutoConfiguration.class, DbFaultHealthContributorAutoConfiguration.class,
				DbFaultMetricsAutoConfiguration.class))
		.withPropertyValues(database.springPropertyValues())
		.withPropertyValues("dbfault.enabled=true");

	@Test
	void runWithoutAccessGrantedShouldNotCreateTheEndpoint() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*")
			.run((context) -> assertThat(context).doesNotHaveBean(DbFaultEndpoint.class)
				.doesNotHaveBean(DbFaultEndpointWebExtension.class));
	}

	@Test
	void runWithAccessGrantedButNotExposedShouldNotCreateTheEndpoint() {
		this.runner.withPropertyValues("management.endpoint.dbfault.access=unrestricted")
			.run((context) -> assertThat(context).doesNotHaveBean(DbFaultEndpoint.class));
	}

	@Test
	void runWithAccessGrantedAndExposedShouldCreateTheEndpointAndItsWebExtension() {
		this.runner
			.withPropertyValues("management.endpoint.dbfault.access=unrestricted",
					"management.endpoints.web.exposure.include=dbfault")
			.run((context) -> assertThat(context).hasSingleBean(DbFaultEndpoint.class)
				.hasSingleBean(DbFaultEndpointWebExtension.class));
	}

	@Test
	void runWithDbfaultOffShouldCreateNoEndpointEvenWhenGranted() {
		this.runner
			.withPropertyValues("dbfault.enabled=false", "management.endpoint.dbfault.access=unrestricted",
					"management.endpoints.web.exposure.include=dbfault")
			.run((context) -> assertThat(context).doesNotHaveBean(DbFaultEndpoint.class)
				.doesNotHaveBean(DbFaultHealthIndicator.class)
				.doesNotHaveBean(DbFaultMetrics.class));
	}

	@Test
	void runWithoutActuatorOnTheClasspathShouldStillRouteTheDataSource() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class, SpringBootLine.healthIndicator(), MeterRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(DbFaultEndpoint.class);
				assertThat(context.getBean(DbFaultProxies.class).proxyNames()).containsExactly("dataSource");
			});
	}

	@Test
	void aUsersOwnEndpointShouldTakePrecedence() {
		this.runner
			.withPropertyValues("management.endpoint.dbfault.access=unrestricted",
					"management.endpoints.web.exposure.include=dbfault")
			.withBean("myEndpoint", DbFaultEndpoint.class,
					() -> new DbFaultEndpoint(new DbFaultProxies(new dev.dbfault.autoconfigure.DbFaultProperties())))
			.run((context) -> assertThat(context).hasSingleBean(DbFaultEndpoint.class)
				.getBean(DbFaultEndpoint.class)
				.isSameAs(context.getBean("myEndpoint")));
	}

	@Test
	void theHealthContributorReportsUpWhateverTheFaults() {
		this.runner.run((context) -> {
			DbFaultHealthIndicator health = context.getBean(DbFaultHealthIndicator.class);
			context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow().inject(Faults.down());
			assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
			assertThat(health.health().getDetails()).containsEntry("activeFaults", 1);
		});
	}

	@Test
	void theHealthContributorIsDownOnlyWhenAProxyFailedAndTheEndpointSaysWhy() {
		this.runner
			.withPropertyValues("management.endpoint.dbfault.access=unrestricted",
					"management.endpoints.web.exposure.include=dbfault")
			.run((context) -> {
				DbFaultHealthIndicator health = context.getBean(DbFaultHealthIndicator.class);
				FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
				OutOfMemoryError simulated = new OutOfMemoryError("simulated");
				// what a fault's work throws on the proxy's loop: an error it cannot survive
				proxy.addListener(new FaultProxyListener() {
					@Override
					public void faultFired(FaultProxy firing, ActiveFault fault) {
						throw simulated;
					}
				});
				proxy.inject(Faults.latency(Duration.ofMillis(1)).direction(Direction.BOTH));
				try (Socket socket = new Socket(proxy.listenAddress().getAddress(), proxy.listenAddress().getPort())) {
					// a PostgreSQL SSLRequest: the proxy passes it on, and the latency fires on it
					socket.getOutputStream().write(new byte[] { 0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f });
					long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
					while (proxy.state() != FaultProxy.State.FAILED && System.nanoTime() - deadline < 0) {
						Thread.onSpinWait();
					}
				}
				assertThat(proxy.state()).isEqualTo(FaultProxy.State.FAILED);
				assertThat(health.health().getStatus().getCode()).isEqualTo("DOWN");
				assertThat(health.health().getDetails().get("proxies")).asString().contains("failed", "simulated");
				DbFaultEndpoint.ProxyDescriptor described = context.getBean(DbFaultEndpoint.class).proxy("dataSource");
				assertThat(described.state()).isEqualTo("failed");
				assertThat(described.failure()).contains("OutOfMemoryError", "simulated");
				assertThat(described.listen()).isNull();
			});
	}

	@Test
	void theHealthContributorCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.dbfault.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DbFaultHealthIndicator.class));
	}

	@Test
	void metersDescribeEveryProxyAndCountFaults() {
		this.runner.withBean(SimpleMeterRegistry.class).run((context) -> {
			MeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
			context.getBean(DbFaultMetrics.class).bindTo(registry);
			javax.sql.DataSource dataSource = context.getBean(javax.sql.DataSource.class);
			try (var connection = dataSource.getConnection()) {
				connection.isValid(1);
			}
			var proxy = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
			proxy.resetConnections();
			proxy.latency(java.time.Duration.ofMillis(1));
			assertThat(registry.get("dbfault.connections").tag("proxy", "dataSource").gauge().value()).isZero();
			assertThat(registry.get("dbfault.connections.opened").tag("proxy", "dataSource").functionCounter().count())
				.isPositive();
			assertThat(registry.get("dbfault.bytes").tags("proxy", "dataSource", "direction", "downstream")
				.functionCounter()
				.count()).isPositive();
			assertThat(registry.get("dbfault.faults.active").tag("proxy", "dataSource").gauge().value()).isEqualTo(1);
			assertThat(registry.get("dbfault.faults.fired").tags("proxy", "dataSource", "type", "reset").counter().count())
				.isPositive();
			assertThat(registry.get("dbfault.faults.injected").tags("type", "latency").counter().count()).isEqualTo(1);
		});
	}

	@Test
	void theEndpointIsAvailableOverJmx() {
		new ApplicationContextRunner()
			.withInitializer((context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
			.withConfiguration(AutoConfigurations.of(SpringBootLine.dataSourceAutoConfiguration(), DbFaultAutoConfiguration.class,
					JmxAutoConfiguration.class, EndpointAutoConfiguration.class, JmxEndpointAutoConfiguration.class,
					DbFaultEndpointAutoConfiguration.class))
			.withPropertyValues(database.springPropertyValues())
			.withPropertyValues("dbfault.enabled=true", "spring.jmx.enabled=true",
					"management.endpoints.jmx.exposure.include=dbfault",
					"management.endpoint.dbfault.access=unrestricted", "management.endpoints.jmx.domain=dbfault.test")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MBeanServer server = ManagementFactory.getPlatformMBeanServer();
				Set<ObjectName> names = server.queryNames(new ObjectName("dbfault.test:type=Endpoint,*"), null);
				assertThat(names).hasSize(1);
				ObjectName name = names.iterator().next();
				String[] oneText = { String.class.getName() };
				Object description = server.invoke(name, "dbFault", new Object[] { null }, oneText);
				assertThat(description.toString()).contains("dataSource");
				assertThat(((Map<?, ?>) description).containsKey("faultTypes")).isFalse();
				Object withFaultTypes = server.invoke(name, "dbFault", new Object[] { "faultTypes" }, oneText);
				assertThat(((Map<?, ?>) withFaultTypes).containsKey("faultTypes")).isTrue();
				assertThatExceptionOfType(MBeanException.class)
					.isThrownBy(() -> server.invoke(name, "inject", new Object[] { "dataSource", "latency", null, "[]" },
							new String[] { String.class.getName(), String.class.getName(), String.class.getName(),
									String.class.getName() }))
					.satisfies((ex) -> assertThat(ex.getCause()).hasMessageContaining(
							"the parameters must be a JSON object such as {\"latency\":\"200ms\"}, was an array"));
				assertThat(context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow().faults()).isEmpty();
				server.invoke(name, "inject", new Object[] { "dataSource", "latency", null, "latency=5ms,jitter=1ms" },
						new String[] { String.class.getName(), String.class.getName(), String.class.getName(),
								String.class.getName() });
				assertThat(context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow().faults()).hasSize(1);
				server.invoke(name, "heal", new Object[0], new String[0]);
				assertThat(context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow().faults()).isEmpty();
				String[] fourTexts = { String.class.getName(), String.class.getName(), String.class.getName(),
						String.class.getName() };
				Object scenario = server.invoke(name, "inject", new Object[] { "dataSource", "scenario", "restart",
						"{\"steps\": [{\"type\": \"terminate\"}, {\"type\": \"login-error\", \"duration\": \"30s\"}]}" },
						fourTexts);
				assertThat(((Map<?, ?>) scenario).get("scenario")).isEqualTo("restart");
				assertThat(context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow().faults())
					.extracting(ActiveFault::id)
					.containsExactly("restart.1");
				server.invoke(name, "remove", new Object[] { "dataSource", "restart" },
						new String[] { String.class.getName(), String.class.getName() });
				assertThat(context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow().faults()).isEmpty();
			});
	}

}
