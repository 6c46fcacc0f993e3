package dev.dbfault.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.FaultSocketFactory;
import dev.dbfault.core.Protocol;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * One way from the benchmark's clients to PostgreSQL: straight, or through one of the
 * relays being compared. Every relay listens on 127.0.0.1 and a port of its own.
 */
abstract class Relay implements AutoCloseable {

	private final String name;

	/** The relay process's children at the last reading of its CPU time. */
	private final Set<Long> knownChildren = new HashSet<>();

	Relay(String name) {
		this.name = name;
	}

	String name() {
		return this.name;
	}

	abstract int port();

	/**
	 * Returns the driver parameters a JDBC URL needs to take this path, beyond the port.
	 * @return {@code name=value} pairs joined with {@code &}, or an empty string
	 */
	String urlParameters() {
		return "";
	}

	/**
	 * Returns whether only a client in this JVM can take this path (it is no port to
	 * connect to, but sockets of the JDBC driver's own).
	 * @return whether pgbench and other processes cannot use it
	 */
	boolean inJvmOnly() {
		return false;
	}

	/**
	 * Returns the process to measure for memory, if the relay runs in one of its own.
	 * @return the process, or {@code null}
	 */
	Process process() {
		return null;
	}

	/**
	 * Returns the CPU time the relay used so far: its process and its children's, or, for a
	 * relay in this JVM, its own threads'; -1 for none (the direct path).
	 * @return nanoseconds of CPU time, or -1
	 */
	long cpuNanos() {
		Process process = process();
		return (process != null) ? processCpuNanos(process, this.knownChildren) : -1;
	}

	@Override
	public abstract void close();

	/**
	 * Reads user and system time of a process and of its reaped children from
	 * {@code /proc/PID/stat}, plus what its live children used. Children that were not there
	 * at the last reading served connections opened since; they are given a moment to exit
	 * and be reaped, so that the time of the connections just closed is counted. Children
	 * that were there (a pool's connections, open all along) are counted live.
	 * @param process the relay's process
	 * @param known the children seen at the last reading; updated
	 */
	static long processCpuNanos(Process process, Set<Long> known) {
		long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		while (process.descendants().anyMatch((child) -> !known.contains(child.pid())) && System.nanoTime() < deadline) {
			sleep(10);
		}
		long ticks;
		try {
			String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"), StandardCharsets.US_ASCII);
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// after the command name: state is field 3; utime, stime, cutime, cstime are 14 to 17
			ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
					+ Long.parseLong(fields[14]);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
		List<ProcessHandle> children = process.descendants().toList();
		known.clear();
		children.forEach((child) -> known.add(child.pid()));
		long live = children.stream()
			.mapToLong((child) -> child.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
			.sum();
		return ticks * (1_000_000_000L / CLOCK_TICKS) + live;
	}

	/**
	 * Creates a relay in this JVM and notes the threads it started, whose CPU time is the
	 * relay's.
	 */
	private static <T> InJvm<T> inJvm(Supplier<T> start) {
		Set<Long> before = liveThreadIds();
		T relay = start.get();
		Set<Long> started = liveThreadIds();
		started.removeAll(before);
		if (started.isEmpty()) {
			throw new IllegalStateException("The relay started no thread of its own: its CPU time cannot be measured");
		}
		return new InJvm<>(relay, started.stream().mapToLong(Long::longValue).toArray());
	}

	private static Set<Long> liveThreadIds() {
		return Arrays.stream(THREADS.getAllThreadIds()).boxed().collect(Collectors.toCollection(HashSet::new));
	}

	/** CPU time of the given threads of this JVM; a thread that ended adds nothing. */
	private static long threadsCpuNanos(long[] threads) {
		long sum = 0;
		for (long thread : threads) {
			sum += Math.max(0, THREADS.getThreadCpuTime(thread));
		}
		return sum;
	}

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private record InJvm<T>(T relay, long[] threads) {

	}

	/** The kernel's clock ticks per second, in which {@code /proc} counts CPU time. */
	private static final long CLOCK_TICKS = clockTicks();

	private static long clockTicks() {
		try {
			Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
			String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
			return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
		}
		catch (IOException | NumberFormatException ex) {
			return 100;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 100;
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void awaitListening(int port, Process process, String what) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < deadline) {
			if (process != null && !process.isAlive()) {
				throw new IllegalStateException(what + " exited with " + process.exitValue());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (IOException ex) {
				sleep(50);
			}
		}
		throw new IllegalStateException(what + " did not listen on " + port);
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static Relay direct(int upstream) {
		return new Relay("direct") {

			@Override
			int port() {
				return upstream;
			}

			@Override
			public void close() {
			}

		};
	}

	/**
	 * The embedded proxy with a {@code latency} of 0ms on both directions: it fires on every
	 * chunk and delays nothing, so each chunk is journaled when the journal is on.
	 */
	static Relay dbfaultFiring(String name, int upstream, int journalSize) {
		InJvm<FaultProxy> started = inJvm(() -> FaultProxy.builder()
			.name("bench-firing")
			.upstream("127.0.0.1", upstream)
			.protocol(Protocol.POSTGRESQL)
			.journalSize(journalSize)
			.maxFaultDuration(java.time.Duration.ofDays(1))
			.start());
		started.relay()
			.inject(dev.dbfault.core.fault.Faults.latency(java.time.Duration.ZERO)
				.direction(dev.dbfault.core.fault.Direction.BOTH)
				.build());
		return embedded(name, started);
	}

	/**
	 * dbfault's in-process transport: the JDBC driver's own sockets, straight to PostgreSQL,
	 * the proxy's fault engine on the driver's threads; with a {@code sql-error} that matches
	 * no statement, if asked, so that every statement is looked at.
	 */
	static Relay dbfaultInProcess(String name, int upstream, boolean statementFault) {
		InJvm<FaultProxy> started = inJvm(() -> FaultProxy.builder()
			.name("bench-in-process")
			.upstream("127.0.0.1", upstream)
			.protocol(Protocol.POSTGRESQL)
			.maxFaultDuration(java.time.Duration.ofDays(1))
			.start());
		FaultProxy proxy = started.relay();
		if (statementFault) {
			proxy.inject(dev.dbfault.core.fault.Faults.sqlError("^no statement of the benchmark starts so", "40001"));
		}
		return new Relay(name) {

			@Override
			long cpuNanos() {
				// the engine runs on the client's threads, whose time is the client's too: not separable
				return -1;
			}

			@Override
			int port() {
				return upstream;
			}

			@Override
			String urlParameters() {
				return FaultSocketFactory.urlParameters(proxy);
			}

			@Override
			boolean inJvmOnly() {
				return true;
			}

			@Override
			public void close() {
				proxy.stop();
			}

		};
	}

	/** dbfault in this JVM, as the Spring Boot starter runs it: PostgreSQL-aware. */
	static Relay dbfaultEmbedded(int upstream) {
		return embedded("dbfault embedded", inJvm(() -> FaultProxy.builder()
			.name("bench")
			.upstream("127.0.0.1", upstream)
			.protocol(Protocol.POSTGRESQL)
			.start()));
	}

	private static Relay embedded(String name, InJvm<FaultProxy> started) {
		FaultProxy proxy = started.relay();
		return new Relay(name) {

			@Override
			long cpuNanos() {
				return threadsCpuNanos(started.threads());
			}

			@Override
			int port() {
				return proxy.listenAddress().getPort();
			}

			@Override
			public void close() {
				proxy.stop();
			}

		};
	}

	/** dbfault's command-line proxy in a JVM of its own. */
	static Relay dbfaultStandalone(Path jar, int upstream) {
		return dbfaultStandalone(jar, upstream, List.of());
	}

	static Relay dbfaultStandalone(Path jar, int upstream, List<String> options) {
		int port = freePort();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString(), "--upstream", "127.0.0.1:" + upstream,
				"--listen", "127.0.0.1:" + port, "--protocol", "postgresql"));
		command.addAll(options);
		return process("dbfault standalone", port, command);
	}

	static Relay socat(int upstream) {
		int port = freePort();
		return process("socat", port, List.of("socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork,nodelay",
				"TCP:127.0.0.1:" + upstream + ",nodelay"));
	}

	static Relay haproxy(int upstream, Path workDirectory) {
		int port = freePort();
		Path config = workDirectory.resolve("haproxy-" + port + ".cfg");
		String text = String.join("\n", "global", "  maxconn 4096", "defaults", "  mode tcp", "  timeout connect 5s",
				"  timeout client 1h", "  timeout server 1h", "frontend bench", "  bind 127.0.0.1:" + port,
				"  default_backend postgres", "backend postgres", "  server db 127.0.0.1:" + upstream, "");
		try {
			Files.writeString(config, text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return process("haproxy", port, List.of("haproxy", "-db", "-f", config.toString()));
	}

	/** NetCrusher, a Java NIO relay, in this JVM. */
	static Relay netcrusher(int upstream) {
		int port = freePort();
		InJvm<Crusher> started = inJvm(() -> {
			try {
				NioReactor reactor = new NioReactor();
				return new Crusher(reactor, TcpCrusherBuilder.builder()
					.withReactor(reactor)
					.withBindAddress("127.0.0.1", port)
					.withConnectAddress("127.0.0.1", upstream)
					.withTcpNoDelay(true)
					.buildAndOpen());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		return new Relay("netcrusher") {

			@Override
			int port() {
				return port;
			}

			@Override
			long cpuNanos() {
				return threadsCpuNanos(started.threads());
			}

			@Override
			public void close() {
				started.relay().crusher().close();
				started.relay().reactor().close();
			}

		};
	}

	private record Crusher(NioReactor reactor, TcpCrusher crusher) {

	}

	private static Relay process(String name, int port, List<String> command) {
		Process process;
		try {
			process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name + " (" + command.get(0) + ")", ex);
		}
		awaitListening(port, process, name);
		return new Relay(name) {

			@Override
			int port() {
				return port;
			}

			@Override
			Process process() {
				return process;
			}

			@Override
			public void close() {
				process.descendants().forEach(ProcessHandle::destroy);
				process.destroy();
				try {
					if (!process.waitFor(5, TimeUnit.SECONDS)) {
						process.destroyForcibly();
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

		};
	}

}
