package dev.dbfault.core.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dbfault.core.fault.FaultType;
import dev.dbfault.core.internal.text.Address;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Resources;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.testdb.Waits;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class FaultProxyMainTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@Test
	void relaysFromTheCommandLineWithStartupFaultsAndStopsCleanly() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		CountDownLatch stop = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try (Upstream upstream = Upstream.echo()) {
			Future<Integer> status = executor.submit(() -> FaultProxyMain.run(new String[] { "--upstream",
					"127.0.0.1:" + upstream.port(), "--name", "cli", "--fault", "latency:latency=100ms,direction=both" },
					new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
					stop));
			Waits.await("the listening line", TIMEOUT, () -> out.toString(StandardCharsets.UTF_8).contains("listening on"));
			String printed = out.toString(StandardCharsets.UTF_8);
			assertThat(printed).contains("injected latency-1 {latency=100ms, jitter=0ms, direction=both}");
			Matcher matcher = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(printed);
			assertThat(matcher.find()).isTrue();
			int port = Integer.parseInt(matcher.group(1));
			try (Client client = Client.connect(new java.net.InetSocketAddress("127.0.0.1", port))) {
				long start = System.nanoTime();
				assertThat(client.echo(new byte[] { 1, 2, 3 }, TIMEOUT)).containsExactly(1, 2, 3);
				assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(199);
			}
			stop.countDown();
			assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
			assertThat(Resources.proxyThreads()).doesNotContain("dbfault-proxy-cli");
			assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void answersToxiproxysApiWithTheProxiesOfItsConfigAndItsOwn(@TempDir Path directory) throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		CountDownLatch stop = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try (Upstream upstream = Upstream.echo()) {
			Path config = directory.resolve("toxiproxy.json");
			Files.writeString(config, "[{\"name\": \"cache\", \"listen\": \"127.0.0.1:0\", \"upstream\": \"127.0.0.1:"
					+ upstream.port() + "\"}]");
			Future<Integer> status = executor.submit(() -> FaultProxyMain.run(new String[] { "--toxiproxy-api",
					"127.0.0.1:0", "--config", config.toString(), "--upstream", "127.0.0.1:" + upstream.port(), "--name",
					"db" }, new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(err, true, StandardCharsets.UTF_8), stop));
			Waits.await("the API's listening line", TIMEOUT,
					() -> out.toString(StandardCharsets.UTF_8).contains("toxiproxy api listening on"));
			Matcher matcher = Pattern.compile("toxiproxy api listening on 127\\.0\\.0\\.1:(\\d+)")
				.matcher(out.toString(StandardCharsets.UTF_8));
			assertThat(matcher.find()).isTrue();
			ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", Integer.parseInt(matcher.group(1)));
			assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("cache", "db");
			Proxy cache = client.getProxy("cache");
			cache.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 100);
			String listen = cache.getListen();
			java.net.InetSocketAddress address = new java.net.InetSocketAddress("127.0.0.1",
					Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)));
			try (Client connection = Client.connect(address)) {
				long start = System.nanoTime();
				assertThat(connection.echo(new byte[] { 1, 2, 3 }, TIMEOUT)).containsExactly(1, 2, 3);
				assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(99);
			}
			stop.countDown();
			assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
			assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
			assertThat(client.getProxyOrNull("cache")).isNull();
			Waits.await("every thread of the API and its proxies to end", TIMEOUT,
					() -> Resources.proxyThreads().stream().noneMatch((name) -> name.startsWith("dbfault-toxiproxy-api")
							|| name.contains("cache") || name.endsWith("-db")));
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void explainsBadToxiproxyOptions(@TempDir Path directory) throws Exception {
		assertThat(runExpectingFailure("--config", "x.json", "--upstream", "db:5432"))
			.contains("--config needs --toxiproxy-api");
		assertThat(runExpectingFailure("--toxiproxy-api", "127.0.0.1:0", "--fault", "reset"))
			.contains("--fault needs --upstream");
		assertThat(runExpectingFailure("--toxiproxy-api", "127.0.0.1:99999"))
			.contains("--toxiproxy-api port must be between 0 and 65535");
		assertThat(runExpectingFailure("--toxiproxy-api", "127.0.0.1:0", "--config",
				directory.resolve("missing.json").toString())).contains("--config: no such file: ");
		Path bad = directory.resolve("bad.json");
		Files.writeString(bad, "{\"proxies\": []}");
		assertThat(runExpectingFailure("--toxiproxy-api", "127.0.0.1:0", "--config", bad.toString()))
			.contains("populate takes a JSON array of proxies");
		Files.writeString(bad, "[{\"name\": \"x\"}]");
		assertThat(runExpectingFailure("--toxiproxy-api", "127.0.0.1:0", "--config", bad.toString()))
			.contains("missing required field: upstream at proxy 1");
		Waits.await("the failed runs' API threads to end", TIMEOUT,
				() -> Resources.proxyThreads().stream().noneMatch((name) -> name.startsWith("dbfault-toxiproxy-api")));
	}

	@Test
	void injectsAScenarioFromAFileAtStartAllOrNone(@TempDir Path directory) throws Exception {
		Path scenario = directory.resolve("slow.json");
		Files.writeString(scenario, """
				{"id": "slow", "steps": [{"type": "latency", "latency": "100ms", "direction": "both"},
				                         {"type": "blackhole", "startAfter": "1h"}]}""");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		CountDownLatch stop = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try (Upstream upstream = Upstream.echo()) {
			Future<Integer> status = executor.submit(() -> FaultProxyMain.run(new String[] { "--upstream",
					"127.0.0.1:" + upstream.port(), "--name", "cli-scenario", "--scenario", scenario.toString() },
					new PrintStream(out, true, StandardCharsets.UTF_8), System.err, stop));
			Waits.await("the listening line", TIMEOUT, () -> out.toString(StandardCharsets.UTF_8).contains("listening on"));
			String printed = out.toString(StandardCharsets.UTF_8);
			assertThat(printed).contains("injected scenario slow [slow.0, slow.1]");
			Matcher matcher = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(printed);
			assertThat(matcher.find()).isTrue();
			try (Client client = Client.connect(new java.net.InetSocketAddress("127.0.0.1",
					Integer.parseInt(matcher.group(1))))) {
				long start = System.nanoTime();
				assertThat(client.echo(new byte[] { 1, 2, 3 }, TIMEOUT)).containsExactly(1, 2, 3);
				assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(199);
			}
			stop.countDown();
			assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
		}
		finally {
			executor.shutdownNow();
		}
		Path bad = directory.resolve("bad.json");
		Files.writeString(bad, "{\"id\": \"bad\", \"steps\": [{\"type\": \"reset\"}, {\"type\": \"latency\"}]}");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--scenario", bad.toString()))
			.contains("--scenario " + bad + ": step 1 (latency): latency is required");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--scenario", directory.resolve("none.json").toString()))
			.contains("--scenario: no such file: ");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--scenario", scenario.toString(), "--scenario",
				scenario.toString())).contains("another scenario has the id 'slow'");
		assertThat(runExpectingFailure("--toxiproxy-api", "127.0.0.1:0", "--scenario", scenario.toString()))
			.contains("--scenario needs --upstream");
		Files.writeString(bad, "{\"id\": \"tcp\", \"steps\": [{\"type\": \"read-only\"}]}");
		assertThat(runExpectingFailure("--upstream", "127.0.0.1:1", "--scenario", bad.toString()))
			.contains("--scenario " + bad + ": step 0: read-only needs a proxy that speaks PostgreSQL");
	}

	private static String runExpectingFailure(String... args) {
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = FaultProxyMain.run(args, new PrintStream(new ByteArrayOutputStream()),
				new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0));
		assertThat(status).isEqualTo(2);
		return err.toString(StandardCharsets.UTF_8);
	}

	@Test
	void explainsBadArgumentsAndPrintsUsage() {
		assertThat(runExpectingFailure()).contains("--upstream is required").contains("usage:");
		assertThat(runExpectingFailure("--upstream", "db")).contains("--upstream must be HOST:PORT, was 'db'");
		assertThat(runExpectingFailure("--upstream", "db:99999")).contains("--upstream port must be between 1 and 65535");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--protocol", "mysql"))
			.contains("--protocol must be tcp or postgresql");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--bogus", "x")).contains("unknown option --bogus");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--fault", "latency:latency=-1ms"))
			.contains("latency must not be negative");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--fault", "latency:oops")).contains("name=value");
		assertThat(runExpectingFailure("--upstream")).contains("--upstream needs a value");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--busy-poll", "20ms"))
			.contains("--busy-poll must be between 0 and 10ms, was PT0.02S");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--busy-poll", "soon")).contains("--busy-poll: ");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--max-fault-duration", "10"))
			.contains("--max-fault-duration: '10' has no unit");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--max-fault-duration", "999999999999d"))
			.contains("--max-fault-duration must be longer than 0 and at most 30d, was 999999999999d");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--fault", "latency:latency=10"))
			.contains("latency: '10' has no unit: write one, such as 10ms, 10s or 10m");
		assertThat(runExpectingFailure("--upstream", "db:5432", "--fault", "bandwidth:rate=999999999999TB"))
			.contains("rate: '999999999999TB' is too large a size");
	}

	@Test
	void parsesEqualsFormsAndIpv6() {
		FaultProxyMain.Options options = FaultProxyMain.Options
			.parse(new String[] { "--upstream=[::1]:5432", "--listen=0.0.0.0:0", "--protocol=POSTGRESQL",
					"--busy-poll=50us" });
		assertThat(options.busyPoll).isEqualTo(Duration.ofNanos(50_000));
		assertThat(options.upstream).isEqualTo(new Address("::1", 5432));
		assertThat(options.listen).isEqualTo(new Address("0.0.0.0", 0));
		assertThat(FaultProxyMain.Options.fault("blackhole").type()).isEqualTo(FaultType.BLACKHOLE);
	}

	@Test
	void printsUsageOnHelp() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertThat(FaultProxyMain.run(new String[] { "--help" }, new PrintStream(out, true, StandardCharsets.UTF_8),
				System.err, new CountDownLatch(0))).isZero();
		assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: java -jar dbfault-core.jar");
	}

}
