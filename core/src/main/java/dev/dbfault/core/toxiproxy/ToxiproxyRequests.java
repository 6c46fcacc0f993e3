package dev.dbfault.core.toxiproxy;

import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultRequest;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.internal.text.Address;
import dev.dbfault.core.internal.text.Json;
import dev.dbfault.core.internal.text.Values;

/**
 * Reads the Toxiproxy API's requests into what the registry acts on: proxies' and toxics'
 * fields, each checked as Toxiproxy would (its names, units and messages), every refusal a
 * 400 naming the field. Nothing here changes a proxy.
 */
final class ToxiproxyRequests {

	private static final int MAX_NAME = 200;

	private static final Pattern PROXY_NAME = Pattern
		.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0," + (MAX_NAME - 1) + "}");

	/** The fields a proxy may have; {@code toxics} is accepted (and ignored) so what GET shows can be sent back. */
	private static final Set<String> PROXY_FIELDS = Set.of("name", "listen", "upstream", "enabled", "toxics");

	private static final Set<String> TOXIC_FIELDS = Set.of("name", "type", "stream", "toxicity", "attributes");

	private ToxiproxyRequests() {
	}

	/** Builds the fault of a toxic; a value dbfault cannot take is a 400 naming the attribute. */
	static FaultSpec spec(Toxic toxic) {
		try {
			return toxic.spec();
		}
		catch (FaultParameterException ex) {
			String attribute = ex.getParameter().equals("probability") ? "toxicity"
					: ex.getParameter().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
			throw ApiException.badRequest("invalid " + toxic.type().id() + " attribute " + attribute + ": "
					+ ex.getMessage());
		}
		catch (ArithmeticException ex) {
			throw ApiException.badRequest("invalid " + toxic.type().id() + " attributes: a value is too large");
		}
	}

	static void unchanged(String toxic, Map<String, Object> fields, String field, String current) {
		Object given = fields.get(field);
		if (given != null && !given.equals(current)) {
			throw ApiException.badRequest(field + " of toxic " + toxic + " cannot change: it is " + Json.quote(current)
					+ ", was given " + Json.describe(given) + "; remove the toxic and add another");
		}
	}

	/** A toxic's name is its fault's id: what an id may be, and not the one that disables. */
	static void checkToxicName(String name) {
		try {
			FaultRequest.checkId(name);
		}
		catch (FaultParameterException ex) {
			throw ApiException.badRequest("toxic name" + ex.getMessage().substring("id".length()));
		}
		if (name.equals(ProxyRegistry.DISABLED_ID)) {
			throw ApiException.badRequest("toxic name " + ProxyRegistry.DISABLED_ID + " is reserved: it stands for enabled: false");
		}
	}

	/**
	 * Reads a request's object; a field it does not know is refused, since a misspelt one
	 * would otherwise leave a proxy or toxic that does not do what was asked.
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> object(Object body, String what) {
		if (!(body instanceof Map<?, ?>)) {
			throw ApiException.badRequest("bad request body: a " + what + " must be a JSON object, was "
					+ Json.describe(body));
		}
		Set<String> known = what.equals("proxy") ? PROXY_FIELDS : TOXIC_FIELDS;
		for (Object key : ((Map<?, ?>) body).keySet()) {
			if (!known.contains(key)) {
				throw ApiException.badRequest("bad request body: unknown field " + Json.quote(Values.shorten((String) key))
						+ " for a " + what + " (accepted: " + String.join(", ", new TreeSet<>(known)) + ")");
			}
		}
		return (Map<String, Object>) body;
	}

	static String text(Map<String, Object> fields, String name, String fallback) {
		Object value = fields.get(name);
		if (value == null) {
			if (fallback == null) {
				throw ApiException.badRequest("missing required field: " + name);
			}
			return fallback;
		}
		if (!(value instanceof String text)) {
			throw ApiException.badRequest("bad request body: " + name + " must be a string, was " + Json.describe(value));
		}
		return text;
	}

	static Direction stream(Object value) {
		if (value == null) {
			return Direction.DOWNSTREAM;
		}
		if (value instanceof String text && text.equalsIgnoreCase("upstream")) {
			return Direction.UPSTREAM;
		}
		if (value instanceof String text && text.equalsIgnoreCase("downstream")) {
			return Direction.DOWNSTREAM;
		}
		throw ApiException.badRequest("stream was invalid, can be either upstream or downstream; was "
				+ Json.describe(value));
	}

	static double toxicity(Object value, double fallback) {
		if (value == null) {
			return fallback;
		}
		if (!(value instanceof BigDecimal number) || number.compareTo(BigDecimal.ZERO) < 0
				|| number.compareTo(BigDecimal.ONE) > 0) {
			throw ApiException.badRequest("toxicity must be a number from 0 to 1, was " + Json.describe(value));
		}
		return number.doubleValue();
	}

	/**
	 * Reads a toxic's attributes over the given ones: whole numbers from 0, and only the
	 * attributes of its type (a misspelt one would otherwise leave a toxic that does
	 * nothing).
	 */
	static Map<String, Long> attributes(ToxicType type, Object value, Map<String, Long> base) {
		Map<String, Long> attributes = new LinkedHashMap<>(base);
		if (value == null) {
			return attributes;
		}
		if (!(value instanceof Map<?, ?> given)) {
			throw ApiException.badRequest("bad request body: attributes must be a JSON object, was "
					+ Json.describe(value));
		}
		for (Map.Entry<?, ?> attribute : given.entrySet()) {
			String name = (String) attribute.getKey();
			if (!type.attributes().contains(name)) {
				throw ApiException.badRequest("unknown attribute " + Json.quote(Values.shorten(name)) + " for toxic type "
						+ type.id() + " (accepted: " + String.join(", ", type.attributes()) + ")");
			}
			attributes.put(name, wholeNumber(type, name, attribute.getValue()));
		}
		type.check(attributes);
		return attributes;
	}

	static long wholeNumber(ToxicType type, String name, Object value) {
		long maximum = type.maximum(name);
		if (value instanceof BigDecimal number && number.signum() >= 0
				&& number.compareTo(BigDecimal.valueOf(maximum)) <= 0) {
			try {
				return number.longValueExact();
			}
			catch (ArithmeticException ex) {
				// not whole: said below
			}
		}
		throw ApiException.badRequest(type.id() + " attribute " + name + " must be a whole number from 0 to "
				+ maximum + " (" + type.unit(name) + "), was " + Json.describe(value));
	}

	/**
	 * Reads a {@code host:port} of a request; an empty host means what it means to Go's net
	 * package: every interface to listen on, this machine to dial.
	 */
	static Address address(String field, String value) {
		Address address;
		try {
			address = Address.parse(field, value, true, true);
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest(ex.getMessage());
		}
		return address.host().isEmpty()
				? new Address(field.equals("listen") ? "0.0.0.0" : "localhost", address.port()) : address;
	}

	/**
	 * The fields of a proxy in a request: every field for a new proxy, those given for an
	 * update.
	 */
	record ProxyConfig(String name, Address listen, Address upstream, boolean enabled) {

		static ProxyConfig of(Object body, String existingName, Boolean existingEnabled, String defaultListenHost) {
			Map<String, Object> fields = object(body, "proxy");
			String name = (existingName != null) ? existingName : text(fields, "name", "");
			if (name.isEmpty()) {
				throw ApiException.badRequest("missing required field: name");
			}
			if (!PROXY_NAME.matcher(name).matches()) {
				throw ApiException.badRequest("proxy name must be 1 to " + MAX_NAME + " letters, digits, '.', '_', ':'"
						+ " or '-', starting with a letter or digit (so that it fits in a URL path), was "
						+ Json.quote(Values.shorten(name)));
			}
			String listen = text(fields, "listen", "");
			if (listen.isEmpty() && existingName == null) {
				// Toxiproxy binds every interface; dbfault stays on the API's own address
				listen = Address.of(new InetSocketAddress(defaultListenHost, 0)).toString();
			}
			String upstream = text(fields, "upstream", "");
			if (upstream.isEmpty() && existingName == null) {
				throw ApiException.badRequest("missing required field: upstream");
			}
			Object enabled = fields.getOrDefault("enabled", (existingEnabled != null) ? existingEnabled : Boolean.TRUE);
			if (!(enabled instanceof Boolean)) {
				throw ApiException.badRequest("bad request body: enabled must be true or false, was "
						+ Json.describe(enabled));
			}
			return new ProxyConfig(name, listen.isEmpty() ? null : address("listen", listen),
					upstream.isEmpty() ? null : address("upstream", upstream), (Boolean) enabled);
		}

	}

}
