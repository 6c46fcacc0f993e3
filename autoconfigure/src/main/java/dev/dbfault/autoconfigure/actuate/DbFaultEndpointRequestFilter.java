package dev.dbfault.autoconfigure.actuate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultRequest;
import dev.dbfault.core.fault.FaultScenario;
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
 *              no query parameters? ── no ──► 400 naming them: parameters go in the body
 *                 ▼
 *              body ≤ 64 KB? ── no ──► 413
 *                 ▼
 *              body UTF-8? ── no ──► 400 saying at which byte
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
 * as {@code "123"}, {@code "times": [1]} fail with no message), and a body that is not UTF-8
 * is a bare 400. Here the body is read whatever its content type (a form body,
 * {@code latency=200ms&duration=30s}, is read as a form of text values when it is declared one
 * and is not {@linkplain FaultRequest#writtenAsJson written as JSON}: {@code curl -d '[]'}
 * declares a form), and its values keep their JSON types for {@link FaultRequest#parseJson},
 * which refuses anything of the wrong type by name. Parameters in the query string of an
 * injection are refused by name rather than ignored, so that {@code ?latency=5ms} is not
 * answered "latency is required". Nothing is injected here: a request that passes goes on to
 * the endpoint (after the application's security filters, which run first), a refused one is
 * answered and applies nothing.
 */
final class DbFaultEndpointRequestFilter implements Filter {

	/** The largest body read: a fault's parameters fit in a few hundred bytes. */
	static final int MAX_BODY = 64 * 1024;

	private static final String FAULT_TYPES = String.join(", ",
			java.util.Arrays.stream(FaultType.values()).map(FaultType::id).toList());

	/** What a journal read takes. */
	private static final List<String> JOURNAL_PARAMETERS = List.of("fault", "since", "limit");

	/** What the listing takes. */
	private static final List<String> LISTING_PARAMETERS = List.of(DbFaultEndpoint.INCLUDE);

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
		if (method.equals("GET") && segments.isEmpty()) {
			for (String name : java.util.Collections.list(request.getParameterNames())) {
				if (!LISTING_PARAMETERS.contains(name)) {
					refuse(response, 400, "Unknown parameter '" + shorten(name) + "' of GET " + endpoint + " (accepted: "
							+ String.join(", ", LISTING_PARAMETERS) + ", as in ?" + DbFaultEndpoint.INCLUDE + "="
							+ DbFaultEndpoint.FAULT_TYPES + ")", shorten(name));
					return;
				}
			}
		}
		if (method.equals("POST")) {
			// the query string's names only: getParameterNames() would read a form body too
			Map<String, String> query = queryParameters(request.getQueryString());
			if (!query.isEmpty()) {
				String names = shorten(String.join(", ", query.keySet()));
				refuse(response, 400, "Parameters go in the JSON body, not the query string: " + names + " (send "
						+ shorten(JsonText.write(query)) + " as the body, with Content-Type: application/json)",
						shorten(query.keySet().iterator().next()));
				return;
			}
			byte[] body = readBody(request);
			if (body == null) {
				refuse(response, 413, "The request body is larger than " + (MAX_BODY / 1024)
						+ " KB; a fault's parameters take a few hundred bytes (match and message at most "
						+ FaultParameter.MAX_TEXT + " characters)", null);
				return;
			}
			String text;
			try {
				text = utf8(body);
			}
			catch (CharacterCodingException ex) {
				refuse(response, 400, notUtf8(body, declaredCharset(request.getHeader("Content-Type"))), null);
				return;
			}
			boolean form = isForm(request.getContentType()) && !FaultRequest.writtenAsJson(text);
			if (!check(response, segments.get(0), segments.get(1), text, form)) {
				return;
			}
			if (form) {
				body = formAsJson(text);
			}
			else if (segments.get(1).equals(DbFaultEndpoint.SCENARIO)) {
				body = scenarioAsParameters(text);
			}
			chain.doFilter(new JsonBodyRequest(request, body), response);
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * Hands a scenario's steps to the endpoint as its one {@code parameters} text: Spring reads
	 * an operation's body as members of text, and a list of steps is not text.
	 */
	private static byte[] scenarioAsParameters(String body) {
		FaultScenario scenario = FaultScenario.parseJson(body);
		Map<String, Object> members = new LinkedHashMap<>();
		members.put("id", scenario.id());
		members.put(DbFaultOperationInvokerAdvisor.PARAMETERS,
				JsonText.write(Map.of("steps", scenario.toMap().get("steps"))));
		return JsonText.write(members).getBytes(StandardCharsets.UTF_8);
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
			if (fault.equals(DbFaultEndpoint.SCENARIO)) {
				if (form) {
					refuse(response, 400, "A scenario is written as JSON: {\"id\": \"failover\", \"steps\":"
							+ " [{\"type\": \"reset\"}, ...]}", null);
					return false;
				}
				FaultScenario.parseJson(body);
				return true;
			}
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

	/**
	 * Reads the names and values of a query string, in order, the last value of a repeated
	 * name kept; a malformed escape is left as written.
	 */
	static Map<String, String> queryParameters(@Nullable String queryString) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (queryString == null) {
			return parameters;
		}
		for (String pair : queryString.split("&")) {
			int equals = pair.indexOf('=');
			String name = decode((equals < 0) ? pair : pair.substring(0, equals));
			if (!name.isEmpty()) {
				parameters.put(name, (equals < 0) ? "" : decode(pair.substring(equals + 1)));
			}
		}
		return parameters;
	}

	private static String decode(String text) {
		try {
			return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}

	/**
	 * Decodes the body as UTF-8, which JSON is, refusing what is not instead of replacing it:
	 * a replaced byte would pass the checks here and fail in the endpoint's own reading.
	 */
	private static String utf8(byte[] body) throws CharacterCodingException {
		return StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT)
			.decode(ByteBuffer.wrap(body))
			.toString();
	}

	/** Says where a body stops being UTF-8: the offset and value of the first bad byte. */
	static String notUtf8(byte[] body, @Nullable String declared) {
		ByteBuffer in = ByteBuffer.wrap(body);
		CoderResult result = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT)
			.decode(in, CharBuffer.allocate(body.length), true);
		int offset = Math.min(in.position(), body.length - 1);
		boolean cutOff = offset + Math.max(1, result.isError() ? result.length() : 1) >= body.length
				&& (body[offset] & 0xC0) == 0xC0;
		String at = "byte " + offset + " (0x" + String.format("%02X", body[offset] & 0xFF) + ") of " + body.length
				+ (cutOff ? " begins a UTF-8 character that the body cuts off"
						: " does not begin or continue a UTF-8 character");
		String charset = (declared != null && !declared.equalsIgnoreCase("UTF-8") && !declared.equalsIgnoreCase("UTF8"))
				? " (it is declared " + shorten(declared) + "; dbfault reads JSON as UTF-8 only)" : "";
		return "The request body is not valid UTF-8: " + at + charset + "; send the parameters as UTF-8 JSON, such as"
				+ " {\"latency\":\"200ms\"}";
	}

	/**
	 * Returns the charset a Content-Type header declares, as the client wrote it: the
	 * request's own character encoding may be forced to UTF-8 by an earlier filter.
	 */
	private static @Nullable String declaredCharset(@Nullable String contentType) {
		if (contentType == null) {
			return null;
		}
		for (String part : contentType.split(";")) {
			String parameter = part.strip();
			if (parameter.regionMatches(true, 0, "charset=", 0, 8)) {
				return parameter.substring(8).replace("\"", "").strip();
			}
		}
		return null;
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
		return "GET " + endpoint + " lists the proxies (?" + DbFaultEndpoint.INCLUDE + "=" + DbFaultEndpoint.FAULT_TYPES
				+ " adds the fault types and their parameters), GET " + endpoint + "/{proxy} shows one, GET " + endpoint
				+ "/{proxy}/journal what its faults fired on (?fault=&since=), POST " + endpoint
				+ "/{proxy}/{fault} injects a fault (JSON body of parameters, may be empty; fault types: "
				+ FAULT_TYPES + "), POST " + endpoint + "/{proxy}/scenario injects a scenario ({\"id\": ...,"
				+ " \"steps\": [{\"type\": ..., ...}]}), DELETE " + endpoint
				+ "/{proxy}/{id} removes one fault or a scenario's, DELETE "
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
