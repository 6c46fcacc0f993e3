package dev.dbfault.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Transport;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.testdb.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults added and removed from several threads while traffic flows: no deadlock, no
 * corrupted byte, no exception escaping the relay.
 */
class ConcurrencyTests {

	private static final Duration RUN = Duration.ofSeconds(3);

	private final ConcurrentLinkedQueue<LogRecord> errors = new ConcurrentLinkedQueue<>();

	private final Handler errorCollector = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
				ConcurrencyTests.this.errors.add(record);
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private Upstream upstream;

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		Logger.getLogger("dev.dbfault").addHandler(this.errorCollector);
		this.upstream = Upstream.echo();
		this.proxy = FaultProxy.builder().name("concurrency").upstream("127.0.0.1", this.upstream.port()).start();
	}

	/**
	 * Returns how the clients reach the proxy's faults; {@link ConcurrencyInProcessTests} runs
	 * every test here on in-process sockets.
	 * @return the transport
	 */
	Transport transport() {
		return Transport.PROXY;
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
		this.upstream.close();
		Logger.getLogger("dev.dbfault").removeHandler(this.errorCollector);
	}

	@Test
	void faultsThatKeepDataComeAndGoWhileEchoesStayExact() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong echoes = new AtomicLong();
		AtomicLong changes = new AtomicLong();
		ExecutorService executor = Executors.newFixedThreadPool(8);
		List<Future<?>> tasks = new ArrayList<>();
		try {
			for (int i = 0; i < 6; i++) {
				tasks.add(executor.submit(() -> {
					try (Client client = Client.connect(this.proxy, transport())) {
						while (running.get()) {
							byte[] data = new byte[1 + ThreadLocalRandom.current().nextInt(20_000)];
							ThreadLocalRandom.current().nextBytes(data);
							assertThat(client.echo(data, Duration.ofSeconds(10))).isEqualTo(data);
							echoes.incrementAndGet();
						}
					}
					return null;
				}));
			}
			for (int i = 0; i < 2; i++) {
				tasks.add(executor.submit(() -> {
					while (running.get()) {
						ActiveFault fault = this.proxy.inject(randomHarmlessFault());
						changes.incrementAndGet();
						if (ThreadLocalRandom.current().nextInt(4) == 0) {
							this.proxy.heal();
						}
						else {
							fault.close();
						}
						changes.incrementAndGet();
					}
					return null;
				}));
			}
			Thread.sleep(RUN.toMillis());
			// a slow machine makes fewer changes in the same time: run on until there were enough
			Waits.await("1,000 fault changes and 100 echoes", Duration.ofSeconds(60),
					() -> changes.get() > 1000 && echoes.get() > 100);
			running.set(false);
			for (Future<?> task : tasks) {
				task.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			running.set(false);
			executor.shutdownNow();
		}
		assertThat(this.proxy.state()).isEqualTo(FaultProxy.State.RUNNING);
		assertThat(this.errors).isEmpty();
	}

	private static FaultSpec randomHarmlessFault() {
		return switch (ThreadLocalRandom.current().nextInt(5)) {
			case 0 -> Faults.latency(Duration.ofMillis(ThreadLocalRandom.current().nextInt(3)))
				.direction(Direction.BOTH)
				.build();
			case 1 -> Faults.slicer(1 + ThreadLocalRandom.current().nextInt(2000)).build();
			case 2 -> Faults.bandwidth(32L * 1024 * 1024).direction(Direction.UPSTREAM).build();
			case 3 -> Faults.slowClose(Duration.ofMillis(5)).build();
			default -> Faults.limitData(FaultParameter.MAX_SIZE).probability(0.5).build();
		};
	}

	@Test
	void destructiveFaultsFromManyThreadsNeverDeadlockOrCorrupt() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong operations = new AtomicLong();
		AtomicLong verifiedBytes = new AtomicLong();
		ExecutorService executor = Executors.newFixedThreadPool(10);
		List<Future<?>> tasks = new ArrayList<>();
		try {
			for (int i = 0; i < 6; i++) {
				tasks.add(executor.submit(() -> {
					while (running.get()) {
						echoUntilBroken(running, verifiedBytes);
					}
					return null;
				}));
			}
			for (int i = 0; i < 4; i++) {
				tasks.add(executor.submit(() -> {
					while (running.get()) {
						switch (ThreadLocalRandom.current().nextInt(6)) {
							case 0 -> this.proxy.resetConnections();
							case 1 -> this.proxy.closeConnections();
							case 2 -> this.proxy.inject(Faults.blackhole().times(3));
							case 3 -> this.proxy.inject(Faults.timeout(Duration.ofMillis(20)).times(1));
							case 4 -> this.proxy.inject(Faults.resetPeer(Duration.ofMillis(5)).probability(0.3));
							default -> this.proxy.heal();
						}
						operations.incrementAndGet();
						// a pause so that connections live long enough to carry data: with four
						// threads resetting every few hundred microseconds, no echo would finish
						Thread.sleep(2 + ThreadLocalRandom.current().nextInt(7));
					}
					return null;
				}));
			}
			Thread.sleep(RUN.toMillis());
			// how much gets through between faults is luck (a blackholed client waits out its
			// read timeout): run on until enough was echoed for the checks to mean something
			// how many fault operations fit in that time is the machine's, too
			Waits.await("20,000 bytes echoed and checked between 1,000 fault operations", Duration.ofSeconds(60),
					() -> verifiedBytes.get() > 20_000 && operations.get() > 1000);
			running.set(false);
			for (Future<?> task : tasks) {
				// a deadlock would surface here as a timeout
				task.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			running.set(false);
			executor.shutdownNow();
		}
		this.proxy.heal();
		assertThat(this.proxy.state()).isEqualTo(FaultProxy.State.RUNNING);
		try (Client client = Client.connect(this.proxy, transport())) {
			byte[] data = "still relaying".getBytes();
			assertThat(client.echo(data, Duration.ofSeconds(5))).isEqualTo(data);
		}
		assertThat(this.errors).isEmpty();
	}

	/**
	 * Echoes on one connection until a fault breaks it; whatever bytes did come back must be
	 * exactly what was sent, in order; they are counted.
	 */
	private void echoUntilBroken(AtomicBoolean running, AtomicLong verifiedBytes) {
		try (Client client = Client.connect(this.proxy, transport())) {
			client.socket().setSoTimeout(200);
			while (running.get()) {
				byte[] data = new byte[1 + ThreadLocalRandom.current().nextInt(4000)];
				ThreadLocalRandom.current().nextBytes(data);
				client.send(data);
				byte[] back = new byte[data.length];
				int offset = 0;
				while (offset < back.length) {
					int read = client.socket().getInputStream().read(back, offset, back.length - offset);
					if (read < 0) {
						break;
					}
					offset += read;
				}
				assertThat(Arrays.copyOf(back, offset)).isEqualTo(Arrays.copyOf(data, offset));
				verifiedBytes.addAndGet(offset);
				if (offset < data.length) {
					return;
				}
			}
		}
		catch (java.io.IOException | java.io.UncheckedIOException ex) {
			// broken by a fault: expected
		}
	}

}
