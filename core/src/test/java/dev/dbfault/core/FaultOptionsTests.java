package dev.dbfault.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.ActiveFault.Removal;
import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.core.testing.Upstream.Peer;
import dev.dbfault.testdb.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The options every fault shares: times, after, probability, duration, the proxy's maximum
 * fault lifetime, and the events a listener hears.
 */
class FaultOptionsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final long TOLERANCE_MS = 150;

	private final List<String> events = new CopyOnWriteArrayList<>();

	private Upstream upstream;

	private FaultProxy proxy;

	private Client client;

	private Peer peer;

	@BeforeEach
	void start() {
		this.upstream = Upstream.manual();
		this.proxy = FaultProxy.builder()
			.name("options")
			.upstream("127.0.0.1", this.upstream.port())
			.maxFaultDuration(Duration.ofSeconds(2))
			.listener(new FaultProxyListener() {

				@Override
				public void faultInjected(FaultProxy proxy, ActiveFault fault) {
					FaultOptionsTests.this.events.add("injected " + fault.id());
				}

				@Override
				public void faultFired(FaultProxy proxy, ActiveFault fault) {
					FaultOptionsTests.this.events.add("fired " + fault.id() + " " + fault.fired());
				}

				@Override
				public void faultRemoved(FaultProxy proxy, ActiveFault fault, Removal reason) {
					FaultOptionsTests.this.events.add("removed " + fault.id() + " " + reason);
				}

			})
			.start();
		this.client = Client.connect(this.proxy);
		this.peer = this.upstream.awaitConnection(TIMEOUT);
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.proxy.stop();
		this.upstream.close();
	}

	/** Sends one byte downstream and waits for it; returns the milliseconds it took. */
	private long downstreamByte() {
		long start = System.nanoTime();
		this.peer.write(new byte[] { 42 });
		assertThat(this.client.read(1, TIMEOUT)).containsExactly(42);
		return Duration.ofNanos(System.nanoTime() - start).toMillis();
	}

	@Test
	void timesFiresThatOftenThenTheFaultRemovesItself() {
		ActiveFault latency = this.proxy.inject(Faults.latency(Duration.ofMillis(150)).times(2));
		assertThat(downstreamByte()).isGreaterThanOrEqualTo(149L);
		assertThat(downstreamByte()).isGreaterThanOrEqualTo(149L);
		assertThat(downstreamByte()).isLessThan(100L);
		assertThat(latency.fired()).isEqualTo(2);
		Waits.await("latency to be used up", TIMEOUT, () -> this.events.contains("removed latency-1 USED_UP"));
		assertThat(latency.isRemoved()).isTrue();
		assertThat(this.proxy.faults()).isEmpty();
		assertThat(this.events).containsSubsequence("injected latency-1", "fired latency-1 1", "fired latency-1 2",
				"removed latency-1 USED_UP");
	}

	@Test
	void afterLetsTheFirstEventsPass() {
		ActiveFault latency = this.proxy.inject(Faults.latency(Duration.ofMillis(150)).after(2));
		assertThat(downstreamByte()).isLessThan(100L);
		assertThat(downstreamByte()).isLessThan(100L);
		assertThat(downstreamByte()).isGreaterThanOrEqualTo(149L);
		assertThat(latency.fired()).isEqualTo(1);
	}

	@Test
	void afterAndTimesTogetherSelectAWindowOfEvents() {
		ActiveFault blackhole = this.proxy.inject(Faults.blackhole().direction(Direction.DOWNSTREAM).after(1).times(1));
		this.peer.write(new byte[] { 1 });
		assertThat(this.client.read(1, TIMEOUT)).containsExactly(1);
		this.peer.write(new byte[] { 2 });
		Waits.await("the blackhole to fire once", TIMEOUT, blackhole::fired, 1L);
		this.peer.write(new byte[] { 3 });
		assertThat(this.client.read(1, TIMEOUT)).containsExactly(3);
	}

	@Test
	void probabilityZeroNeverFiresAndOneAlwaysDoes() {
		ActiveFault never = this.proxy.inject(Faults.latency(Duration.ofSeconds(1)).probability(0));
		for (int i = 0; i < 10; i++) {
			assertThat(downstreamByte()).isLessThan(100L);
		}
		assertThat(never.fired()).isZero();
		never.close();
		ActiveFault always = this.proxy.inject(Faults.latency(Duration.ofMillis(20)).probability(1));
		for (int i = 0; i < 5; i++) {
			assertThat(downstreamByte()).isGreaterThanOrEqualTo(19L);
		}
		assertThat(always.fired()).isEqualTo(5);
	}

	@Test
	void probabilitySamplesEachEvent() {
		ActiveFault half = this.proxy
			.inject(Faults.blackhole().direction(Direction.UPSTREAM).probability(0.5));
		int events = 400;
		for (int i = 0; i < events; i++) {
			this.client.send(new byte[] { 1 });
			// one chunk per event: wait until the proxy has read this byte before sending the next
			long expected = i + 1;
			Waits.await("byte " + expected + " read by the proxy", TIMEOUT, () -> this.proxy.stats().bytesUpstream(),
					expected);
		}
		// every event met the fault: the proxy's maximum (2 s here) did not end it meanwhile
		assertThat(half.isRemoved()).as("the fault outlived the 400 events").isFalse();
		// binomial(400, 0.5): 200 +- 4.5 standard deviations
		assertThat(half.fired()).isBetween(155L, 245L);
		Waits.await("the passed bytes to arrive", TIMEOUT,
				() -> this.peer.socket().isClosed() || receivedAtLeast(events - half.fired()));
	}

	private boolean receivedAtLeast(long count) {
		try {
			return this.peer.socket().getInputStream().available() >= count;
		}
		catch (java.io.IOException ex) {
			return false;
		}
	}

	@Test
	void durationRemovesTheFaultWhenItRunsOut() {
		long start = System.nanoTime();
		ActiveFault latency = this.proxy.inject(Faults.latency(Duration.ofMillis(50)).duration(Duration.ofMillis(300)));
		assertThat(latency.timeLeft()).hasValueSatisfying((left) -> assertThat(left).isBetween(Duration.ofMillis(200),
				Duration.ofMillis(300)));
		Waits.await("the fault to expire", TIMEOUT, () -> latency.isRemoved());
		assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(300L - 1, 300L + TOLERANCE_MS);
		assertThat(latency.timeLeft()).isEmpty();
		Waits.await("the removal event", TIMEOUT, () -> this.events.contains("removed latency-1 EXPIRED"));
		assertThat(downstreamByte()).isLessThan(100L);
	}

	@Test
	void everyFaultExpiresAfterTheProxysMaximumDuration() {
		ActiveFault forgotten = this.proxy.blackhole();
		ActiveFault tooLong = this.proxy.inject(Faults.latency(Duration.ofMillis(1)).duration(Duration.ofHours(1)));
		assertThat(tooLong.timeLeft()).hasValueSatisfying((left) -> assertThat(left).isLessThanOrEqualTo(Duration.ofSeconds(2)));
		Waits.await("faults to expire", Duration.ofSeconds(2).plusMillis(TOLERANCE_MS + 500),
				() -> forgotten.isRemoved() && tooLong.isRemoved());
		assertThat(this.proxy.faults()).isEmpty();
	}

	@Test
	void faultsHaveReadableIdsAndCanBeRemovedOneByOne() {
		ActiveFault first = this.proxy.latency(Duration.ofMillis(10));
		ActiveFault second = this.proxy.blackhole();
		assertThat(first.id()).isEqualTo("latency-1");
		assertThat(second.id()).isEqualTo("blackhole-2");
		assertThat(this.proxy.faults()).extracting(ActiveFault::id).containsExactly("latency-1", "blackhole-2");
		assertThat(this.proxy.fault("blackhole-2")).contains(second);
		assertThat(this.proxy.remove("blackhole-2")).isTrue();
		assertThat(this.proxy.remove("blackhole-2")).isFalse();
		assertThat(this.proxy.remove("no-such-fault")).isFalse();
		assertThat(this.proxy.faults()).containsExactly(first);
		assertThat(this.events).contains("removed blackhole-2 REMOVED");
	}

	@Test
	void closingAHandleTwiceIsHarmless() {
		ActiveFault latency = this.proxy.latency(Duration.ofMillis(10));
		latency.close();
		latency.close();
		assertThat(latency.state()).isEqualTo(ActiveFault.State.REMOVED);
	}

	@Test
	void healRemovesEverythingAndReportsIt() {
		this.proxy.latency(Duration.ofMillis(10));
		this.proxy.blackhole();
		assertThat(this.proxy.heal()).isEqualTo(2);
		assertThat(this.proxy.heal()).isZero();
		assertThat(this.events).contains("removed latency-1 HEALED", "removed blackhole-2 HEALED");
	}

	@Test
	void anActionActsOnceAndIsReportedAsActed() {
		ActiveFault reset = this.proxy.resetConnections();
		assertThat(reset.state()).isEqualTo(ActiveFault.State.REMOVED);
		assertThat(reset.fired()).isEqualTo(1);
		assertThat(this.proxy.faults()).isEmpty();
		assertThat(this.events).containsExactly("injected reset-1", "fired reset-1 1", "removed reset-1 ACTED");
	}

	@Test
	void anActionWithAfterAndTimesPicksConnectionsOldestFirst() {
		try (Client second = Client.connect(this.proxy); Client third = Client.connect(this.proxy)) {
			this.upstream.awaitConnection(TIMEOUT);
			this.upstream.awaitConnection(TIMEOUT);
			Waits.await("three live connections", TIMEOUT, () -> this.proxy.stats().liveConnections(), 3);
			ActiveFault reset = this.proxy.inject(Faults.reset().after(1).times(1));
			assertThat(reset.fired()).isEqualTo(1);
			assertThat(second.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
			assertThat(this.client.awaitEnd(Duration.ofMillis(100))).isEqualTo(Peer.End.OPEN);
			assertThat(third.awaitEnd(Duration.ofMillis(100))).isEqualTo(Peer.End.OPEN);
		}
	}

}
