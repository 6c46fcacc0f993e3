package dev.dbfault.core;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.dbfault.core.cli.FaultProxyMain;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.core.testing.Upstream.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Nothing kills the relay: what a fault's work throws ends the connection it concerned and
 * the proxy goes on; an error it cannot survive stops it visibly (state, cause, every socket
 * closed); running out of file descriptors refuses connections for a while, and the proxy
 * relays again once descriptors are free.
 */
class LoopSurvivalTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@TempDir
	Path temporary;

	@Test
	void anErrorInAFaultsWorkEndsOnlyItsConnection() {
		try (Upstream upstream = Upstream.echo()) {
			FaultProxy proxy = throwingWhenAFaultFires("survives", upstream, new AssertionError("a listener that breaks"));
			try (Client bystander = Client.connect(proxy); Client hit = Client.connect(proxy)) {
				assertThat(bystander.echo(new byte[] { 1 }, TIMEOUT)).containsExactly(1);
				assertThat(hit.echo(new byte[] { 1 }, TIMEOUT)).containsExactly(1);
				// fires on the next data only, which only the hit connection sends
				proxy.inject(Faults.latency(Duration.ofMillis(1)).times(1).build());
				hit.send(new byte[] { 2 });
				assertThat(hit.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
				assertThat(proxy.state()).isEqualTo(FaultProxy.State.RUNNING);
				assertThat(bystander.echo(new byte[] { 3 }, TIMEOUT)).containsExactly(3);
				try (Client later = Client.connect(proxy)) {
					assertThat(later.echo(new byte[] { 4 }, TIMEOUT)).containsExactly(4);
				}
			}
			finally {
				proxy.stop();
			}
		}
	}

	@Test
	void anErrorTheProxyCannotSurviveStopsItVisiblyAndClosesEverySocket() {
		OutOfMemoryError simulated = new OutOfMemoryError("simulated");
		try (Upstream upstream = Upstream.echo()) {
			FaultProxy proxy = throwingWhenAFaultFires("fails", upstream, simulated);
			try (Client live = Client.connect(proxy); Client other = Client.connect(proxy)) {
				assertThat(live.echo(new byte[] { 1 }, TIMEOUT)).containsExactly(1);
				assertThat(other.echo(new byte[] { 1 }, TIMEOUT)).containsExactly(1);
				proxy.inject(Faults.latency(Duration.ofMillis(1)).build());
				live.send(new byte[] { 2 });
				assertThat(live.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
				assertThat(other.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
				assertThat(proxy.state()).isEqualTo(FaultProxy.State.FAILED);
				assertThat(proxy.failure()).containsSame(simulated);
				// its port is closed too (not checked by connecting: a test beside this one may have it now)
				assertThatExceptionOfType(IllegalStateException.class).isThrownBy(proxy::listenAddress)
					.withMessageContaining("FAILED");
			}
			finally {
				proxy.stop();
			}
			assertThat(proxy.state()).isEqualTo(FaultProxy.State.FAILED);
		}
	}

	/**
	 * Starts a proxy whose fault work throws when a fault fires (through its listener, which
	 * the engine calls as part of the firing).
	 */
	private static FaultProxy throwingWhenAFaultFires(String name, Upstream upstream, Error error) {
		return FaultProxy.builder().name(name).upstream("127.0.0.1", upstream.port()).listener(new FaultProxyListener() {
			@Override
			public void faultFired(FaultProxy firing, ActiveFault fault) {
				throw error;
			}
		}).start();
	}

	@Test
	void theCoreJarOutOfFileDescriptorsRefusesForAWhileAndRelaysAgainOnceTheyAreFree() throws Exception {
		assumeThat(new File("/bin/sh")).as("a POSIX shell, for ulimit").exists();
		try (Upstream upstream = Upstream.echo()) {
			String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
			ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c",
					"ulimit -n 160 && exec \"$0\" -Xmx64m -cp \"$1\" dev.dbfault.core.cli.FaultProxyMain --upstream 127.0.0.1:"
							+ upstream.port(),
					java, coreClassPath());
			builder.redirectErrorStream(true);
			Process process = builder.start();
			List<Client> old = new ArrayList<>();
			List<Client> flood = new ArrayList<>();
			try {
				BufferedReader output = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
				int port = listeningPort(output);
				List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
				Thread drain = new Thread(() -> output.lines().forEach(said::add), "core-jar-output");
				drain.setDaemon(true);
				drain.start();
				java.net.InetSocketAddress proxy = new java.net.InetSocketAddress("127.0.0.1", port);
				for (int i = 0; i < 20; i++) {
					Client client = Client.connect(proxy);
					old.add(client);
					assertThat(client.echo(new byte[] { (byte) i }, TIMEOUT)).containsExactly(i);
				}
				for (int i = 0; i < 300; i++) {
					try {
						flood.add(Client.connect(proxy));
					}
					catch (RuntimeException refused) {
						// refused: the proxy has no descriptor for it
					}
				}
				flood.forEach(Client::close);
				assertThat(process.isAlive()).as("the proxy process").isTrue();
				for (Client client : old) {
					assertThat(echoes(client, (byte) 7)).as("an old connection, the proxy said %s", said).isTrue();
				}
				for (int i = 0; i < 20; i++) {
					try (Client client = connectWithin(proxy, TIMEOUT)) {
						assertThat(client.echo(new byte[] { 8 }, TIMEOUT)).containsExactly(8);
					}
				}
			}
			finally {
				old.forEach(Client::close);
				flood.forEach(Client::close);
				process.destroy();
				if (!process.waitFor(10, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
		}
	}

	private static boolean echoes(Client client, byte value) {
		try {
			return client.echo(new byte[] { value }, TIMEOUT)[0] == value;
		}
		catch (RuntimeException | AssertionError ex) {
			return false;
		}
	}

	/**
	 * The core jar's class path: a jar of its classes, as users run it (a JVM keeps a jar
	 * open, where a class directory costs a descriptor per class loaded), and RE2/J; not the
	 * test's own, dozens of jars each held open, which would spend the descriptors the test
	 * counts on.
	 */
	private String coreClassPath() throws Exception {
		Path classes = Path.of(FaultProxyMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		Path jar = this.temporary.resolve("dbfault-core.jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
			for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
				out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
				Files.copy(file, out);
				out.closeEntry();
			}
		}
		return jar + File.pathSeparator
				+ Path.of(com.google.re2j.Pattern.class.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	/** Connects, retrying while the proxy still refuses (it may be backing off). */
	private static Client connectWithin(java.net.InetSocketAddress address, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			try {
				Client client = Client.connect(address);
				client.send(new byte[] { 9 });
				if (client.read(1, TIMEOUT)[0] == 9) {
					return client;
				}
				client.close();
			}
			catch (RuntimeException | AssertionError refused) {
				if (System.nanoTime() - deadline > 0) {
					throw refused;
				}
			}
			Thread.sleep(50);
		}
	}

	private static int listeningPort(BufferedReader output) throws java.io.IOException {
		Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
		List<String> lines = new ArrayList<>();
		for (String line; (line = output.readLine()) != null;) {
			lines.add(line);
			Matcher matcher = listening.matcher(line);
			if (matcher.find()) {
				return Integer.parseInt(matcher.group(1));
			}
		}
		throw new AssertionError("The core jar ended before it listened: " + lines);
	}

}
