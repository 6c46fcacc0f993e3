package dev.dbfault.core;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Transport;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.core.testing.Upstream.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults that act on the data flowing: latency, bandwidth, slicer, blackhole, slow-close
 * and limit-data, each in every direction, against a real socket upstream driven by hand.
 */
class DataFaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	/** Scheduling slack allowed around a fault's own timing on a loaded 2-core machine. */
	private static final long TOLERANCE_MS = 150;

	private Upstream upstream;

	private FaultProxy proxy;

	private Client client;

	private Peer peer;

	@BeforeEach
	void start() {
		this.upstream = Upstream.manual();
		this.proxy = FaultProxy.builder().name("data").upstream("127.0.0.1", this.upstream.port()).start();
		this.client = Client.connect(this.proxy, transport());
		this.peer = this.upstream.awaitConnection(TIMEOUT);
		// one round trip each way, so the connection is fully set up before any fault
		upstreamTransit(1);
		downstreamTransit(1);
	}

	/**
	 * Returns how the client reaches the proxy's faults; {@link DataFaultInProcessTests} runs
	 * every test here on an in-process socket.
	 * @return the transport
	 */
	Transport transport() {
		return Transport.PROXY;
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.proxy.stop();
		this.upstream.close();
	}

	/** Milliseconds from the client's write to the upstream's read of {@code size} bytes. */
	private long upstreamTransit(int size) {
		byte[] data = randomBytes(size);
		long start = System.nanoTime();
		this.client.send(data);
		assertThat(this.peer.read(size, TIMEOUT)).isEqualTo(data);
		return Duration.ofNanos(System.nanoTime() - start).toMillis();
	}

	/** Milliseconds from the upstream's write to the client's read of {@code size} bytes. */
	private long downstreamTransit(int size) {
		byte[] data = randomBytes(size);
		long start = System.nanoTime();
		this.peer.write(data);
		assertThat(this.client.read(size, TIMEOUT)).isEqualTo(data);
		return Duration.ofNanos(System.nanoTime() - start).toMillis();
	}

	/**
	 * Reads what the upstream sent, read by read, and checks every byte.
	 * @return how many bytes each read gave
	 */
	private List<Integer> readEach(byte[] sent) throws IOException {
		byte[] received = new byte[sent.length];
		List<Integer> reads = new ArrayList<>();
		InputStream in = this.client.socket().getInputStream();
		this.client.socket().setSoTimeout(5000);
		for (int offset = 0; offset < sent.length;) {
			int read = in.read(received, offset, sent.length - offset);
			assertThat(read).isPositive();
			offset += read;
			reads.add(read);
		}
		assertThat(received).isEqualTo(sent);
		return reads;
	}

	private static byte[] randomBytes(int size) {
		byte[] data = new byte[size];
		ThreadLocalRandom.current().nextBytes(data);
		return data;
	}

	private static boolean covers(Direction fault, Direction flow) {
		return fault.covers(flow);
	}

	@ParameterizedTest
	@EnumSource(Direction.class)
	void latencyDelaysDataInItsDirectionOnly(Direction direction) {
		this.proxy.inject(Faults.latency(Duration.ofMillis(200)).direction(direction));
		long up = upstreamTransit(100);
		long down = downstreamTransit(100);
		for (Direction flow : List.of(Direction.UPSTREAM, Direction.DOWNSTREAM)) {
			long transit = (flow == Direction.UPSTREAM) ? up : down;
			if (covers(direction, flow)) {
				assertThat(transit).as(flow + " transit").isBetween(200L - 1, 200L + TOLERANCE_MS);
			}
			else {
				assertThat(transit).as(flow + " transit").isLessThan(100L);
			}
		}
	}

	@Test
	void latencyIsDownstreamByDefault() {
		ActiveFault latency = this.proxy.latency(Duration.ofMillis(150));
		assertThat(latency.spec().direction()).isEqualTo(Direction.DOWNSTREAM);
		assertThat(upstreamTransit(10)).isLessThan(100L);
		assertThat(downstreamTransit(10)).isBetween(150L - 1, 150L + TOLERANCE_MS);
	}

	@Test
	void jitterSpreadsTheDelayWithinItsBounds() {
		this.proxy.inject(Faults.latency(Duration.ofMillis(60)).jitter(Duration.ofMillis(40)));
		List<Long> transits = new ArrayList<>();
		for (int i = 0; i < 15; i++) {
			transits.add(downstreamTransit(10));
		}
		assertThat(transits).allSatisfy((transit) -> assertThat(transit).isBetween(20L - 1, 100L + TOLERANCE_MS));
		long spread = transits.stream().mapToLong(Long::longValue).max().getAsLong()
				- transits.stream().mapToLong(Long::longValue).min().getAsLong();
		assertThat(spread).as("spread of " + transits).isGreaterThan(10L);
	}

	@Test
	void latencyKeepsOrderWhenJitterWouldReorder() throws IOException {
		this.proxy.inject(Faults.latency(Duration.ofMillis(50)).jitter(Duration.ofMillis(50)));
		byte[] all = new byte[50];
		for (int i = 0; i < all.length; i++) {
			all[i] = (byte) i;
			this.peer.write(new byte[] { (byte) i });
		}
		assertThat(this.client.read(all.length, TIMEOUT)).isEqualTo(all);
	}

	@ParameterizedTest
	@EnumSource(value = Direction.class, names = { "UPSTREAM", "DOWNSTREAM" })
	void bandwidthLimitsTheRateInItsDirection(Direction direction) {
		long rate = 256 * 1024;
		this.proxy.inject(Faults.bandwidth(rate).direction(direction));
		int size = 128 * 1024;
		long transit = (direction == Direction.UPSTREAM) ? upstreamTransit(size) : downstreamTransit(size);
		long other = (direction == Direction.UPSTREAM) ? downstreamTransit(size) : upstreamTransit(size);
		// 128 KiB at 256 KiB/s: half a second, give or take one 10 ms piece and scheduling
		assertThat(transit).isBetween(480L, 500L + TOLERANCE_MS);
		assertThat(other).isLessThan(100L);
	}

	@Test
	void slicerCutsDataIntoSmallDelayedPieces() throws IOException {
		this.proxy.inject(Faults.slicer(10).sizeVariation(5).delay(Duration.ofMillis(5)));
		byte[] data = randomBytes(300);
		long start = System.nanoTime();
		this.peer.write(data);
		List<Integer> reads = readEach(data);
		long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
		// at most 15 bytes a piece: at least 20 pieces, 5 ms apart
		assertThat(elapsed).isGreaterThanOrEqualTo(19 * 5L);
		assertThat(reads).hasSizeGreaterThan(5);
	}

	@Test
	void slicerWithNoDelayWritesEveryPieceOnItsOwnAndKeepsEveryByte() throws IOException {
		this.proxy.inject(Faults.slicer(10).sizeVariation(5).direction(Direction.BOTH).build());
		byte[] data = randomBytes(3000);
		this.peer.write(data);
		List<Integer> reads = readEach(data);
		if (transport() == Transport.IN_PROCESS) {
			// no network to merge them: each read is one piece of at most 15 bytes
			assertThat(reads).allSatisfy((read) -> assertThat(read).isLessThanOrEqualTo(15));
		}
		assertThat(upstreamTransit(3000)).isLessThan(1000L);
	}

	@ParameterizedTest
	@EnumSource(Direction.class)
	void blackholeDropsDataInItsDirectionAndKeepsTheSocketsOpen(Direction direction) throws IOException {
		ActiveFault blackhole = this.proxy.inject(Faults.blackhole().direction(direction));
		this.client.send(new byte[] { 1 });
		this.peer.write(new byte[] { 2 });
		if (direction.covers(Direction.DOWNSTREAM)) {
			assertThat(this.client.awaitEnd(Duration.ofMillis(300))).isEqualTo(Peer.End.OPEN);
		}
		else {
			assertThat(this.client.read(1, TIMEOUT)).containsExactly(2);
		}
		if (direction.covers(Direction.UPSTREAM)) {
			assertThat(this.peer.awaitEnd(Duration.ofMillis(300))).isEqualTo(Peer.End.OPEN);
			assertThat(this.peer.bytesReceived()).isZero();
		}
		else {
			assertThat(this.peer.read(1, TIMEOUT)).containsExactly(1);
		}
		assertThat(blackhole.fired()).isEqualTo(direction == Direction.BOTH ? 2 : 1);
		blackhole.close();
		assertThat(upstreamTransit(10)).isLessThan(100L);
		assertThat(downstreamTransit(10)).isLessThan(100L);
	}

	@Test
	void aClientsCloseReachesTheServerBehindTheDataAFaultStillDelays() {
		this.proxy.inject(Faults.latency(Duration.ofMillis(300)).direction(Direction.UPSTREAM));
		long start = System.nanoTime();
		this.client.send(new byte[] { 4 });
		this.client.close();
		assertThat(this.peer.read(1, TIMEOUT)).containsExactly(4);
		assertThat(this.peer.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.EOF);
		assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(300L - 1, 300L + TOLERANCE_MS);
	}

	@ParameterizedTest
	@EnumSource(value = Direction.class, names = { "UPSTREAM", "DOWNSTREAM" })
	void slowCloseDelaysTheFinInItsDirection(Direction direction) throws IOException {
		this.proxy.inject(Faults.slowClose(Duration.ofMillis(300)).direction(direction));
		long start = System.nanoTime();
		Peer.End end;
		if (direction == Direction.DOWNSTREAM) {
			this.peer.write(new byte[] { 3 });
			this.peer.socket().shutdownOutput();
			assertThat(this.client.read(1, TIMEOUT)).containsExactly(3);
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(100L);
			end = this.client.awaitEnd(TIMEOUT);
		}
		else {
			this.client.send(new byte[] { 3 });
			this.client.shutdownOutput();
			assertThat(this.peer.read(1, TIMEOUT)).containsExactly(3);
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(100L);
			end = this.peer.awaitEnd(TIMEOUT);
		}
		assertThat(end).isEqualTo(Peer.End.EOF);
		assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(300L - 1, 300L + TOLERANCE_MS);
	}

	@ParameterizedTest
	@EnumSource(value = Direction.class, names = { "UPSTREAM", "DOWNSTREAM" })
	void limitDataDeliversExactlyTheLimitThenClosesTheConnection(Direction direction) {
		this.proxy.inject(Faults.limitData(100).direction(direction));
		byte[] data = randomBytes(150);
		byte[] expected = java.util.Arrays.copyOf(data, 100);
		if (direction == Direction.DOWNSTREAM) {
			this.peer.write(data);
			assertThat(this.client.read(100, TIMEOUT)).isEqualTo(expected);
			assertThat(this.client.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.EOF);
		}
		else {
			this.client.send(data);
			assertThat(this.peer.read(100, TIMEOUT)).isEqualTo(expected);
			assertThat(this.peer.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.EOF);
		}
	}

	@Test
	void limitDataCountsEachConnectionOnItsOwn() {
		this.proxy.limitData(1000);
		downstreamTransit(600);
		try (Client second = Client.connect(this.proxy, transport())) {
			Peer secondPeer = this.upstream.awaitConnection(TIMEOUT);
			secondPeer.write(new byte[600]);
			assertThat(second.read(600, TIMEOUT)).hasSize(600);
		}
		downstreamTransit(300);
		this.peer.write(new byte[200]);
		assertThat(this.client.read(100, TIMEOUT)).hasSize(100);
		assertThat(this.client.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.EOF);
	}

	@Test
	void removingADelayingFaultReleasesWhatItHeldAtOnce() {
		ActiveFault latency = this.proxy.latency(Duration.ofSeconds(30));
		byte[] data = randomBytes(10);
		this.peer.write(data);
		assertThat(this.client.awaitEnd(Duration.ofMillis(100))).isEqualTo(Peer.End.OPEN);
		long start = System.nanoTime();
		latency.close();
		assertThat(this.client.read(10, TIMEOUT)).isEqualTo(data);
		assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(500L);
	}

	@Test
	void healingReleasesACloseThatFollowsDelayedDataTogetherWithIt() {
		this.proxy.inject(Faults.latency(Duration.ofSeconds(2)).build());
		this.proxy.inject(Faults.limitData(100).build());
		byte[] data = randomBytes(200);
		this.peer.write(data);
		assertThat(this.client.awaitEnd(Duration.ofMillis(200))).isEqualTo(Peer.End.OPEN);
		long start = System.nanoTime();
		this.proxy.heal();
		assertThat(this.client.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.EOF);
		assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(500L);
	}

	@Test
	void faultsCombineInTheOrderTheyWereInjected() {
		this.proxy.latency(Duration.ofMillis(100));
		this.proxy.inject(Faults.latency(Duration.ofMillis(100)).direction(Direction.BOTH));
		assertThat(upstreamTransit(10)).isBetween(100L - 1, 100L + TOLERANCE_MS);
		assertThat(downstreamTransit(10)).isBetween(200L - 1, 200L + TOLERANCE_MS);
	}

	@Test
	void aFaultAppliesToConnectionsOpenedBeforeAndAfterIt() {
		this.proxy.latency(Duration.ofMillis(150));
		assertThat(downstreamTransit(10)).isGreaterThanOrEqualTo(149L);
		try (Client second = Client.connect(this.proxy, transport())) {
			Peer secondPeer = this.upstream.awaitConnection(TIMEOUT);
			long start = System.nanoTime();
			secondPeer.write(new byte[] { 1 });
			second.read(1, TIMEOUT);
			assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(149L);
		}
	}

}
