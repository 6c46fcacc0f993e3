package dev.dbfault.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.fault.JournalEntry;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Transport;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.core.testing.Upstream.Peer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same data faults have the same effect on both transports: every data fault alone and
 * in pairs, the first one removed before, while, or after the data passes, each case run
 * through the relay and through an in-process socket; the payload goes up, then down. Both runs must deliver the same bytes
 * each way, end the connection the same way, journal the same firings, and deliver within
 * {@value #TOLERANCE_MS} ms of each other.
 */
class DelayLineDifferentialTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	/** How far apart the two transports may deliver, on a loaded 2-core machine. */
	private static final long TOLERANCE_MS = 200;

	/** How long a side waits for the payload, or for its connection to end. */
	private static final long READ_FOR_MS = 800;

	private static final int PAYLOAD = 4096;

	/** The runs' and readers' threads: they block, so none comes from the common pool. */
	private static final ExecutorService THREADS = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "differential");
		thread.setDaemon(true);
		return thread;
	});

	/** When the first fault is removed while the data passes, after the data is sent. */
	private static final long DURING_MS = 60;

	/** The data faults, each acting both ways, with a seed where they draw. */
	private static final List<Named> FAULTS = List.of(
			new Named("latency", () -> Faults.latency(Duration.ofMillis(150)).direction(Direction.BOTH).build()),
			new Named("jitter", () -> Faults.latency(Duration.ofMillis(100)).jitter(Duration.ofMillis(50))
				.direction(Direction.BOTH).seed(7).build()),
			new Named("bandwidth", () -> Faults.bandwidth(32 * 1024).direction(Direction.BOTH).build()),
			new Named("bandwidth-0", () -> Faults.bandwidth(0).direction(Direction.BOTH).build()),
			new Named("slicer", () -> Faults.slicer(64).sizeVariation(32).delay(Duration.ofMillis(1))
				.direction(Direction.BOTH).seed(7).build()),
			new Named("limit-data", () -> Faults.limitData(3000).direction(Direction.BOTH).build()),
			new Named("slow-close", () -> Faults.slowClose(Duration.ofMillis(150)).direction(Direction.BOTH).build()),
			new Named("timeout", () -> Faults.timeout(Duration.ofMillis(150)).direction(Direction.BOTH).build()));

	enum Removal {

		/** Before any data is sent. */
		BEFORE,

		/** While the data passes. */
		DURING,

		/** Once both sides read what they were going to. */
		AFTER

	}

	static Stream<Arguments> cases() {
		List<Arguments> cases = new ArrayList<>();
		for (int i = 0; i < FAULTS.size(); i++) {
			for (Removal removal : Removal.values()) {
				cases.add(Arguments.of(List.of(FAULTS.get(i)), removal));
			}
			for (int j = i + 1; j < FAULTS.size(); j++) {
				for (Removal removal : Removal.values()) {
					cases.add(Arguments.of(List.of(FAULTS.get(i), FAULTS.get(j)), removal));
				}
			}
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}, the first removed {1}")
	@MethodSource("cases")
	void bothTransportsAgree(List<Named> faults, Removal removal) throws Exception {
		// the two runs at once: each has its own proxy and upstream, and the suite takes half the time
		CompletableFuture<Outcome> relayRun = CompletableFuture.supplyAsync(() -> run(Transport.PROXY, faults, removal), THREADS);
		Outcome inProcess = run(Transport.IN_PROCESS, faults, removal);
		Outcome relay = relayRun.get(30, TimeUnit.SECONDS);
		byte[] down = payload(1);
		byte[] up = payload(2);
		assertThat(relay.down.received(down)).as("relay downstream").endsWith("the payload's first");
		assertThat(relay.up.received(up)).as("relay upstream").endsWith("the payload's first");
		assertThat(inProcess.down.received(down)).as("bytes downstream").isEqualTo(relay.down.received(down));
		assertThat(inProcess.up.received(up)).as("bytes upstream").isEqualTo(relay.up.received(up));
		assertThat(inProcess.down.end).as("how the client's stream ended").isEqualTo(relay.down.end);
		assertThat(inProcess.up.end).as("how the server's stream ended").isEqualTo(relay.up.end);
		assertThat(inProcess.journal).as("journal").isEqualTo(relay.journal);
		assertThat(inProcess.down.lastByteMs).as("downstream delivery (relay: " + relay.down.lastByteMs + " ms)")
			.isCloseTo(relay.down.lastByteMs, org.assertj.core.data.Offset.offset(TOLERANCE_MS));
		assertThat(inProcess.up.lastByteMs).as("upstream delivery (relay: " + relay.up.lastByteMs + " ms)")
			.isCloseTo(relay.up.lastByteMs, org.assertj.core.data.Offset.offset(TOLERANCE_MS));
		assertThat(inProcess.healthyAfter).as("a round trip after the removal").isEqualTo(relay.healthyAfter);
	}

	private Outcome run(Transport transport, List<Named> faults, Removal removal) {
		try {
			return runOn(transport, faults, removal);
		}
		catch (Exception ex) {
			throw new IllegalStateException(transport + ": " + ex, ex);
		}
	}

	private Outcome runOn(Transport transport, List<Named> faults, Removal removal) throws Exception {
		try (Upstream upstream = Upstream.manual()) {
			FaultProxy proxy = FaultProxy.builder().name("differential").upstream("127.0.0.1", upstream.port()).start();
			try (Client client = Client.connect(proxy, transport)) {
				Peer peer = upstream.awaitConnection(TIMEOUT);
				// one round trip each way, so the connection is fully set up before any fault
				client.send(new byte[] { 1 });
				peer.read(1, TIMEOUT);
				peer.write(new byte[] { 2 });
				client.read(1, TIMEOUT);
				List<ActiveFault> injected = new ArrayList<>();
				for (Named fault : faults) {
					injected.add(proxy.inject(fault.spec.get()));
				}
				if (removal == Removal.BEFORE) {
					injected.get(0).close();
				}
				byte[] down = payload(1);
				byte[] up = payload(2);
				// one direction after the other: a fault that closes the connection (limit-data,
				// timeout) then ends it at the same point of the stream on both transports
				long start = System.nanoTime();
				CompletableFuture<Side> peerReads = CompletableFuture.supplyAsync(() -> read(peer.socket(), start), THREADS);
				client.send(up);
				if (removal == Removal.DURING) {
					long at = start + TimeUnit.MILLISECONDS.toNanos(DURING_MS);
					while (System.nanoTime() - at < 0) {
						Thread.onSpinWait();
					}
					injected.get(0).close();
				}
				Side upstreamSide = peerReads.get(READ_FOR_MS * 3, TimeUnit.MILLISECONDS);
				long then = System.nanoTime();
				CompletableFuture<Side> clientReads = CompletableFuture.supplyAsync(() -> read(client.socket(), then), THREADS);
				try {
					peer.write(down);
				}
				catch (UncheckedIOException ex) {
					// the connection was closed upstream: the client reads its end
				}
				Side downstream = clientReads.get(READ_FOR_MS * 3, TimeUnit.MILLISECONDS);
				if (removal == Removal.AFTER) {
					injected.get(0).close();
				}
				boolean healthy = downstream.end == Peer.End.OPEN && upstreamSide.end == Peer.End.OPEN
						&& injected.size() == 1 && roundTrip(client, peer);
				TreeSet<String> journal = new TreeSet<>();
				for (JournalEntry entry : proxy.journal()) {
					journal.add(entry.type().id() + " " + entry.direction() + " on #" + entry.connection().number()
							+ ": " + entry.action());
				}
				return new Outcome(downstream, upstreamSide, List.copyOf(journal), healthy);
			}
			finally {
				proxy.stop();
			}
		}
	}

	private static boolean roundTrip(Client client, Peer peer) {
		try {
			client.send(new byte[] { 3 });
			peer.read(1, Duration.ofSeconds(1));
			peer.write(new byte[] { 4 });
			client.read(1, Duration.ofSeconds(1));
			return true;
		}
		catch (AssertionError | RuntimeException ex) {
			return false;
		}
	}

	private static byte[] payload(long seed) {
		byte[] data = new byte[PAYLOAD];
		new Random(seed).nextBytes(data);
		return data;
	}

	/**
	 * Reads until the payload is in, the stream ends, or {@link #READ_FOR_MS} passed; once
	 * the payload is in, watches a little longer for the stream to end.
	 */
	private static Side read(Socket socket, long start) {
		byte[] buffer = new byte[PAYLOAD + 1];
		int count = 0;
		long lastByte = -1;
		Peer.End end = Peer.End.OPEN;
		long deadline = start + TimeUnit.MILLISECONDS.toNanos(READ_FOR_MS);
		try {
			InputStream in = socket.getInputStream();
			while (true) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					break;
				}
				socket.setSoTimeout((int) Math.max(1, left));
				int read;
				try {
					read = in.read(buffer, count, buffer.length - count);
				}
				catch (SocketTimeoutException ex) {
					break;
				}
				if (read < 0) {
					end = Peer.End.EOF;
					break;
				}
				count += read;
				lastByte = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				if (count >= PAYLOAD) {
					// in: give a close that follows (timeout, slow-close) a moment to come
					deadline = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250));
				}
			}
		}
		catch (IOException ex) {
			end = Peer.End.RESET;
		}
		return new Side(Arrays.copyOf(buffer, count), (lastByte < 0) ? 0 : lastByte, end);
	}

	record Named(String name, Supplier<FaultSpec> spec) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	record Side(byte[] bytes, long lastByteMs, Peer.End end) {

		/**
		 * Says what was received: how many bytes, and whether they are the payload's first.
		 * @param payload what was sent
		 * @return the words
		 */
		String received(byte[] payload) {
			boolean intact = Arrays.equals(this.bytes, Arrays.copyOf(payload, Math.min(payload.length, this.bytes.length)));
			return this.bytes.length + (intact ? " bytes, the payload's first" : " bytes, not the payload's first");
		}

	}

	record Outcome(Side down, Side up, List<String> journal, boolean healthyAfter) {
	}

}
