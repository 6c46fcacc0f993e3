package dev.dbfault.autoconfigure.actuate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Supplier;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultRequest;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.core.fault.UnknownFaultTypeException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Gives every HTTP request to the {@code dbfault} endpoint a clear answer before Spring MVC
 * sees it, and reads fault parameters as the JSON they are.
 *
 * <pre>
 *  request ──► known path and method? ── no ──► 404 / 405 naming the paths and methods
 *                 │ yes, POST {proxy}/{fault}
 *                 ▼
 *              body ≤ 64 KB? ── no ──► 413
 *                 ▼
 *              proxy and fault type known? ── no ──► 404 naming the known ones
 *                 ▼
 *              FaultRequest.parseJson(fault, body) ── refused ──► 400 {message, parameter}
 *                 ▼
 *              the endpoint, with the body as application/json
 * </pre>
 *
 * <p>Without it, a POST with no {@code Content-Type} (what {@code curl -XPOST} sends) or with
 * {@code application/x-www-form-urlencoded} (what many chaos tools send) is a bare 415, and
 * JSON values are coerced to text before dbfault sees them ({@code "latency": 123} would pass
 * as {@code "123"}, {@code "times": [1]} fail with no message). Here the body is read
 * whatever its content type (a form body, {@code latency=200ms&duration=30s}, is read as a form
 * of text values when it is declared one and is not JSON), and its values keep their JSON types for
 * {@link FaultRequest#parseJson}, which refuses anything of the wrong type by name. Nothing is
 * injected here: a request that passes goes on to the endpoint (after the application's
 * security filters, which run first), a refused one is answered and applies nothing.
 */
final class DbFaultEndpointRequestFilter implements Filter {

	/** The largest body read: a fault's parameters fit in a few hundred bytes. */
	static final int MAX_BODY = 64 * 1024;

	private static final String FAULT_TYPES = String.join(", ",
			java.util.Arrays.stream(FaultType.values()).map(FaultType::id).toList());

	/** What a journal read takes. */
	private static final List<String> JOURNAL_PARAMETERS = List.of("fault", "since", "limit");

	private final Supplier<@Nullable String> endpointPath;

	private final DbFaultProxies proxies;

	/**
	 * Creates the filter.
	 * @param endpointPath the endpoint's path within the dispatcher servlet, such as
	 * {@code /actuator/dbfault}, or {@code null} while it is unknown
	 * @param proxies the proxies, to name the known ones
	 */
	DbFaultEndpointRequestFilter(Supplier<@Nullable String> endpointPath, DbFaultProxies proxies) {
		this.endpointPath = endpointPath;
		this.proxies = proxies;
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException, ServletException {
		if (!(servletRequest instanceof HttpServletRequest request)
				|| !(servletResponse instanceof HttpServletResponse response)) {
			chain.doFilter(servletRequest, servletResponse);
			return;
		}
		String endpoint = this.endpointPath.get();
		String path = pathWithinServlet(request);
		if (endpoint == null || path == null || !(path.equals(endpoint) || path.startsWith(endpoint + "/"))) {
			chain.doFilter(request, response);
			return;
		}
		String method = request.getMethod();
		if (method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE")) {
			chain.doFilter(request, response);
			return;
		}
		String rest = path.substring(endpoint.length());
		List<String> segments = rest.isEmpty() || rest.equals("/") ? List.of()
				: List.of(rest.substring(1).split("/", -1));
		if (segments.size() > 2 || segments.contains("")) {
			refuse(response, 404, "No dbfault resource at " + endpoint + rest + ": " + paths(endpoint), null);
			return;
		}
		String allowed = switch (segments.size()) {
			case 0 -> "GET DELETE";
			case 1 -> "GET DELETE";
			default -> "GET POST DELETE";
		};
		if (!List.of(allowed.split(" ")).contains(method)) {
			response.setHeader("Allow", allowed.replace(" ", ", "));
			refuse(response, 405, method + " is not accepted at " + path + ": " + paths(endpoint), null);
			return;
		}
		if (method.equals("GET") && segments.size() == 2 && segments.get(1).equals("journal")) {
			for (String name : java.util.Collections.list(request.getParameterNames())) {
				if (!JOURNAL_PARAMETERS.contains(name)) {
					refuse(response, 400, "Unknown parameter '" + shorten(name) + "' of the journal (accepted: "
							+ String.join(", ", JOURNAL_PARAMETERS) + ")", shorten(name));
					return;
				}
			}
		}
		if (method.equals("POST")) {
			byte[] body = readBody(request);
			if (body == null) {
				refuse(response, 413, "The request body is larger than " + (MAX_BODY / 1024)
						+ " KB; a fault's parameters take a few hundred bytes (match and message at most "
						+ FaultParameter.MAX_TEXT + " characters)", null);
				return;
			}
			String text = new String(body, StandardCharsets.UTF_8);
			boolean form = isForm(request.getContentType()) && !text.stripLeading().startsWith("{");
			if (!check(response, segments.get(0), segments.get(1), text, form)) {
				return;
			}
			if (form) {
				body = formAsJson(text);
			}
			chain.doFilter(new JsonBodyRequest(request, body), response);
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * Checks a fault injection the way the endpoint will, answering when it is refused.
	 * @return whether the request may go on to the endpoint
	 */
	private boolean check(HttpServletResponse response, String proxy, String fault, String body, boolean form)
			throws IOException {
		if (this.proxies.proxy(proxy).isEmpty()) {
			refuse(response, 404, "No proxy named '" + shorten(proxy) + "' (proxies: " + this.proxies.proxyNames() + ")",
					null);
			return false;
		}
		try {
			if (form) {
				FaultRequest.parseForm(fault, body);
			}
			else {
				FaultRequest.parseJson(fault, body);
			}
			return true;
		}
		catch (UnknownFaultTypeException ex) {
			refuse(response, 404, ex.getMessage(), null);
		}
		catch (FaultParameterException ex) {
			refuse(response, 400, ex.getMessage(), ex.getParameter());
		}
		return false;
	}

	/**
	 * Returns the request's path below the dispatcher servlet as the client wrote it: the
	 * container's own servlet path has {@code //} merged, which the endpoint's mapping does not.
	 */
	private static @Nullable String pathWithinServlet(HttpServletRequest request) {
		String prefix = request.getContextPath() + ((request.getPathInfo() != null) ? request.getServletPath() : "");
		String uri = request.getRequestURI();
		if (uri == null || !uri.startsWith(prefix)) {
			return null;
		}
		try {
			return java.net.URLDecoder.decode(uri.substring(prefix.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static boolean isForm(@Nullable String contentType) {
		return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT)
			.startsWith("application/x-www-form-urlencoded");
	}

	/**
	 * Turns a form body that passed the checks into the JSON object of strings the endpoint
	 * reads.
	 */
	private static byte[] formAsJson(String form) {
		StringBuilder json = new StringBuilder("{");
		FaultRequest.formParameters(form).forEach((name, value) -> json.append((json.length() > 1) ? "," : "")
			.append(JsonText.quote(name))
			.append(':')
			.append(JsonText.quote(value)));
		return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
	}

	private static String paths(String endpoint) {
		return "GET " + endpoint + " lists the proxies, GET " + endpoint + "/{proxy} shows one, GET " + endpoint
				+ "/{proxy}/journal what its faults fired on (?fault=&since=), POST " + endpoint
				+ "/{proxy}/{fault} injects a fault (JSON body of parameters, may be empty; fault types: "
				+ FAULT_TYPES + "), DELETE " + endpoint + "/{proxy}/{id} removes one fault, DELETE "
				+ endpoint + "/{proxy} every fault of a proxy, DELETE " + endpoint + " every fault";
	}

	private static String shorten(String text) {
		return (text.length() <= 60) ? text : text.substring(0, 40) + "… (" + text.length() + " characters)";
	}

	/**
	 * Reads the body, at most {@link #MAX_BODY} bytes.
	 * @return the body, or {@code null} when it is longer
	 */
	private static byte @Nullable [] readBody(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > MAX_BODY) {
			return null;
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes(MAX_BODY + 1);
			return (body.length > MAX_BODY) ? null : body;
		}
	}

	private static void refuse(HttpServletResponse response, int status, String message, @Nullable String parameter)
			throws IOException {
		StringBuilder json = new StringBuilder().append("{\"status\":").append(status).append(",\"message\":")
			.append(JsonText.quote(message));
		if (parameter != null) {
			json.append(",\"parameter\":").append(JsonText.quote(parameter));
		}
		json.append('}');
		byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
		response.setStatus(status);
		// exactly application/json, which some clients (Chaos Toolkit) require to parse an answer; JSON is UTF-8
		response.setHeader("Content-Type", "application/json");
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

	/**
	 * The request as the endpoint sees it: the body already read, as JSON.
	 */
	private static final class JsonBodyRequest extends HttpServletRequestWrapper {

		private static final String JSON = "application/json";

		private final byte[] body;

		JsonBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank())
					? "{}".getBytes(StandardCharsets.UTF_8) : body;
		}

		@Override
		public String getContentType() {
			return JSON;
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

		@Override
		public String getCharacterEncoding() {
			return "UTF-8";
		}

		@Override
		public @Nullable String getHeader(String name) {
			if (name.equalsIgnoreCase("Content-Type")) {
				return JSON;
			}
			if (name.equalsIgnoreCase("Content-Length")) {
				return Integer.toString(this.body.length);
			}
			return super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			String value = (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Length"))
					? getHeader(name) : null;
			return (value != null) ? Collections.enumeration(List.of(value)) : super.getHeaders(name);
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("the body was read already");
				}

			};
		}

	}

}
