package dev.dbfault.core.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.ProxySettings;
import dev.dbfault.core.Protocol;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultRequest;
import dev.dbfault.core.fault.FaultScenario;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.core.internal.text.Address;
import dev.dbfault.core.internal.text.Values;
import dev.dbfault.core.toxiproxy.ToxiproxyApi;

/**
 * Runs one proxy from the command line, in front of any TCP service (so non-Java clients
 * such as pgbench can go through it):
 *
 * <pre>
 * java -jar dbfault-core.jar --upstream 127.0.0.1:5432 [--listen 127.0.0.1:6432]
 *      [--protocol tcp|postgresql] [--name NAME] [--max-fault-duration 10m] [--busy-poll 100us]
 *      [--fault 'latency:latency=50ms,direction=both' ...] [--scenario failover.json ...]
 * </pre>
 *
 * It prints one line, {@code listening on HOST:PORT}, and relays until the process is
 * stopped. With {@code --toxiproxy-api HOST:PORT} it answers Toxiproxy's HTTP API too
 * (printing {@code toxiproxy api listening on HOST:PORT}), with or without a proxy of its own.
 */
public final class FaultProxyMain {

	static final String USAGE = """
			usage: java -jar dbfault-core.jar --upstream HOST:PORT [options]
			       java -jar dbfault-core.jar --toxiproxy-api HOST:PORT [--config FILE] [options]
			  --upstream HOST:PORT        where to relay connections (required without --toxiproxy-api)
			  --listen HOST:PORT          where to listen (default 127.0.0.1:0, a free port)
			  --protocol tcp|postgresql   what the proxy understands (default tcp)
			  --name NAME                 the proxy's name in logs (default proxy)
			  --max-fault-duration D      longest any fault stays (default 10m)
			  --busy-poll D               how long the proxy polls before it sleeps, 0 to 10ms (default 100us)
			  --fault TYPE[:k=v,...]      a fault to inject at start, e.g. latency:latency=50ms (repeatable);
			                              TYPE:{"k":"v"} for values with commas
			  --scenario FILE             a scenario to inject at start, all steps or none: a JSON file
			                              {"id": "failover", "steps": [{"type": "reset"}, ...]} (repeatable)
			  --toxiproxy-api HOST:PORT   answer Toxiproxy's HTTP API there (port 0: a free one); the proxy
			                              of --upstream is listed under --name
			  --config FILE               proxies to make at start, a JSON array as toxiproxy-server -config
			""";

	/** The largest file an option reads. */
	static final int MAX_FILE = 1024 * 1024;

	private FaultProxyMain() {
	}

	/**
	 * Lists every fault type of the catalog with its parameters, for {@code --help}.
	 * @return the listing
	 */
	static String faultTypes() {
		StringBuilder text = new StringBuilder("\nfault types (--fault TYPE:name=value,...):\n");
		for (FaultType type : FaultType.values()) {
			text.append(String.format(Locale.ROOT, "  %-16s %s%s%n", type.id(), type.description(),
					type.isPostgres() ? " (--protocol postgresql)" : ""));
			for (FaultParameter parameter : type.parameters()) {
				text.append(String.format(Locale.ROOT, "      %-14s %s, %s%s%n", parameter.name(),
						parameter.description(), parameter.required() ? "required" : "default "
								+ parameter.defaultAsWritten(), "; " + parameter.range()));
			}
		}
		text.append("common options (where they apply):\n");
		for (FaultParameter option : List.of(FaultType.DIRECTION, FaultType.PROBABILITY, FaultType.PER, FaultType.TIMES,
				FaultType.AFTER, FaultType.DURATION, FaultType.START_AFTER)) {
			text.append(String.format(Locale.ROOT, "      %-14s %s; %s%n", option.name(), option.description(),
					option.range()));
		}
		return text.toString();
	}

	public static void main(String[] args) {
		CountDownLatch forever = new CountDownLatch(1);
		int status = run(args, System.out, System.err, forever);
		if (status != 0) {
			System.exit(status);
		}
	}

	/**
	 * Runs the proxy until {@code stop} is released or the JVM shuts down.
	 * @param args the command line
	 * @param out where the listening line goes
	 * @param err where errors go
	 * @param stop released to stop the proxy
	 * @return the exit status: 0, 1 when the proxy failed or could not start, 2 for bad
	 * arguments
	 */
	static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
		// what logging loads on its first line (the time zone rules) is loaded now: a first
		// line written when the process has no file descriptor left would be lost
		ZoneId.systemDefault().getRules();
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			err.println("dbfault: " + ex.getMessage());
			err.print(USAGE);
			err.println("--help lists the fault types and their parameters");
			return 2;
		}
		if (options.help) {
			out.print(USAGE);
			out.print(faultTypes());
			return 0;
		}
		FaultProxy proxy = null;
		ToxiproxyApi api = null;
		Thread hook = null;
		try {
			if (options.upstream != null) {
				proxy = startProxy(options);
			}
			if (options.toxiproxyApi != null) {
				FaultProxy given = proxy;
				api = ToxiproxyApi.builder()
					.listen(options.toxiproxyApi.host(), options.toxiproxyApi.port())
					.proxies(() -> (given != null) ? List.of(given) : List.of())
					.start();
				if (options.config != null) {
					String config = readConfig(options.config);
					try {
						api.populate(config);
					}
					catch (IllegalArgumentException ex) {
						throw new IllegalArgumentException("--config " + options.config + ": " + ex.getMessage(), ex);
					}
				}
			}
			hook = new Thread(stopper(proxy, api), "dbfault-shutdown");
			Runtime.getRuntime().addShutdownHook(hook);
			if (proxy != null) {
				for (FaultSpec fault : options.faults) {
					ActiveFault injected = proxy.inject(fault);
					out.println("injected " + injected.id() + " " + fault.toMap());
				}
				for (Map.Entry<Path, FaultScenario> scenario : options.scenarios.entrySet()) {
					List<ActiveFault> steps;
					try {
						steps = proxy.inject(scenario.getValue());
					}
					catch (IllegalArgumentException ex) {
						throw new IllegalArgumentException("--scenario " + scenario.getKey() + ": " + ex.getMessage(), ex);
					}
					out.println("injected scenario " + scenario.getValue().id() + " "
							+ steps.stream().map(ActiveFault::id).toList());
				}
				out.println("listening on " + format(proxy.listenAddress()));
			}
			if (api != null) {
				out.println("toxiproxy api listening on " + format(api.address()));
			}
			out.flush();
			while (!stop.await(200, TimeUnit.MILLISECONDS)) {
				if (proxy != null && proxy.state() == FaultProxy.State.FAILED) {
					err.println("dbfault: proxy '" + proxy.name() + "' failed and stopped: "
							+ proxy.failure().map(Throwable::toString).orElse("no cause"));
					return 1;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IllegalArgumentException ex) {
			err.println("dbfault: " + ex.getMessage());
			return 2;
		}
		catch (RuntimeException ex) {
			err.println("dbfault: " + ex.getMessage());
			return 1;
		}
		finally {
			stopper(proxy, api).run();
			if (hook != null) {
				try {
					Runtime.getRuntime().removeShutdownHook(hook);
				}
				catch (IllegalStateException ex) {
					// the JVM is shutting down, and the hook does the same
				}
			}
		}
		return 0;
	}

	private static FaultProxy startProxy(Options options) {
		FaultProxy.Builder builder = FaultProxy.builder()
			.name(options.name)
			.upstream(options.upstream.host(), options.upstream.port())
			.protocol(options.protocol);
		if (options.listen != null) {
			builder.listen(options.listen.host(), options.listen.port());
		}
		if (options.maxFaultDuration != null) {
			builder.maxFaultDuration(options.maxFaultDuration);
		}
		if (options.busyPoll != null) {
			builder.busyPoll(options.busyPoll);
		}
		return builder.start();
	}

	private static String readConfig(Path config) {
		return read("--config", config);
	}

	/** Reads a file an option names, at most {@value #MAX_FILE} bytes. */
	static String read(String option, Path file) {
		try {
			if (Files.size(file) > MAX_FILE) {
				throw new IllegalArgumentException(option + ": " + file + " is larger than " + (MAX_FILE / 1024) + " KB");
			}
			return Files.readString(file);
		}
		catch (NoSuchFileException ex) {
			throw new IllegalArgumentException(option + ": no such file: " + file, ex);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(option + ": cannot read " + file + ": " + ex.getMessage(), ex);
		}
	}

	private static Runnable stopper(FaultProxy proxy, ToxiproxyApi api) {
		return () -> {
			if (api != null) {
				api.close();
			}
			if (proxy != null) {
				proxy.stop();
			}
		};
	}

	private static String format(InetSocketAddress address) {
		return Address.of(address).toString();
	}

	/**
	 * The parsed command line.
	 */
	static final class Options {

		Address upstream;

		Address listen;

		Protocol protocol = Protocol.TCP;

		String name = "proxy";

		Duration maxFaultDuration;

		Duration busyPoll;

		final List<FaultSpec> faults = new ArrayList<>();

		final Map<Path, FaultScenario> scenarios = new LinkedHashMap<>();

		Address toxiproxyApi;

		Path config;

		boolean help;

		private static Duration busyPoll(String value) {
			Duration busyPoll;
			try {
				busyPoll = Values.duration(value);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("--busy-poll: " + ex.getMessage(), ex);
			}
			return ProxySettings.checkBusyPoll("--busy-poll", busyPoll);
		}

		private static Duration maxFaultDuration(String value) {
			Duration duration;
			try {
				duration = Values.duration(value);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("--max-fault-duration: " + ex.getMessage(), ex);
			}
			return ProxySettings.checkMaxFaultDuration("--max-fault-duration", duration);
		}

		static Options parse(String[] args) {
			Options options = new Options();
			for (int i = 0; i < args.length; i++) {
				String arg = args[i];
				if (arg.equals("--help") || arg.equals("-h")) {
					options.help = true;
					return options;
				}
				if (!arg.startsWith("--")) {
					throw new IllegalArgumentException("unexpected argument '" + arg + "'");
				}
				String value;
				int equals = arg.indexOf('=');
				if (equals > 0) {
					value = arg.substring(equals + 1);
					arg = arg.substring(0, equals);
				}
				else if (i + 1 < args.length) {
					value = args[++i];
				}
				else {
					throw new IllegalArgumentException(arg + " needs a value");
				}
				switch (arg) {
					case "--upstream" -> options.upstream = hostPort("--upstream", value, false);
					case "--listen" -> options.listen = hostPort("--listen", value, true);
					case "--protocol" -> options.protocol = protocol(value);
					case "--name" -> options.name = value;
					case "--max-fault-duration" -> options.maxFaultDuration = maxFaultDuration(value);
					case "--busy-poll" -> options.busyPoll = busyPoll(value);
					case "--fault" -> options.faults.add(fault(value));
					case "--toxiproxy-api" -> options.toxiproxyApi = hostPort("--toxiproxy-api", value, true);
					case "--config" -> options.config = Path.of(value);
					case "--scenario" -> scenario(options, Path.of(value));
					default -> throw new IllegalArgumentException("unknown option " + arg);
				}
			}
			if (options.upstream == null && options.toxiproxyApi == null) {
				throw new IllegalArgumentException("--upstream is required (or --toxiproxy-api to start with no proxy)");
			}
			if (options.config != null && options.toxiproxyApi == null) {
				throw new IllegalArgumentException("--config needs --toxiproxy-api: it lists proxies for the API to make");
			}
			if (options.upstream == null && !options.faults.isEmpty()) {
				throw new IllegalArgumentException("--fault needs --upstream: faults are injected into the proxy it makes");
			}
			if (options.upstream == null && !options.scenarios.isEmpty()) {
				throw new IllegalArgumentException("--scenario needs --upstream: its faults are injected into the proxy"
						+ " it makes");
			}
			return options;
		}

		private static Protocol protocol(String value) {
			try {
				return Protocol.valueOf(value.trim().toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("--protocol must be tcp or postgresql, was '" + value + "'");
			}
		}

		static Address hostPort(String option, String value, boolean portZeroAllowed) {
			return Address.parse(option, value, portZeroAllowed, false);
		}

		/**
		 * Reads a scenario's JSON file, refused by its file name and the step and parameter.
		 */
		private static void scenario(Options options, Path file) {
			FaultScenario scenario;
			try {
				scenario = FaultScenario.parseJson(read("--scenario", file));
			}
			catch (FaultParameterException ex) {
				throw new IllegalArgumentException("--scenario " + file + ": " + ex.getMessage(), ex);
			}
			for (FaultScenario other : options.scenarios.values()) {
				if (other.id().equals(scenario.id())) {
					throw new IllegalArgumentException("--scenario " + file + ": another scenario has the id '"
							+ scenario.id() + "'");
				}
			}
			options.scenarios.put(file, scenario);
		}

		/**
		 * Parses {@code type[:name=value,name=value]} or {@code type:{"name":"value"}}.
		 */
		static FaultSpec fault(String value) {
			int colon = value.indexOf(':');
			String type = (colon < 0) ? value : value.substring(0, colon);
			FaultRequest request = FaultRequest.parseText(type, (colon < 0) ? null : value.substring(colon + 1));
			if (request.id() != null) {
				throw new IllegalArgumentException("--fault takes no id: a fault given at start lives as long as the proxy");
			}
			return request.spec();
		}

	}

}
