package dev.dbfault.core.fault;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.dbfault.core.internal.text.Json;
import dev.dbfault.core.internal.text.Values;

/**
 * A request to inject a fault as it arrives untyped (JSON, a map of strings): the fault's
 * spec and, optionally, the {@code id} the caller wants it under, which makes sending the
 * request twice safe ({@link dev.dbfault.core.FaultProxy#inject(String, FaultSpec)}).
 *
 * @param id the id asked for, or {@code null} for one the proxy makes up
 * @param spec what to inject
 */
public record FaultRequest(String id, FaultSpec spec) {

	/**
	 * Reads a request from parameters as {@link FaultSpec#parse(String, Map)} does, with
	 * {@code id} besides them.
	 * @param type the fault type name
	 * @param parameters the parameters, {@code id} among them or not
	 * @return the request
	 * @throws UnknownFaultTypeException if the type is unknown
	 * @throws FaultParameterException naming the first unusable parameter or the id
	 */
	public static FaultRequest parse(String type, Map<String, ?> parameters) {
		Map<String, Object> rest = (parameters != null) ? new LinkedHashMap<>(parameters) : new LinkedHashMap<>();
		Object id = rest.remove("id");
		FaultSpec spec = FaultSpec.parse(type, rest);
		if (id == null) {
			return new FaultRequest(null, spec);
		}
		if (!(id instanceof CharSequence)) {
			throw new FaultParameterException("id", "id must be text, such as \"checkout-latency\"; was "
					+ Json.describe(id));
		}
		return new FaultRequest(checkId(id.toString()), spec);
	}

	/**
	 * Reads a request from an HTML form body ({@code latency=200ms&duration=30s}), which
	 * tools send when told no content type: every value is text, as from properties.
	 * @param type the fault type name
	 * @param form the form body; blank means no parameters
	 * @return the request
	 * @throws UnknownFaultTypeException if the type is unknown
	 * @throws FaultParameterException naming the unusable parameter, or with no parameter
	 * when the body is not a form
	 */
	public static FaultRequest parseForm(String type, String form) {
		FaultType faultType = FaultType.of(type);
		return parse(faultType.id(), formParameters(form));
	}

	/**
	 * Splits a form body into its parameters.
	 * @param form the body
	 * @return the parameters, decoded, in order
	 * @throws FaultParameterException if a pair has no name, a name is repeated or an
	 * escape is malformed
	 */
	public static Map<String, String> formParameters(String form) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (form.isBlank()) {
			return parameters;
		}
		for (String pair : form.strip().split("&")) {
			int equals = pair.indexOf('=');
			String name;
			String value;
			try {
				name = URLDecoder.decode((equals < 0) ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
				value = (equals < 0) ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				throw new FaultParameterException(null, "the form body has a malformed escape in '"
						+ Values.shorten(pair) + "'");
			}
			if (name.isEmpty()) {
				throw new FaultParameterException(null, "the form body has a value without a name: '"
						+ Values.shorten(pair) + "' (write name=value&name=value, or send JSON)");
			}
			if (parameters.put(name, value) != null) {
				throw new FaultParameterException(name, name + " is given twice");
			}
		}
		return parameters;
	}

	/**
	 * Reads a request from a JSON object, as {@link FaultSpec#parseJson(String, String)} does.
	 * @param type the fault type name
	 * @param json the JSON object; blank means no parameters
	 * @return the request
	 * @throws UnknownFaultTypeException if the type is unknown
	 * @throws FaultParameterException naming the unusable parameter, or with no parameter
	 * when the body is not a JSON object
	 */
	public static FaultRequest parseJson(String type, String json) {
		return parseJson(type, json, "the body");
	}

	private static FaultRequest parseJson(String type, String json, String what) {
		FaultType faultType = FaultType.of(type);
		Map<String, Object> parameters;
		try {
			parameters = Json.readObject(json, what);
		}
		catch (IllegalArgumentException ex) {
			throw new FaultParameterException(null, ex.getMessage());
		}
		return parse(faultType.id(), parameters);
	}

	/**
	 * Reads a request from parameters written as text, as the command line's {@code --fault}
	 * and the JMX operation take them: a JSON object ({@code {"match":"a{1,3}"}}), or
	 * {@code name=value} pairs separated by commas ({@code latency=50ms,jitter=10ms}), whose
	 * values are read as from properties. Text {@linkplain #writtenAsJson written as JSON}
	 * that is not an object is refused as such ({@code the parameters must be a JSON object
	 * ..., was an array}).
	 * @param type the fault type name
	 * @param text the parameters; blank or {@code null} means none
	 * @return the request
	 * @throws UnknownFaultTypeException if the type is unknown
	 * @throws FaultParameterException naming the unusable parameter, or with no parameter
	 * when the text is neither form
	 */
	public static FaultRequest parseText(String type, String text) {
		if (text == null || text.isBlank()) {
			return parse(FaultType.of(type).id(), Map.of());
		}
		if (writtenAsJson(text)) {
			return parseJson(type, text, "the parameters");
		}
		FaultType faultType = FaultType.of(type);
		Map<String, Object> parameters = new LinkedHashMap<>();
		for (String pair : text.split(",")) {
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				throw new FaultParameterException(null, "parameters must be name=value pairs separated by commas,"
						+ " or a JSON object; '" + Values.shorten(pair.strip()) + "' is neither (a value with a comma,"
						+ " such as a regex a{1,3}, needs the JSON form)");
			}
			String name = pair.substring(0, equals).strip();
			if (parameters.put(name, pair.substring(equals + 1).strip()) != null) {
				throw new FaultParameterException(Values.shorten(name), Values.shorten(name) + " is given twice");
			}
		}
		return parse(faultType.id(), parameters);
	}

	/**
	 * Returns whether text is written as JSON rather than as {@code name=value} pairs: it
	 * starts as a JSON object, array or string starts, or is a JSON number, {@code true},
	 * {@code false} or {@code null}. Neither form of pairs can start so and name a parameter,
	 * so such text is read as JSON, and refused as JSON when it is not an object: an array
	 * sent as a form body is answered "must be a JSON object, was an array", not as a
	 * parameter named {@code []}.
	 * @param text the text
	 * @return whether it is meant as JSON
	 */
	public static boolean writtenAsJson(String text) {
		String stripped = text.strip();
		if (stripped.isEmpty()) {
			return false;
		}
		char first = stripped.charAt(0);
		return first == '{' || first == '[' || first == '"' || JSON_SCALAR.matcher(stripped).matches();
	}

	/** A JSON number or literal, loosely: what no parameter name looks like. */
	private static final Pattern JSON_SCALAR = Pattern.compile("-?[0-9][0-9.eE+-]*|true|false|null");

	/**
	 * Checks a fault id given by a caller: 1 to 64 letters, digits, {@code .}, {@code _},
	 * {@code :} or {@code -}, starting with a letter or digit (so that it fits in a URL path
	 * unescaped).
	 * @param id the id
	 * @return the id
	 * @throws FaultParameterException naming {@code id} if it is not usable
	 */
	public static String checkId(String id) {
		if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")) {
			throw new FaultParameterException("id", "id must be 1 to 64 letters, digits, '.', '_', ':' or '-',"
					+ " starting with a letter or digit, was "
					+ ((id == null) ? null : "'" + Values.shorten(id) + "'"));
		}
		return id;
	}

}
