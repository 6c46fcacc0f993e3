package dev.dbfault.core;

import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Resources;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.core.testing.Upstream.Peer;
import dev.dbfault.testdb.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The relay without faults: lifecycle, pass-through, counters, and what is left after stop.
 */
class FaultProxyTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private Upstream upstream;

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		this.upstream = Upstream.echo();
		this.proxy = FaultProxy.builder().name("test").upstream("127.0.0.1", this.upstream.port()).start();
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
		this.upstream.close();
	}

	@Test
	void listensOnLoopbackAndAnEphemeralPortByDefault() {
		InetSocketAddress address = this.proxy.listenAddress();
		assertThat(address.getAddress().isLoopbackAddress()).isTrue();
		assertThat(address.getPort()).isPositive().isNotEqualTo(this.upstream.port());
		assertThat(this.proxy.state()).isEqualTo(FaultProxy.State.RUNNING);
	}

	@Test
	void relaysBytesBothWays() {
		try (Client client = Client.connect(this.proxy)) {
			byte[] hello = "hello, database".getBytes(StandardCharsets.UTF_8);
			assertThat(client.echo(hello, TIMEOUT)).isEqualTo(hello);
		}
	}

	@Test
	void countsConnectionsAndBytesEachWay() {
		try (Client client = Client.connect(this.proxy)) {
			client.echo(new byte[1000], TIMEOUT);
			Waits.await("one live connection", TIMEOUT, () -> this.proxy.stats().liveConnections(), 1);
			try (Client second = Client.connect(this.proxy)) {
				second.echo(new byte[10], TIMEOUT);
				ProxyStats stats = this.proxy.stats();
				assertThat(stats.liveConnections()).isEqualTo(2);
				assertThat(stats.totalConnections()).isEqualTo(2);
				assertThat(stats.bytesUpstream()).isEqualTo(1010);
				assertThat(stats.bytesDownstream()).isEqualTo(1010);
			}
		}
		Waits.await("no live connection", TIMEOUT, () -> this.proxy.stats().liveConnections(), 0);
		assertThat(this.proxy.stats().totalConnections()).isEqualTo(2);
	}

	@Test
	void passesAHalfCloseOnAndClosesOnceBothSidesEnded() {
		try (Client client = Client.connect(this.proxy)) {
			client.echo(new byte[] { 1 }, TIMEOUT);
			client.shutdownOutput();
			// the echo upstream sees the end of stream, closes its side, and the client sees that
			assertThat(client.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.EOF);
			assertThat(this.upstream.connections().get(0).end()).isEqualTo(Peer.End.EOF);
		}
		Waits.await("the link to close", TIMEOUT, () -> this.proxy.stats().liveConnections(), 0);
	}

	@Test
	void passesAnUpstreamResetToTheClientAsAReset() throws Exception {
		try (Upstream manual = Upstream.manual();
				FaultProxy other = FaultProxy.builder().upstream("127.0.0.1", manual.port()).start();
				Client client = Client.connect(other)) {
			Peer peer = manual.awaitConnection(TIMEOUT);
			peer.socket().setSoLinger(true, 0);
			peer.socket().close();
			assertThat(client.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
		}
	}

	@Test
	void resetsTheClientWhenTheUpstreamRefuses() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		try (FaultProxy other = FaultProxy.builder().upstream("127.0.0.1", closedPort).start()) {
			assertThat(Client.connectionIsReset(other.listenAddress(), TIMEOUT)).isTrue();
			Waits.await("no live connection", TIMEOUT, () -> other.stats().liveConnections(), 0);
		}
	}

	@Test
	void listensOnAConfiguredPort() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		try (FaultProxy other = FaultProxy.builder().listen("127.0.0.1", port).upstream("127.0.0.1", this.upstream.port())
			.start(); Client client = Client.connect(other)) {
			assertThat(other.listenAddress().getPort()).isEqualTo(port);
			assertThat(client.echo(new byte[] { 7 }, TIMEOUT)).containsExactly(7);
		}
	}

	@Test
	void failsToStartOnABusyPortWithAClearError() throws Exception {
		try (ServerSocket busy = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
			FaultProxy other = FaultProxy.builder().name("busy").listen("127.0.0.1", busy.getLocalPort())
				.upstream("127.0.0.1", this.upstream.port()).build();
			assertThatThrownBy(other::start).isInstanceOf(UncheckedIOException.class)
				.hasMessageContaining("busy")
				.hasMessageContaining(String.valueOf(busy.getLocalPort()));
			assertThat(other.state()).isEqualTo(FaultProxy.State.NEW);
		}
	}

	@Test
	void relaysWithBusyPollingOffOrAtItsLongest() {
		for (Duration busyPoll : List.of(Duration.ZERO, FaultProxy.MAX_BUSY_POLL)) {
			try (FaultProxy other = FaultProxy.builder().name("busy-poll-" + busyPoll.toNanos())
				.upstream("127.0.0.1", this.upstream.port()).busyPoll(busyPoll).start();
					Client client = Client.connect(other)) {
				for (int i = 0; i < 200; i++) {
					byte[] message = ("round trip " + i).getBytes(StandardCharsets.UTF_8);
					assertThat(client.echo(message, TIMEOUT)).as("round trip %d with busy poll %s", i, busyPoll)
						.isEqualTo(message);
				}
			}
		}
	}

	@Test
	void stopsBusyPollingOnceTrafficStops() throws Exception {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		assumeTrue(threads.isCurrentThreadCpuTimeSupported(), "this JVM does not measure thread CPU time");
		try (FaultProxy polling = FaultProxy.builder().name("longest-busy-poll")
			.upstream("127.0.0.1", this.upstream.port()).busyPoll(FaultProxy.MAX_BUSY_POLL).start();
				Client client = Client.connect(polling)) {
			client.echo(new byte[100], TIMEOUT);
			Thread loop = proxyThread(polling);
			// after one last poll of at most 10 ms the loop must sleep: over the next half second
			// it may use a few milliseconds of CPU, not the half second a loop that never stops would
			long before = threads.getThreadCpuTime(loop.getId());
			Thread.sleep(500);
			long used = threads.getThreadCpuTime(loop.getId()) - before;
			assertThat(Duration.ofNanos(used)).as("CPU time of a proxy's thread over the 500 ms after its last traffic")
				.isLessThan(Duration.ofMillis(50));
		}
	}

	@Test
	void doesNotBusyPollWhileMoreConnectionsAreInFlightThanCoresToSpare() throws Exception {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		assumeTrue(threads.isCurrentThreadCpuTimeSupported(), "this JVM does not measure thread CPU time");
		int connections = 2 * Runtime.getRuntime().availableProcessors() + 2;
		AtomicLong roundTrips = new AtomicLong();
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> clients = new ArrayList<>();
		try (FaultProxy polling = FaultProxy.builder().name("crowded-busy-poll")
			.upstream("127.0.0.1", this.upstream.port()).busyPoll(FaultProxy.MAX_BUSY_POLL).start()) {
			try {
				for (int i = 0; i < connections; i++) {
					clients.add(startRoundTrips(Client.connect(polling), "busy-poll-client-" + i, stop, roundTrips));
				}
				Waits.await("every connection made round trips", TIMEOUT, () -> roundTrips.get() > 20L * connections);
				Thread loop = proxyThread(polling);
				long cpuBefore = threads.getThreadCpuTime(loop.getId());
				long wallBefore = System.nanoTime();
				long tripsBefore = roundTrips.get();
				Thread.sleep(500);
				long cpu = threads.getThreadCpuTime(loop.getId()) - cpuBefore;
				long wall = System.nanoTime() - wallBefore;
				assertThat(roundTrips.get() - tripsBefore).as("round trips while measured").isGreaterThan(100L);
				// a loop that polled for 10 ms after each round trip would never sleep
				assertThat(Duration.ofNanos(cpu))
					.as("CPU time of the proxy's thread relaying %d busy connections for %d ms", connections,
							wall / 1_000_000)
					.isLessThan(Duration.ofNanos(wall / 2));
			}
			finally {
				stop.set(true);
				for (Thread thread : clients) {
					thread.join(TIMEOUT.toMillis());
				}
			}
		}
	}

	/** Starts a thread making a round trip through the client about every millisecond. */
	private static Thread startRoundTrips(Client client, String name, AtomicBoolean stop, AtomicLong roundTrips) {
		Thread thread = new Thread(() -> {
			try (client) {
				while (!stop.get()) {
					client.echo(new byte[16], TIMEOUT);
					roundTrips.incrementAndGet();
					Thread.sleep(1);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(name + " failed", ex);
			}
		}, name);
		thread.start();
		return thread;
	}

	private static Thread proxyThread(FaultProxy proxy) {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().equals("dbfault-proxy-" + proxy.name()))
			.findFirst().orElseThrow();
	}

	@Test
	void rejectsBadBuilderInput() {
		assertThatIllegalArgumentException().isThrownBy(() -> FaultProxy.builder().upstream("db", 0))
			.withMessageContaining("upstream port");
		assertThatIllegalArgumentException().isThrownBy(() -> FaultProxy.builder().listen("127.0.0.1", 70000))
			.withMessageContaining("listen port");
		assertThatIllegalArgumentException().isThrownBy(() -> FaultProxy.builder().maxFaultDuration(Duration.ZERO))
			.withMessageContaining("maxFaultDuration");
		assertThatIllegalArgumentException().isThrownBy(() -> FaultProxy.builder().busyPoll(Duration.ofNanos(-1)))
			.withMessageContaining("busyPoll");
		assertThatIllegalArgumentException().isThrownBy(() -> FaultProxy.builder().busyPoll(Duration.ofMillis(11)))
			.withMessageContaining("busyPoll must be between 0 and 10ms");
		assertThatIllegalArgumentException().isThrownBy(() -> FaultProxy.builder().busyPoll(null))
			.withMessageContaining("busyPoll");
		assertThatIllegalStateException().isThrownBy(() -> FaultProxy.builder().build())
			.withMessageContaining("upstream");
	}

	@Test
	void cannotInjectOnceStopped() {
		this.proxy.stop();
		assertThat(this.proxy.state()).isEqualTo(FaultProxy.State.STOPPED);
		assertThatIllegalStateException().isThrownBy(this.proxy::resetConnections).withMessageContaining("not running");
		assertThat(this.proxy.heal()).isZero();
	}

	@Test
	void stopClosesEveryConnectionAndLeavesNoThreadOrSocket() {
		this.proxy.stop();
		this.upstream.close();
		int socketsBefore = Resources.openSockets();
		List<Client> clients = new ArrayList<>();
		try (Upstream echo = Upstream.echo()) {
			FaultProxy other = FaultProxy.builder().name("leak-check").upstream("127.0.0.1", echo.port()).start();
			for (int i = 0; i < 20; i++) {
				Client client = Client.connect(other);
				client.echo(new byte[] { (byte) i }, TIMEOUT);
				clients.add(client);
			}
			other.inject(Faults.latency(Duration.ofSeconds(30)));
			assertThat(Resources.proxyThreads()).contains("dbfault-proxy-leak-check");
			other.stop();
			for (Client client : clients) {
				assertThat(client.awaitEnd(TIMEOUT)).isNotEqualTo(Peer.End.OPEN);
				client.close();
			}
			assertThat(Resources.proxyThreads()).doesNotContain("dbfault-proxy-leak-check");
			assertThat(other.faults()).isEmpty();
		}
		// the upstream's own sockets are closed too; what is left must be what was there before
		Waits.await("sockets back to " + socketsBefore, TIMEOUT, () -> Resources.openSockets() <= socketsBefore);
	}

	@Test
	void stopIsIdempotentAndStartOnlyOnce() {
		this.proxy.stop();
		this.proxy.stop();
		assertThatIllegalStateException().isThrownBy(this.proxy::start).withMessageContaining("already started");
	}

	@Test
	void freesItsPortOnStop() throws Exception {
		int port = this.proxy.listenAddress().getPort();
		this.proxy.stop();
		try (ServerSocket again = new ServerSocket()) {
			again.setReuseAddress(true);
			again.bind(new InetSocketAddress("127.0.0.1", port));
			assertThat(again.isBound()).isTrue();
		}
	}

	@Test
	void logLinesSayHowOftenAFaultFiredInWords() {
		assertThat(ProxyEventLog.firedTimes(0)).isEqualTo("never fired");
		assertThat(ProxyEventLog.firedTimes(1)).isEqualTo("fired once");
		assertThat(ProxyEventLog.firedTimes(3)).isEqualTo("fired 3 times");
	}

}
