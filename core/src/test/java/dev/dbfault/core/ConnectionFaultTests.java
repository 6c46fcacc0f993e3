package dev.dbfault.core;

import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.core.testing.Upstream.Peer;
import dev.dbfault.testdb.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Faults that act on whole connections: reset, close, refuse, down, stall-connect,
 * reset-peer and timeout, against a real socket upstream.
 */
class ConnectionFaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	/** Scheduling slack allowed around a fault's own timing on a loaded 2-core machine. */
	private static final long TOLERANCE_MS = 150;

	private Upstream upstream;

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		this.upstream = Upstream.manual();
		this.proxy = FaultProxy.builder().name("connections").upstream("127.0.0.1", this.upstream.port()).start();
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
		this.upstream.close();
	}

	private Client connected(Peer[] peer) {
		Client client = Client.connect(this.proxy);
		peer[0] = this.upstream.awaitConnection(TIMEOUT);
		client.send(new byte[] { 1 });
		peer[0].read(1, TIMEOUT);
		return client;
	}

	private boolean newConnectionIsReset() {
		return Client.connectionIsReset(this.proxy.listenAddress(), TIMEOUT);
	}

	@Test
	void resetSendsRstToBothSidesOfEveryLiveConnectionIdleOnesIncluded() {
		Peer[] first = new Peer[1];
		Peer[] second = new Peer[1];
		try (Client busy = connected(first); Client idle = connected(second)) {
			ActiveFault reset = this.proxy.resetConnections();
			assertThat(reset.fired()).isEqualTo(2);
			assertThat(reset.isRemoved()).isTrue();
			assertThat(busy.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
			assertThat(idle.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
			assertThat(first[0].awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
			assertThat(second[0].awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
		}
		assertThat(this.proxy.stats().liveConnections()).isZero();
	}

	@Test
	void resetLeavesNewConnectionsAlone() {
		this.proxy.resetConnections();
		try (Client client = Client.connect(this.proxy)) {
			Peer peer = this.upstream.awaitConnection(TIMEOUT);
			client.send(new byte[] { 9 });
			assertThat(peer.read(1, TIMEOUT)).containsExactly(9);
		}
		assertThat(this.proxy.faults()).isEmpty();
	}

	@Test
	void closeSendsFinToBothSides() {
		Peer[] peer = new Peer[1];
		try (Client client = connected(peer)) {
			assertThat(this.proxy.closeConnections().fired()).isEqualTo(1);
			assertThat(client.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.EOF);
			assertThat(peer[0].awaitEnd(TIMEOUT)).isEqualTo(Peer.End.EOF);
		}
	}

	@Test
	void refuseClosesThePortForNewConnectionsWhileLiveOnesCarryOn() {
		Peer[] peer = new Peer[1];
		try (Client live = connected(peer)) {
			try (ActiveFault refuse = this.proxy.refuse()) {
				assertThat(this.proxy.state()).isEqualTo(FaultProxy.State.REFUSING);
				long start = System.nanoTime();
				assertThatThrownBy(() -> new Socket("127.0.0.1", this.proxy.listenAddress().getPort()).close())
					.isInstanceOf(ConnectException.class);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
				live.send(new byte[] { 2 });
				assertThat(peer[0].read(1, TIMEOUT)).containsExactly(2);
			}
			assertThat(this.proxy.state()).isEqualTo(FaultProxy.State.RUNNING);
			try (Client again = Client.connect(this.proxy)) {
				assertThat(this.upstream.awaitConnection(TIMEOUT)).isNotNull();
			}
		}
	}

	@Test
	void refuseWithTimesResetsThatManyNewConnectionsThenRemovesItself() {
		ActiveFault refuse = this.proxy.inject(Faults.refuse().times(2));
		assertThat(this.proxy.state()).isEqualTo(FaultProxy.State.RUNNING);
		for (int i = 0; i < 2; i++) {
			assertThat(newConnectionIsReset()).isTrue();
		}
		Waits.await("refuse to remove itself", TIMEOUT, () -> refuse.isRemoved());
		try (Client accepted = Client.connect(this.proxy)) {
			Peer peer = this.upstream.awaitConnection(TIMEOUT);
			accepted.send(new byte[] { 3 });
			assertThat(peer.read(1, TIMEOUT)).containsExactly(3);
		}
		assertThat(refuse.fired()).isEqualTo(2);
		assertThat(this.upstream.connections()).hasSize(1);
	}

	@Test
	void downResetsLiveConnectionsAndRefusesNewOnesUntilRemoved() {
		Peer[] peer = new Peer[1];
		try (Client live = connected(peer)) {
			ActiveFault down = this.proxy.down();
			assertThat(live.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
			assertThat(peer[0].awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
			assertThatThrownBy(() -> new Socket("127.0.0.1", this.proxy.listenAddress().getPort()).close())
				.isInstanceOf(ConnectException.class);
			down.close();
		}
		try (Client again = Client.connect(this.proxy)) {
			assertThat(this.upstream.awaitConnection(TIMEOUT)).isNotNull();
		}
	}

	@Test
	void stallConnectAcceptsButNeverReachesTheUpstreamUntilHealed() {
		this.proxy.stallConnect();
		try (Client client = Client.connect(this.proxy)) {
			client.send(new byte[] { 4, 5 });
			assertThat(this.upstream.connectionArrives(Duration.ofMillis(300))).isFalse();
			assertThat(client.awaitEnd(Duration.ofMillis(100))).isEqualTo(Peer.End.OPEN);
			long start = System.nanoTime();
			this.proxy.heal();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
			Peer peer = this.upstream.awaitConnection(TIMEOUT);
			// what the client sent while stalled arrives once the connection is made
			assertThat(peer.read(2, TIMEOUT)).containsExactly(4, 5);
		}
	}

	@Test
	void stallConnectWithTimesStallsOnlyThatManyConnections() {
		ActiveFault stall = this.proxy.inject(Faults.stallConnect().times(1));
		try (Client stalled = Client.connect(this.proxy); Client next = Client.connect(this.proxy)) {
			Peer peer = this.upstream.awaitConnection(TIMEOUT);
			next.send(new byte[] { 6 });
			assertThat(peer.read(1, TIMEOUT)).containsExactly(6);
			assertThat(this.upstream.connectionArrives(Duration.ofMillis(200))).isFalse();
			assertThat(stall.state()).isEqualTo(ActiveFault.State.EXHAUSTED);
			stalled.close();
			// the stalled connection ended, so the used-up fault goes
			Waits.await("stall-connect to be removed", TIMEOUT, () -> stall.isRemoved());
		}
	}

	@Test
	void resetPeerResetsAnIdleConnectionAfterItsTimeout() {
		Peer[] peer = new Peer[1];
		try (Client idle = connected(peer)) {
			long beforeInject = System.nanoTime();
			this.proxy.resetPeer(Duration.ofMillis(300));
			long afterInject = System.nanoTime();
			assertThat(idle.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
			long now = System.nanoTime();
			// the timer starts inside inject(): no earlier than 300 ms after the call, no later than 300 ms after it returned
			assertThat(Duration.ofNanos(now - beforeInject).toMillis()).isGreaterThanOrEqualTo(300L - 1);
			assertThat(Duration.ofNanos(now - afterInject).toMillis()).isLessThanOrEqualTo(300L + TOLERANCE_MS);
			assertThat(peer[0].awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
		}
	}

	@Test
	void resetPeerAppliesToConnectionsOpenedAfterIt() {
		this.proxy.resetPeer(Duration.ofMillis(200));
		long start = System.nanoTime();
		try (Client client = Client.connect(this.proxy)) {
			Peer peer = this.upstream.awaitConnection(TIMEOUT);
			client.send(new byte[] { 1 });
			assertThat(peer.read(1, TIMEOUT)).containsExactly(1);
			assertThat(client.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(200L - 5, 200L + TOLERANCE_MS);
		}
	}

	@Test
	void resetPeerWithoutTimeoutResetsAtOnceAndRefusesToRelayNewConnections() {
		Peer[] peer = new Peer[1];
		try (Client live = connected(peer)) {
			this.proxy.inject(Faults.resetPeer(Duration.ZERO));
			assertThat(live.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
			assertThat(newConnectionIsReset()).isTrue();
		}
		assertThat(this.upstream.connections()).hasSize(1);
	}

	@Test
	void timeoutStopsDataThenClosesBothSidesAfterTheTimeout() {
		Peer[] peer = new Peer[1];
		try (Client client = connected(peer)) {
			long beforeInject = System.nanoTime();
			this.proxy.timeout(Duration.ofMillis(400));
			long afterInject = System.nanoTime();
			client.send(new byte[] { 7 });
			peer[0].write(new byte[] { 8 });
			assertThat(client.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.EOF);
			long now = System.nanoTime();
			assertThat(Duration.ofNanos(now - beforeInject).toMillis()).isGreaterThanOrEqualTo(400L - 1);
			assertThat(Duration.ofNanos(now - afterInject).toMillis()).isLessThanOrEqualTo(400L + TOLERANCE_MS);
			// neither byte got through before the close
			assertThat(peer[0].awaitEnd(TIMEOUT)).isEqualTo(Peer.End.EOF);
			assertThat(peer[0].bytesReceived()).isZero();
		}
	}

	@Test
	void timeoutOfZeroDropsDataAndKeepsTheConnectionUntilRemovedWhichClosesIt() {
		Peer[] peer = new Peer[1];
		try (Client client = connected(peer)) {
			ActiveFault timeout = this.proxy.timeout(Duration.ZERO);
			client.send(new byte[] { 10 });
			assertThat(client.awaitEnd(Duration.ofMillis(300))).isEqualTo(Peer.End.OPEN);
			timeout.close();
			// the byte sent during the fault is gone, so the stream cannot be trusted: both ends are closed
			assertThat(client.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.EOF);
			assertThat(peer[0].awaitEnd(TIMEOUT)).isEqualTo(Peer.End.EOF);
			assertThat(peer[0].bytesReceived()).isZero();
		}
	}

	@Test
	void healReturnsPromptlyWhileConnectionsAreBlackholedAndStalled() {
		Peer[] peer = new Peer[1];
		try (Client live = connected(peer)) {
			this.proxy.blackhole();
			this.proxy.stallConnect();
			this.proxy.timeout(Duration.ZERO);
			live.send(new byte[1000]);
			try (Client stalled = Client.connect(this.proxy)) {
				long start = System.nanoTime();
				assertThat(this.proxy.heal()).isEqualTo(3);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
				assertThat(this.proxy.faults()).isEmpty();
				assertThat(this.upstream.awaitConnection(TIMEOUT)).isNotNull();
			}
		}
	}

}
