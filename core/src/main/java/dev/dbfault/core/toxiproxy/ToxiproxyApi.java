package dev.dbfault.core.toxiproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.ProxySettings;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.core.internal.text.Address;
import dev.dbfault.core.internal.text.Json;

/**
 * An HTTP server that speaks Toxiproxy's API (2.x) on its own port, so that Toxiproxy's
 * clients (toxiproxy-java, Testcontainers' Toxiproxy module, the Go, Ruby, Python and Node
 * clients) drive dbfault unchanged. Proxies made through it are plain TCP proxies it owns;
 * proxies given to it (an application's) are listed under their names and take toxics,
 * and faults of dbfault's own may sit on them beside the toxics.
 *
 * <pre>{@code
 * try (ToxiproxyApi api = ToxiproxyApi.builder().listen("127.0.0.1", 8474).start()) {
 *     ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", api.address().getPort());
 *     Proxy db = client.createProxy("db", "127.0.0.1:0", "127.0.0.1:5432");
 *     db.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 200);
 * }
 * }</pre>
 *
 * <p>Each toxic is a dbfault fault on its proxy, its id the toxic's name: {@code latency},
 * {@code bandwidth}, {@code slow_close}, {@code timeout}, {@code reset_peer}, {@code slicer}
 * and {@code limit_data} become the faults of the same names, with Toxiproxy's units.
 *
 * <p>It runs on the JDK's HTTP server, and sets two of that server's settings when they are
 * not set already: {@code sun.net.httpserver.nodelay=true} (answers would otherwise wait
 * for the client's delayed ACK) and {@code sun.net.httpserver.maxReqTime=15} (seconds a
 * request may take to arrive). The JDK reads them once, for every server of the JVM.
 */
public final class ToxiproxyApi implements AutoCloseable {

	private static final Logger logger = System.getLogger("dev.dbfault");

	/** What {@code GET /version} answers: the Toxiproxy API this one follows, marked as dbfault's. */
	static final String VERSION = "2.12.0+dbfault";

	/** The largest request body read; a larger one is refused unread. */
	static final int MAX_BODY = 1024 * 1024;

	/** Threads answering at most; each request has one while it arrives, up to 15 s. */
	private static final int THREADS = 64;

	private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

	/** Seconds a request may take to arrive, as Toxiproxy's read timeout. */
	private static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";

	private static final String JSON = "application/json";

	private final InetSocketAddress bindAddress;

	private final ProxyRegistry registry;

	private HttpServer server;

	private ExecutorService executor;

	private ToxiproxyApi(Builder builder) {
		this.bindAddress = builder.bindAddress;
		this.registry = new ProxyRegistry(builder.proxies, builder.maxFaultDuration,
				builder.bindAddress.getAddress().getHostAddress());
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Binds and starts answering.
	 * @return this API
	 * @throws UncheckedIOException naming the address if it cannot be bound
	 * @throws IllegalStateException if started before
	 */
	public synchronized ToxiproxyApi start() {
		if (this.server != null) {
			throw new IllegalStateException("The Toxiproxy API was already started");
		}
		// the JDK's server writes headers and body apart: without TCP_NODELAY each answer waits
		// for the client's delayed ACK (40 ms). The setting is the JDK's own, read once per JVM.
		if (System.getProperty(NODELAY_PROPERTY) == null) {
			System.setProperty(NODELAY_PROPERTY, "true");
		}
		// and without a limit, a client that never finishes its request holds a thread for good
		if (System.getProperty(MAX_REQUEST_TIME_PROPERTY) == null) {
			System.setProperty(MAX_REQUEST_TIME_PROPERTY, "15");
		}
		HttpServer server;
		try {
			server = HttpServer.create(this.bindAddress, 50);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Toxiproxy API cannot listen on " + Address.of(this.bindAddress) + ": "
					+ ex.getMessage(), ex);
		}
		AtomicInteger threads = new AtomicInteger();
		// threads come as requests do and end when idle, so that slow clients cannot take them all
		ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 10, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "dbfault-toxiproxy-api-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		server.setExecutor(executor);
		server.createContext("/", this::handle);
		server.start();
		this.server = server;
		this.executor = executor;
		return this;
	}

	/**
	 * Returns the address the API answers on.
	 * @return the bound address
	 * @throws IllegalStateException before {@link #start()}
	 */
	public synchronized InetSocketAddress address() {
		if (this.server == null) {
			throw new IllegalStateException("The Toxiproxy API is not started");
		}
		return this.server.getAddress();
	}

	/**
	 * Returns a proxy the API lists, to inject dbfault's own faults beside its toxics.
	 * @param name the proxy's name
	 * @return the proxy
	 * @throws IllegalArgumentException naming the proxies listed if there is none by that name
	 */
	public FaultProxy proxy(String name) {
		return this.registry.proxy(name)
			.orElseThrow(() -> new IllegalArgumentException("No proxy named '" + name + "' (listed: "
					+ String.join(", ", this.registry.list().keySet()) + ")"));
	}

	/**
	 * Creates or updates proxies from a JSON array, as {@code POST /populate} and
	 * {@code toxiproxy-server -config} do.
	 * @param json the array: {@code [{"name", "listen", "upstream", "enabled"}, ...]}
	 * @return how many proxies the array lists
	 * @throws IllegalArgumentException saying what is wrong; no proxy of the array is then made
	 */
	public int populate(String json) {
		Object body;
		try {
			body = Json.read(json);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("bad request body: " + ex.getMessage(), ex);
		}
		try {
			return this.registry.populate(body).size();
		}
		catch (ApiException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
	}

	/**
	 * Stops answering, then stops every proxy made through the API. Proxies given to it stay
	 * as they are.
	 */
	@Override
	public synchronized void close() {
		if (this.server != null) {
			this.server.stop(0);
			this.executor.shutdownNow();
			try {
				if (!this.executor.awaitTermination(10, TimeUnit.SECONDS)) {
					logger.log(Level.WARNING, "dbfault Toxiproxy API threads did not stop within 10s");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.registry.close();
	}

	private void handle(HttpExchange exchange) {
		try (exchange) {
			String agent = exchange.getRequestHeaders().getFirst("User-Agent");
			if (agent != null && agent.startsWith("Mozilla/")) {
				send(exchange, 403, "text/plain; charset=utf-8", "User agent not allowed\n");
				return;
			}
			Answer answer;
			try {
				answer = route(exchange.getRequestMethod(), segments(exchange), exchange.getRequestBody());
			}
			catch (ApiException ex) {
				if (ex.allowed() != null) {
					exchange.getResponseHeaders().set("Allow", ex.allowed());
				}
				answer = error(ex.status(), ex.getMessage());
			}
			catch (IllegalStateException ex) {
				// a proxy stopped or stopping under the request (its application is closing)
				answer = error(409, ex.getMessage());
			}
			catch (RuntimeException ex) {
				logger.log(Level.ERROR, "dbfault Toxiproxy API failed on " + exchange.getRequestMethod() + " "
						+ exchange.getRequestURI(), ex);
				answer = error(500, "internal error: " + ex);
			}
			send(exchange, answer.status, answer.contentType,
					exchange.getRequestMethod().equals("HEAD") ? "" : answer.body);
		}
		catch (IOException ex) {
			// the client went away
		}
	}

	private Answer route(String method, List<String> path, InputStream input) throws IOException {
		int size = path.size();
		if (size == 1 && path.get(0).equals("version")) {
			allow(method, "GET");
			return new Answer(200, JSON + ";charset=utf-8", "{\"version\": " + Json.quote(VERSION) + "}\n");
		}
		if (size == 1 && path.get(0).equals("reset")) {
			allow(method, "POST");
			this.registry.reset();
			return Answer.NO_CONTENT;
		}
		if (size == 1 && path.get(0).equals("populate")) {
			allow(method, "POST");
			Object body = body(input);
			List<Object> proxies = this.registry.populate(body);
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("proxies", proxies);
			return json(201, json);
		}
		if (size == 0 || !path.get(0).equals("proxies")) {
			throw ApiException.notFound("no such route: see https://github.com/Shopify/toxiproxy#http-api");
		}
		if (size == 1) {
			allow(method, "GET", "POST");
			return method.equals("GET") ? json(200, this.registry.list())
					: json(201, this.registry.create(body(input)));
		}
		String proxy = path.get(1);
		if (size == 2) {
			allow(method, "GET", "POST", "PATCH", "DELETE");
			return switch (method) {
				case "GET" -> json(200, this.registry.get(proxy));
				case "DELETE" -> {
					this.registry.delete(proxy);
					yield Answer.NO_CONTENT;
				}
				default -> json(200, this.registry.update(proxy, body(input)));
			};
		}
		if (!path.get(2).equals("toxics") || size > 4) {
			throw ApiException.notFound("no such route: see https://github.com/Shopify/toxiproxy#http-api");
		}
		if (size == 3) {
			allow(method, "GET", "POST");
			return method.equals("GET") ? json(200, this.registry.toxics(proxy))
					: json(200, this.registry.addToxic(proxy, body(input)));
		}
		String toxic = path.get(3);
		allow(method, "GET", "POST", "PATCH", "DELETE");
		return switch (method) {
			case "GET" -> json(200, this.registry.toxic(proxy, toxic));
			case "DELETE" -> {
				this.registry.removeToxic(proxy, toxic);
				yield Answer.NO_CONTENT;
			}
			default -> json(200, this.registry.updateToxic(proxy, toxic, body(input)));
		};
	}

	private static void allow(String method, String... methods) {
		if (!Arrays.asList(methods).contains(method)) {
			throw new ApiException(405, "method " + method + " not allowed here (allowed: "
					+ String.join(", ", methods) + ")", String.join(", ", methods));
		}
	}

	/** Reads the body as JSON whatever its Content-Type: Toxiproxy's clients send none or a wrong one. */
	private static Object body(InputStream input) throws IOException {
		byte[] bytes = input.readNBytes(MAX_BODY + 1);
		if (bytes.length > MAX_BODY) {
			throw new ApiException(413, "bad request body: larger than " + MAX_BODY + " bytes");
		}
		String text = new String(bytes, StandardCharsets.UTF_8);
		if (text.isBlank()) {
			throw ApiException.badRequest("bad request body: EOF");
		}
		try {
			return Json.read(text);
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest("bad request body: " + ex.getMessage());
		}
	}

	private static List<String> segments(HttpExchange exchange) {
		String raw = exchange.getRequestURI().getRawPath();
		List<String> segments = new ArrayList<>();
		for (String segment : raw.split("/", -1)) {
			if (segment.isEmpty()) {
				continue;
			}
			try {
				segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
			}
			catch (IllegalArgumentException ex) {
				throw ApiException.badRequest("bad request path: " + ex.getMessage());
			}
		}
		return segments;
	}

	private static Answer json(int status, Object value) {
		return new Answer(status, JSON, Json.write(value));
	}

	private static Answer error(int status, String message) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("error", message);
		json.put("status", status);
		return new Answer(status, JSON, Json.write(json));
	}

	private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		if (bytes.length == 0) {
			exchange.sendResponseHeaders(status, -1);
			return;
		}
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private record Answer(int status, String contentType, String body) {

		static final Answer NO_CONTENT = new Answer(204, JSON, "");

	}

	/**
	 * Configures a {@link ToxiproxyApi}.
	 */
	public static final class Builder {

		private InetSocketAddress bindAddress = new InetSocketAddress("127.0.0.1", 8474);

		private Supplier<? extends Collection<FaultProxy>> proxies = List::of;

		private Duration maxFaultDuration = (Duration) FaultType.DURATION.maximum();

		private Builder() {
		}

		/**
		 * Sets where the API listens: 127.0.0.1:8474 unless told, port 0 for a free one.
		 * @param host the address or host name to bind
		 * @param port the port, or 0
		 * @return this builder
		 */
		public Builder listen(String host, int port) {
			if (host == null || host.isBlank()) {
				throw new IllegalArgumentException("Toxiproxy API host must not be blank");
			}
			if (port < 0 || port > 65535) {
				throw new IllegalArgumentException("Toxiproxy API port must be between 0 and 65535, was " + port);
			}
			InetSocketAddress address = new InetSocketAddress(host, port);
			if (address.isUnresolved()) {
				throw new IllegalArgumentException("Toxiproxy API host '" + host + "' does not resolve");
			}
			this.bindAddress = address;
			return this;
		}

		/**
		 * Gives the API proxies it lists and faults but does not own: asked again on each
		 * request, so proxies started later appear and stopped ones go.
		 * @param proxies the proxies, by their names
		 * @return this builder
		 */
		public Builder proxies(Supplier<? extends Collection<FaultProxy>> proxies) {
			this.proxies = Objects.requireNonNull(proxies, "proxies");
			return this;
		}

		/**
		 * Sets how long a toxic may stay at most on the proxies the API makes: 30 days unless
		 * told, since Toxiproxy's toxics stay until removed.
		 * @param maxFaultDuration the longest
		 * @return this builder
		 */
		public Builder maxFaultDuration(Duration maxFaultDuration) {
			this.maxFaultDuration = ProxySettings.checkMaxFaultDuration("maxFaultDuration", maxFaultDuration);
			return this;
		}

		/**
		 * Builds and starts the API.
		 * @return the API, answering
		 */
		public ToxiproxyApi start() {
			return new ToxiproxyApi(this).start();
		}

	}

}
