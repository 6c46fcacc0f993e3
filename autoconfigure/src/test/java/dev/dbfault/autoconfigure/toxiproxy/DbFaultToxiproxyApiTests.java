package dev.dbfault.autoconfigure.toxiproxy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import dev.dbfault.autoconfigure.DbFaultAutoConfiguration;
import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.testdb.SpringBootLine;
import dev.dbfault.testdb.TestDatabase;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The application's Toxiproxy API: off unless asked, on its own port, listing the routed
 * DataSource's proxy, stopped with the context.
 */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class DbFaultToxiproxyApiTests {

	private static final TestDatabase database = TestDatabase.get();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SpringBootLine.dataSourceAutoConfiguration(), DbFaultAutoConfiguration.class,
				DbFaultToxiproxyApiAutoConfiguration.class))
		.withPropertyValues(database.springPropertyValues())
		.withPropertyValues("dbfault.enabled=true");

	@Test
	void offUnlessEnabled() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ToxiproxyApiServer.class));
		this.runner.withPropertyValues("dbfault.enabled=false", "dbfault.toxiproxy-api.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(ToxiproxyApiServer.class));
	}

	@Test
	void listsTheDataSourcesProxyAndPublishesItsPort() {
		this.runner.withPropertyValues("dbfault.toxiproxy-api.enabled=true", "dbfault.toxiproxy-api.port=0")
			.run((context) -> {
				int port = context.getEnvironment().getProperty("local.dbfault.toxiproxy-api.port", Integer.class);
				assertThat(port).isEqualTo(context.getBean(ToxiproxyApiServer.class).port()).isPositive();
				ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", port);
				FaultProxy dataSource = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
				Proxy proxy = client.getProxy("dataSource");
				assertThat(proxy.getUpstream()).isEqualTo(database.host() + ":" + database.port());
				assertThat(proxy.getListen()).isEqualTo("127.0.0.1:" + dataSource.listenAddress().getPort());
				proxy.toxics().latency("slow-db", ToxicDirection.DOWNSTREAM, 50);
				// the toxic is a fault of the proxy like any other, so the endpoint and the dashboard show it
				assertThat(dataSource.faults()).extracting(ActiveFault::id).containsExactly("slow-db");
				assertThat(dataSource.faults().get(0).spec().toMap()).containsEntry("latency", "50ms");
			});
	}

	@Test
	void proxiesMadeThroughTheApiStopWithTheApplication() throws IOException {
		int[] port = new int[1];
		this.runner.withPropertyValues("dbfault.toxiproxy-api.enabled=true", "dbfault.toxiproxy-api.port=0")
			.run((context) -> {
				ToxiproxyClient client = new ToxiproxyClient("127.0.0.1",
						context.getBean(ToxiproxyApiServer.class).port());
				Proxy made = client.createProxy("side", "127.0.0.1:0", database.host() + ":" + database.port());
				port[0] = Integer.parseInt(made.getListen().substring(made.getListen().lastIndexOf(':') + 1));
				new Socket(InetAddress.getLoopbackAddress(), port[0]).close();
			});
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port[0]).close());
	}

	@Test
	void aTakenPortFailsStartupNamingTheProperty() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			this.runner
				.withPropertyValues("dbfault.toxiproxy-api.enabled=true",
						"dbfault.toxiproxy-api.port=" + taken.getLocalPort())
				.run((context) -> assertThat(context).getFailure()
					.hasStackTraceContaining("dbfault.toxiproxy-api.port: Toxiproxy API cannot listen on 127.0.0.1:"
							+ taken.getLocalPort())
					.hasStackTraceContaining("Set dbfault.toxiproxy-api.port to another port, or 0 for a free one"));
		}
	}

	@Test
	void anApiOnEveryInterfaceWarnsThatOtherHostsCanUseIt(org.springframework.boot.test.system.CapturedOutput output) {
		this.runner.withPropertyValues("dbfault.toxiproxy-api.enabled=true", "dbfault.toxiproxy-api.port=0",
				"dbfault.bind-address=0.0.0.0")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("(dbfault.bind-address=0.0.0.0), not on loopback")
			.contains("not on loopback: any host that reaches this one can list the proxies, inject faults");
	}

	@Test
	void aPortOutOfRangeIsRefusedNamingTheProperty() {
		this.runner.withPropertyValues("dbfault.toxiproxy-api.enabled=true", "dbfault.toxiproxy-api.port=70000")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("dbfault.toxiproxy-api.port must be between 0 and 65535 (0: a free port), was 70000"));
	}


}
