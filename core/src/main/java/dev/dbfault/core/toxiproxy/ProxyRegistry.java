package dev.dbfault.core.toxiproxy;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.Protocol;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.FaultConflictException;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultRequest;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.internal.text.Address;
import dev.dbfault.core.internal.text.Json;
import dev.dbfault.core.internal.text.Values;

/**
 * The proxies the Toxiproxy API knows, with their toxics: those it made (plain TCP proxies it
 * owns, stopped when it stops) and those it is given (an application's, which it may fault
 * but neither move nor delete). Every method runs under the registry's lock, so requests
 * change it one at a time; the proxies it calls do their own locking and return once a
 * change is in effect. A request checks all it is given before it changes anything.
 */
final class ProxyRegistry {

	/** The id of the {@code down} fault that stands for {@code enabled: false}. */
	static final String DISABLED_ID = "toxiproxy.disabled";

	private static final int MAX_NAME = 200;

	private static final Pattern PROXY_NAME = Pattern
		.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0," + (MAX_NAME - 1) + "}");

	/** The fields a proxy may have; {@code toxics} is accepted (and ignored) so what GET shows can be sent back. */
	private static final Set<String> PROXY_FIELDS = Set.of("name", "listen", "upstream", "enabled", "toxics");

	private static final Set<String> TOXIC_FIELDS = Set.of("name", "type", "stream", "toxicity", "attributes");

	/** The most proxies the API makes: each has a thread and a port. */
	static final int MAX_PROXIES = 256;

	/** The most toxics on one proxy: each is consulted on every chunk. */
	static final int MAX_TOXICS = 100;

	private final Supplier<? extends Collection<FaultProxy>> attached;

	private final Duration maxFaultDuration;

	private final Map<String, Entry> proxies = new TreeMap<>();

	private boolean closed;

	private final String defaultListenHost;

	ProxyRegistry(Supplier<? extends Collection<FaultProxy>> attached, Duration maxFaultDuration,
			String defaultListenHost) {
		this.attached = attached;
		this.maxFaultDuration = maxFaultDuration;
		this.defaultListenHost = defaultListenHost;
	}

	synchronized Map<String, Object> list() {
		sync();
		Map<String, Object> json = new LinkedHashMap<>();
		this.proxies.forEach((name, entry) -> json.put(name, entry.toJson()));
		return json;
	}

	synchronized Optional<FaultProxy> proxy(String name) {
		sync();
		Entry entry = this.proxies.get(name);
		return Optional.ofNullable((entry != null) ? entry.proxy : null);
	}

	synchronized Map<String, Object> get(String name) {
		return entry(name).toJson();
	}

	synchronized Map<String, Object> create(Object body) {
		ProxyConfig config = ProxyConfig.of(body, null, this.defaultListenHost);
		sync();
		if (this.proxies.containsKey(config.name)) {
			throw ApiException.conflict(ApiException.PROXY_EXISTS);
		}
		checkRoomForProxies(1);
		Entry entry = start(config);
		this.proxies.put(config.name, entry);
		return entry.toJson();
	}

	/**
	 * Creates or updates every proxy of a list, as {@code toxiproxy-server -config} and
	 * {@code POST /populate} do: all are checked first, and when one cannot be made (its
	 * address is taken), the proxies this call made are stopped again; those it moved to new
	 * addresses stay moved.
	 */
	synchronized List<Object> populate(Object body) {
		if (!(body instanceof List<?> items)) {
			throw ApiException.badRequest("populate takes a JSON array of proxies, was " + Json.describe(body));
		}
		if (items.size() > MAX_PROXIES) {
			throw ApiException.conflict("too many proxies: the API makes at most " + MAX_PROXIES + ", populate lists "
					+ items.size());
		}
		List<ProxyConfig> configs = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (Object item : items) {
			ProxyConfig config;
			try {
				config = ProxyConfig.of(item, null, this.defaultListenHost);
			}
			catch (ApiException ex) {
				// as Toxiproxy says it, counting from 1
				throw ApiException.badRequest(ex.getMessage() + " at proxy " + (configs.size() + 1));
			}
			if (!names.add(config.name)) {
				throw ApiException.badRequest("populate lists proxy " + Json.quote(config.name) + " twice");
			}
			configs.add(config);
		}
		sync();
		checkRoomForProxies(configs.stream().filter((config) -> !this.proxies.containsKey(config.name)).count());
		List<Entry> made = new ArrayList<>();
		List<Object> result = new ArrayList<>();
		try {
			for (ProxyConfig config : configs) {
				Entry existing = this.proxies.get(config.name);
				if (existing != null) {
					// as Toxiproxy does: the same addresses leave it untouched, others replace it
					if (!config.listen.sameAs(existing.proxy.listenAddress())
							|| !config.upstream.sameAs(existing.proxy.upstreamAddress())) {
						replace(existing, config);
					}
					result.add(existing.toJson());
				}
				else {
					Entry entry = start(config);
					this.proxies.put(config.name, entry);
					made.add(entry);
					result.add(entry.toJson());
				}
			}
		}
		catch (RuntimeException ex) {
			for (Entry entry : made) {
				this.proxies.remove(entry.name);
				entry.proxy.stop();
			}
			throw ex;
		}
		return result;
	}

	/** Moves a proxy to the addresses of a populate entry, without its toxics. */
	private void replace(Entry entry, ProxyConfig config) {
		if (!entry.owned) {
			throw ApiException.badRequest("proxy " + entry.name + " belongs to the application: its listen and"
					+ " upstream addresses cannot change");
		}
		for (Toxic toxic : entry.liveToxics()) {
			entry.proxy.remove(toxic.name());
		}
		entry.toxics.clear();
		restart(entry, config.listen, config.upstream);
		entry.setEnabled(config.enabled);
	}

	synchronized Map<String, Object> update(String name, Object body) {
		Entry entry = entry(name);
		update(entry, ProxyConfig.of(body, entry, this.defaultListenHost));
		return entry.toJson();
	}

	synchronized void delete(String name) {
		Entry entry = entry(name);
		if (!entry.owned) {
			throw ApiException.conflict("proxy " + name + " belongs to the application and cannot be deleted;"
					+ " disable it with {\"enabled\": false}");
		}
		this.proxies.remove(name);
		entry.proxy.stop();
	}

	/** Enables every proxy, removes every toxic and heals every other fault of their proxies. */
	synchronized void reset() {
		sync();
		for (Entry entry : this.proxies.values()) {
			entry.toxics.clear();
			entry.proxy.heal();
		}
	}

	synchronized List<Object> toxics(String name) {
		return entry(name).liveToxics().stream().map((toxic) -> (Object) toxic.toJson()).toList();
	}

	synchronized Map<String, Object> toxic(String proxy, String name) {
		return entry(proxy).toxic(name).toJson();
	}

	synchronized Map<String, Object> addToxic(String proxyName, Object body) {
		Entry entry = entry(proxyName);
		Map<String, Object> fields = object(body, "toxic");
		ToxicType type = ToxicType.find(text(fields, "type", null))
			.orElseThrow(() -> ApiException.badRequest("invalid toxic type: "
					+ Json.describe(fields.get("type")) + " (one of " + ToxicType.ids() + ")"));
		Direction stream = stream(fields.get("stream"));
		String name = text(fields, "name", "");
		if (name.isEmpty()) {
			name = type.id() + "_" + stream.id();
		}
		checkToxicName(name);
		double toxicity = toxicity(fields.get("toxicity"), 1.0);
		Map<String, Long> attributes = attributes(type, fields.get("attributes"), type.defaults());
		if (entry.findToxic(name).isPresent()) {
			throw ApiException.conflict(ApiException.TOXIC_EXISTS);
		}
		if (entry.liveToxics().size() >= MAX_TOXICS) {
			throw ApiException.conflict("too many toxics: proxy " + proxyName + " has " + MAX_TOXICS
					+ ", the most it takes; remove some first");
		}
		if (entry.proxy.fault(name).isPresent()) {
			throw ApiException.conflict(ApiException.TOXIC_EXISTS + ": a dbfault fault named " + name
					+ " is on proxy " + proxyName);
		}
		Toxic toxic = inject(entry, new Toxic(name, type, stream, toxicity, attributes, null));
		entry.toxics.put(name, toxic);
		return toxic.toJson();
	}

	synchronized Map<String, Object> updateToxic(String proxyName, String name, Object body) {
		Entry entry = entry(proxyName);
		Toxic old = entry.toxic(name);
		Map<String, Object> fields = object(body, "toxic");
		unchanged(name, fields, "name", old.name());
		unchanged(name, fields, "type", old.type().id());
		if (fields.get("stream") != null && stream(fields.get("stream")) != old.stream()) {
			throw ApiException.badRequest("stream of toxic " + name + " cannot change: it is " + old.stream().id()
					+ "; remove the toxic and add another");
		}
		double toxicity = toxicity(fields.get("toxicity"), old.toxicity());
		Map<String, Long> attributes = attributes(old.type(), fields.get("attributes"), old.attributes());
		Toxic updated = new Toxic(name, old.type(), old.stream(), toxicity, attributes, null);
		FaultSpec spec = spec(updated);
		if (!spec.equals(old.fault().spec())) {
			entry.proxy.remove(name);
			updated = inject(entry, updated);
		}
		else {
			updated = new Toxic(name, old.type(), old.stream(), toxicity, attributes, old.fault());
		}
		entry.toxics.put(name, updated);
		return updated.toJson();
	}

	synchronized void removeToxic(String proxyName, String name) {
		Entry entry = entry(proxyName);
		Toxic toxic = entry.toxic(name);
		entry.toxics.remove(name);
		entry.proxy.remove(toxic.name());
	}

	/**
	 * Stops the proxies this registry made and forgets every toxic; the application's
	 * proxies stay as they are, toxics included (they end with the application).
	 */
	synchronized void close() {
		this.closed = true;
		for (Entry entry : this.proxies.values()) {
			if (entry.owned) {
				entry.proxy.stop();
			}
		}
		this.proxies.clear();
	}

	private Entry entry(String name) {
		sync();
		Entry entry = this.proxies.get(name);
		if (entry == null) {
			throw ApiException.notFound(ApiException.PROXY_NOT_FOUND);
		}
		return entry;
	}

	private void checkRoomForProxies(long more) {
		long made = this.proxies.values().stream().filter((entry) -> entry.owned).count();
		if (made + more > MAX_PROXIES) {
			throw ApiException.conflict("too many proxies: the API makes at most " + MAX_PROXIES + " (it has " + made
					+ "); delete some first");
		}
	}

	/** Adds the application's proxies not yet listed and drops those that have stopped. */
	private void sync() {
		if (this.closed) {
			throw new ApiException(503, "the Toxiproxy API is stopping");
		}
		Collection<FaultProxy> given = this.attached.get();
		for (FaultProxy proxy : given) {
			if (proxy.state() != FaultProxy.State.STOPPED && proxy.state() != FaultProxy.State.NEW
					&& !this.proxies.containsKey(proxy.name())) {
				this.proxies.put(proxy.name(), new Entry(proxy.name(), proxy, false));
			}
		}
		this.proxies.values().removeIf((entry) -> entry.proxy.state() == FaultProxy.State.STOPPED
				|| (!entry.owned && !given.contains(entry.proxy)));
	}

	private Entry start(ProxyConfig config) {
		FaultProxy proxy = startProxy(config.name, config.listen, config.upstream);
		Entry entry = new Entry(config.name, proxy, true);
		if (!config.enabled) {
			entry.disable();
		}
		return entry;
	}

	private FaultProxy startProxy(String name, Address listen, Address upstream) {
		return start(prepare(name, listen, upstream), listen);
	}

	/** Checks the addresses of a proxy (resolving the listen host) without binding. */
	private FaultProxy.Builder prepare(String name, Address listen, Address upstream) {
		try {
			return FaultProxy.builder()
				.name(name)
				.protocol(Protocol.TCP)
				.maxFaultDuration(this.maxFaultDuration)
				.upstream(upstream.host(), upstream.port())
				.listen(listen.host(), listen.port());
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest(ex.getMessage());
		}
	}

	private static FaultProxy start(FaultProxy.Builder builder, Address listen) {
		try {
			return builder.start();
		}
		catch (UncheckedIOException ex) {
			throw ApiException.conflict("listen " + listen + ": " + ex.getCause().getMessage());
		}
	}

	private void update(Entry entry, ProxyConfig config) {
		boolean moves = config.listen != null && !config.listen.sameAs(entry.proxy.listenAddress());
		boolean reroutes = config.upstream != null && !config.upstream.sameAs(entry.proxy.upstreamAddress());
		if ((moves || reroutes) && !entry.owned) {
			throw ApiException.badRequest("proxy " + entry.name + " belongs to the application: its listen and"
					+ " upstream addresses cannot change");
		}
		if (moves || reroutes) {
			restart(entry, moves ? config.listen : Address.of(entry.proxy.listenAddress()),
					reroutes ? config.upstream : Address.of(entry.proxy.upstreamAddress()));
		}
		entry.setEnabled(config.enabled);
	}

	/**
	 * Moves a proxy it owns to new addresses, its toxics with it; when the new address cannot
	 * be bound, the proxy stays where it was.
	 */
	private void restart(Entry entry, Address listen, Address upstream) {
		FaultProxy old = entry.proxy;
		InetSocketAddress oldListen = old.listenAddress();
		boolean wasEnabled = entry.enabled();
		List<Toxic> toxics = entry.liveToxics();
		FaultProxy.Builder next = prepare(entry.name, listen, upstream);
		old.stop();
		FaultProxy moved;
		try {
			moved = start(next, listen);
		}
		catch (ApiException ex) {
			try {
				entry.proxy = startProxy(entry.name, Address.of(oldListen), Address.of(old.upstreamAddress()));
			}
			catch (ApiException lost) {
				// its old address was taken meanwhile: the proxy is gone, and the answer says so
				this.proxies.remove(entry.name);
				throw ApiException.conflict(ex.getMessage() + "; proxy " + entry.name + " could not listen on "
						+ Address.of(oldListen) + " again either and was removed");
			}
			reinstate(entry, toxics, wasEnabled);
			throw ex;
		}
		entry.proxy = moved;
		reinstate(entry, toxics, wasEnabled);
	}

	private void reinstate(Entry entry, List<Toxic> toxics, boolean enabled) {
		entry.toxics.clear();
		for (Toxic toxic : toxics) {
			entry.toxics.put(toxic.name(), inject(entry, toxic));
		}
		if (!enabled) {
			entry.disable();
		}
	}

	private Toxic inject(Entry entry, Toxic toxic) {
		FaultSpec spec = spec(toxic);
		try {
			ActiveFault fault = entry.proxy.inject(toxic.name(), spec);
			return new Toxic(toxic.name(), toxic.type(), toxic.stream(), toxic.toxicity(), toxic.attributes(), fault);
		}
		catch (FaultConflictException ex) {
			throw ApiException.conflict(ApiException.TOXIC_EXISTS + ": " + ex.getMessage());
		}
		catch (FaultParameterException ex) {
			throw ApiException.badRequest(ex.getMessage());
		}
		catch (IllegalStateException ex) {
			throw ApiException.conflict("proxy " + entry.name + " is not running");
		}
	}

	/** Builds the fault of a toxic; a value dbfault cannot take is a 400 naming the attribute. */
	private static FaultSpec spec(Toxic toxic) {
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

	private static void unchanged(String toxic, Map<String, Object> fields, String field, String current) {
		Object given = fields.get(field);
		if (given != null && !given.equals(current)) {
			throw ApiException.badRequest(field + " of toxic " + toxic + " cannot change: it is " + Json.quote(current)
					+ ", was given " + Json.describe(given) + "; remove the toxic and add another");
		}
	}

	/** A toxic's name is its fault's id: what an id may be, and not the one that disables. */
	private static void checkToxicName(String name) {
		try {
			FaultRequest.checkId(name);
		}
		catch (FaultParameterException ex) {
			throw ApiException.badRequest("toxic name" + ex.getMessage().substring("id".length()));
		}
		if (name.equals(DISABLED_ID)) {
			throw ApiException.badRequest("toxic name " + DISABLED_ID + " is reserved: it stands for enabled: false");
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

	private static Direction stream(Object value) {
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

	private static double toxicity(Object value, double fallback) {
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
	private static Map<String, Long> attributes(ToxicType type, Object value, Map<String, Long> base) {
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

	private static long wholeNumber(ToxicType type, String name, Object value) {
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
	private static Address address(String field, String value) {
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
	private record ProxyConfig(String name, Address listen, Address upstream, boolean enabled) {

		static ProxyConfig of(Object body, Entry existing, String defaultListenHost) {
			Map<String, Object> fields = object(body, "proxy");
			String name = (existing != null) ? existing.name : text(fields, "name", "");
			if (name.isEmpty()) {
				throw ApiException.badRequest("missing required field: name");
			}
			if (!PROXY_NAME.matcher(name).matches()) {
				throw ApiException.badRequest("proxy name must be 1 to " + MAX_NAME + " letters, digits, '.', '_', ':'"
						+ " or '-', starting with a letter or digit (so that it fits in a URL path), was "
						+ Json.quote(Values.shorten(name)));
			}
			String listen = text(fields, "listen", "");
			if (listen.isEmpty() && existing == null) {
				// Toxiproxy binds every interface; dbfault stays on the API's own address
				listen = Address.of(new InetSocketAddress(defaultListenHost, 0)).toString();
			}
			String upstream = text(fields, "upstream", "");
			if (upstream.isEmpty() && existing == null) {
				throw ApiException.badRequest("missing required field: upstream");
			}
			Object enabled = fields.getOrDefault("enabled", (existing != null) ? existing.enabled() : Boolean.TRUE);
			if (!(enabled instanceof Boolean)) {
				throw ApiException.badRequest("bad request body: enabled must be true or false, was "
						+ Json.describe(enabled));
			}
			return new ProxyConfig(name, listen.isEmpty() ? null : address("listen", listen),
					upstream.isEmpty() ? null : address("upstream", upstream), (Boolean) enabled);
		}

	}

	/**
	 * One proxy of the API.
	 */
	private static final class Entry {

		private final String name;

		private final boolean owned;

		private FaultProxy proxy;

		private final Map<String, Toxic> toxics = new LinkedHashMap<>();

		Entry(String name, FaultProxy proxy, boolean owned) {
			this.name = name;
			this.proxy = proxy;
			this.owned = owned;
		}

		boolean enabled() {
			return this.proxy.fault(DISABLED_ID).isEmpty();
		}

		void disable() {
			this.proxy.inject(DISABLED_ID, Faults.down().build());
		}

		/** Enables or disables the proxy, if it is not so already. */
		void setEnabled(boolean enabled) {
			if (enabled != enabled()) {
				if (enabled) {
					enable();
				}
				else {
					disable();
				}
			}
		}

		/** Listens again on the same address; when it is taken, the proxy stays disabled. */
		void enable() {
			this.proxy.remove(DISABLED_ID);
			if (this.proxy.state() != FaultProxy.State.RUNNING) {
				disable();
				throw ApiException.conflict("proxy " + this.name + " cannot listen on "
						+ Address.of(this.proxy.listenAddress()) + " again (is it taken?); it stays disabled");
			}
		}

		/** The toxics whose faults are in effect: one removed some other way is gone. */
		List<Toxic> liveToxics() {
			this.toxics.values().removeIf((toxic) -> toxic.fault().isRemoved());
			List<Toxic> live = new ArrayList<>(this.toxics.values());
			// as Toxiproxy lists them: upstream first, each stream in the order added
			live.sort(Comparator.comparing((Toxic toxic) -> toxic.stream() != Direction.UPSTREAM));
			return live;
		}

		Optional<Toxic> findToxic(String name) {
			return liveToxics().stream().filter((toxic) -> toxic.name().equals(name)).findFirst();
		}

		Toxic toxic(String name) {
			return findToxic(name).orElseThrow(() -> ApiException.notFound(ApiException.TOXIC_NOT_FOUND));
		}

		Map<String, Object> toJson() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("name", this.name);
			json.put("listen", Address.of(this.proxy.listenAddress()).toString());
			json.put("upstream", Address.of(this.proxy.upstreamAddress()).toString());
			json.put("enabled", enabled());
			json.put("toxics", liveToxics().stream().map(Toxic::toJson).toList());
			return json;
		}

	}

}
