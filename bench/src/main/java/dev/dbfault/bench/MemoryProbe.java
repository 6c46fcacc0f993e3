package dev.dbfault.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.FaultSocketFactory;
import dev.dbfault.core.Protocol;

/**
 * Memory per idle proxied connection: a relay in a process of its own is measured (resident
 * set, and for a JVM the heap in use after a full GC) with no connection, then with
 * {@code connections} idle connections open through it to a server that holds them.
 */
final class MemoryProbe {

	private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

	private MemoryProbe() {
	}

	/**
	 * One relay's memory figures.
	 *
	 * @param relay the relay
	 * @param heapBytesPerConnection heap per connection, NaN where not a JVM
	 * @param residentBytesPerConnection resident memory per connection
	 */
	record Row(String relay, double heapBytesPerConnection, double residentBytesPerConnection) {

	}

	static List<Row> measure(List<IntFunction<Relay>> relays, int connections) throws Exception {
		List<Row> rows = new ArrayList<>();
		for (IntFunction<Relay> factory : relays) {
			try (TestServers.Hold hold = new TestServers.Hold(); Relay relay = factory.apply(hold.port())) {
				open(relay, 20).forEach(MemoryProbe::closeQuietly);
				Relay.sleep(500);
				long heapBefore = heap(relay.process());
				long rssBefore = resident(relay.process());
				List<Socket> sockets = open(relay, connections);
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
				while (hold.held() < connections + 20 && System.nanoTime() < deadline) {
					Relay.sleep(50);
				}
				Relay.sleep(500);
				long heapAfter = heap(relay.process());
				long rssAfter = resident(relay.process());
				rows.add(new Row(relay.name(),
						(heapBefore < 0) ? Double.NaN : (heapAfter - heapBefore) / (double) connections,
						(rssAfter - rssBefore) / (double) connections));
				sockets.forEach(MemoryProbe::closeQuietly);
			}
		}
		return rows;
	}

	/**
	 * Measures the heap dbfault adds per idle connection in the client's JVM, on each
	 * transport: through the embedded proxy (its connection and the client's socket to it)
	 * and in-process (the driver's socket and its connection), each against the same number
	 * of plain sockets straight to the server.
	 * @param connections how many connections each path holds
	 * @return a row per transport, resident memory not measured
	 */
	static List<Row> inJvm(int connections) throws Exception {
		try (TestServers.Hold hold = new TestServers.Hold();
				FaultProxy proxy = FaultProxy.builder()
					.name("bench-memory")
					.upstream("127.0.0.1", hold.port())
					.protocol(Protocol.POSTGRESQL)
					.start()) {
			FaultSocketFactory inProcess = new FaultSocketFactory(proxy.socketFactoryArg());
			double direct = heapPerConnection(hold, connections, () -> new Socket("127.0.0.1", hold.port()));
			double embedded = heapPerConnection(hold, connections,
					() -> new Socket("127.0.0.1", proxy.listenAddress().getPort()));
			double socket = heapPerConnection(hold, connections, () -> inProcess.createSocket("127.0.0.1", hold.port()));
			return List.of(new Row("dbfault embedded", embedded - direct, Double.NaN),
					new Row("dbfault in-process", socket - direct, Double.NaN));
		}
	}

	private interface Opener {

		Socket open() throws IOException;

	}

	private static double heapPerConnection(TestServers.Hold hold, int connections, Opener opener) throws Exception {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		int heldBefore = hold.held();
		long before = usedAfterGc(memory);
		List<Socket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < connections; i++) {
				sockets.add(opener.open());
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (hold.held() < heldBefore + connections && System.nanoTime() < deadline) {
				Relay.sleep(20);
			}
			return (usedAfterGc(memory) - before) / (double) connections;
		}
		finally {
			sockets.forEach(MemoryProbe::closeQuietly);
		}
	}

	private static long usedAfterGc(MemoryMXBean memory) {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Relay.sleep(100);
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	private static List<Socket> open(Relay relay, int count) throws IOException {
		List<Socket> sockets = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			sockets.add(new Socket("127.0.0.1", relay.port()));
		}
		return sockets;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/**
	 * Returns the heap in use after a full GC, for a JVM; -1 for another process.
	 */
	private static long heap(Process process) throws IOException, InterruptedException {
		if (!ProcessHandle.of(process.pid()).flatMap((handle) -> handle.info().command()).orElse("").endsWith("java")) {
			return -1;
		}
		jcmd(process, "GC.run");
		Matcher matcher = HEAP_USED.matcher(jcmd(process, "GC.heap_info"));
		return matcher.find() ? Long.parseLong(matcher.group(1)) * 1024 : -1;
	}

	private static String jcmd(Process process, String command) throws IOException, InterruptedException {
		String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
		Process run = new ProcessBuilder(jcmd, String.valueOf(process.pid()), command).redirectErrorStream(true).start();
		String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		run.waitFor(30, TimeUnit.SECONDS);
		return output;
	}

	/**
	 * Returns the resident memory of a process and its children (socat forks one per
	 * connection).
	 */
	private static long resident(Process process) {
		return Stream.concat(Stream.of(process.toHandle()), process.descendants())
			.mapToLong((handle) -> residentOf(handle.pid()))
			.sum();
	}

	private static long residentOf(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
				}
			}
		}
		catch (IOException ex) {
			// the process just ended
		}
		return 0;
	}

}
