package dev.dbfault.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Upstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes are never altered: random payloads through many concurrent connections come back
 * intact from an echo upstream (so both directions are checked), with no fault and with
 * the faults that reshape the stream.
 */
class IntegrityTests {

	private static final int CONNECTIONS = 16;

	private static final int PAYLOAD = 512 * 1024;

	private Upstream upstream;

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		this.upstream = Upstream.echo();
		this.proxy = FaultProxy.builder().name("integrity").upstream("127.0.0.1", this.upstream.port()).start();
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
		this.upstream.close();
	}

	static Stream<Arguments> faults() {
		return Stream.of(Arguments.of("no fault", (Supplier<FaultSpec>) () -> null),
				Arguments.of("latency both ways",
						(Supplier<FaultSpec>) () -> Faults.latency(Duration.ofMillis(2))
							.jitter(Duration.ofMillis(2))
							.direction(Direction.BOTH)
							.build()),
				Arguments.of("slicer both ways",
						(Supplier<FaultSpec>) () -> Faults.slicer(700).sizeVariation(600).direction(Direction.BOTH).build()),
				Arguments.of("bandwidth both ways",
						(Supplier<FaultSpec>) () -> Faults.bandwidth(64L * 1024 * 1024).direction(Direction.BOTH).build()),
				Arguments.of("all three",
						(Supplier<FaultSpec>) () -> Faults.slicer(4096).sizeVariation(4000).delay(Duration.ofNanos(1000)).build()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("faults")
	void randomPayloadsThroughManyConnectionsArriveIntact(String name, Supplier<FaultSpec> fault) throws Exception {
		if (fault.get() != null) {
			this.proxy.inject(fault.get());
			if (name.equals("all three")) {
				this.proxy.inject(Faults.latency(Duration.ofMillis(1)).direction(Direction.BOTH));
				this.proxy.inject(Faults.bandwidth(128L * 1024 * 1024).direction(Direction.UPSTREAM));
			}
		}
		ExecutorService executor = Executors.newFixedThreadPool(CONNECTIONS * 2);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < CONNECTIONS; i++) {
				byte[] payload = new byte[PAYLOAD];
				new Random(i).nextBytes(payload);
				Client client = Client.connect(this.proxy);
				Socket socket = client.socket();
				// write and read at once, so neither side's buffers can stall the other
				executor.submit(() -> write(socket, payload));
				results.add(executor.submit(() -> readAndCompare(client, payload)));
			}
			for (Future<Boolean> result : results) {
				assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.proxy.stats().bytesUpstream()).isEqualTo((long) CONNECTIONS * PAYLOAD);
		assertThat(this.proxy.stats().bytesDownstream()).isEqualTo((long) CONNECTIONS * PAYLOAD);
	}

	private static Void write(Socket socket, byte[] payload) throws IOException {
		OutputStream out = socket.getOutputStream();
		Random random = new Random();
		int offset = 0;
		while (offset < payload.length) {
			int length = Math.min(payload.length - offset, 1 + random.nextInt(32 * 1024));
			out.write(payload, offset, length);
			offset += length;
		}
		socket.shutdownOutput();
		return null;
	}

	private static boolean readAndCompare(Client client, byte[] expected) throws IOException {
		try (client) {
			client.socket().setSoTimeout(30_000);
			InputStream in = client.socket().getInputStream();
			byte[] received = new byte[expected.length];
			int offset = 0;
			int read;
			while (offset < received.length && (read = in.read(received, offset, received.length - offset)) >= 0) {
				offset += read;
			}
			assertThat(offset).isEqualTo(expected.length);
			assertThat(in.read()).as("end of stream after the payload").isEqualTo(-1);
			assertThat(received).isEqualTo(expected);
			return true;
		}
	}

}
