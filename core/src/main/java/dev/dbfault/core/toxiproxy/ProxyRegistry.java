package dev.dbfault.core.toxiproxy;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.Protocol;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.FaultConflictException;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.internal.text.Address;
import dev.dbfault.core.internal.text.Json;

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
		ToxiproxyRequests.ProxyConfig config = ToxiproxyRequests.ProxyConfig.of(body, null, null, this.defaultListenHost);
		sync();
		if (this.proxies.containsKey(config.name())) {
			throw ApiException.conflict(ApiException.PROXY_EXISTS);
		}
		checkRoomForProxies(1);
		Entry entry = start(config);
		this.proxies.put(config.name(), entry);
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
		List<ToxiproxyRequests.ProxyConfig> configs = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (Object item : items) {
			ToxiproxyRequests.ProxyConfig config;
			try {
				config = ToxiproxyRequests.ProxyConfig.of(item, null, null, this.defaultListenHost);
			}
			catch (ApiException ex) {
				// as Toxiproxy says it, counting from 1
				throw ApiException.badRequest(ex.getMessage() + " at proxy " + (configs.size() + 1));
			}
			if (!names.add(config.name())) {
				throw ApiException.badRequest("populate lists proxy " + Json.quote(config.name()) + " twice");
			}
			configs.add(config);
		}
		sync();
		checkRoomForProxies(configs.stream().filter((config) -> !this.proxies.containsKey(config.name())).count());
		List<Entry> made = new ArrayList<>();
		List<Object> result = new ArrayList<>();
		try {
			for (ToxiproxyRequests.ProxyConfig config : configs) {
				Entry existing = this.proxies.get(config.name());
				if (existing != null) {
					// as Toxiproxy does: the same addresses leave it untouched, others replace it
					if (!config.listen().sameAs(existing.proxy.listenAddress())
							|| !config.upstream().sameAs(existing.proxy.upstreamAddress())) {
						replace(existing, config);
					}
					result.add(existing.toJson());
				}
				else {
					Entry entry = start(config);
					this.proxies.put(config.name(), entry);
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
	private void replace(Entry entry, ToxiproxyRequests.ProxyConfig config) {
		if (!entry.owned) {
			throw ApiException.badRequest("proxy " + entry.name + " belongs to the application: its listen and"
					+ " upstream addresses cannot change");
		}
		for (Toxic toxic : entry.liveToxics()) {
			entry.proxy.remove(toxic.name());
		}
		entry.toxics.clear();
		restart(entry, config.listen(), config.upstream());
		entry.setEnabled(config.enabled());
	}

	synchronized Map<String, Object> update(String name, Object body) {
		Entry entry = entry(name);
		update(entry, ToxiproxyRequests.ProxyConfig.of(body, entry.name, entry.enabled(), this.defaultListenHost));
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
		Map<String, Object> fields = ToxiproxyRequests.object(body, "toxic");
		ToxicType type = ToxicType.find(ToxiproxyRequests.text(fields, "type", null))
			.orElseThrow(() -> ApiException.badRequest("invalid toxic type: "
					+ Json.describe(fields.get("type")) + " (one of " + ToxicType.ids() + ")"));
		Direction stream = ToxiproxyRequests.stream(fields.get("stream"));
		String name = ToxiproxyRequests.text(fields, "name", "");
		if (name.isEmpty()) {
			name = type.id() + "_" + stream.id();
		}
		ToxiproxyRequests.checkToxicName(name);
		double toxicity = ToxiproxyRequests.toxicity(fields.get("toxicity"), 1.0);
		Map<String, Long> attributes = ToxiproxyRequests.attributes(type, fields.get("attributes"), type.defaults());
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
		Map<String, Object> fields = ToxiproxyRequests.object(body, "toxic");
		ToxiproxyRequests.unchanged(name, fields, "name", old.name());
		ToxiproxyRequests.unchanged(name, fields, "type", old.type().id());
		if (fields.get("stream") != null && ToxiproxyRequests.stream(fields.get("stream")) != old.stream()) {
			throw ApiException.badRequest("stream of toxic " + name + " cannot change: it is " + old.stream().id()
					+ "; remove the toxic and add another");
		}
		double toxicity = ToxiproxyRequests.toxicity(fields.get("toxicity"), old.toxicity());
		Map<String, Long> attributes = ToxiproxyRequests.attributes(old.type(), fields.get("attributes"), old.attributes());
		Toxic updated = new Toxic(name, old.type(), old.stream(), toxicity, attributes, null);
		FaultSpec spec = ToxiproxyRequests.spec(updated);
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

	private Entry start(ToxiproxyRequests.ProxyConfig config) {
		FaultProxy proxy = startProxy(config.name(), config.listen(), config.upstream());
		Entry entry = new Entry(config.name(), proxy, true);
		if (!config.enabled()) {
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

	private void update(Entry entry, ToxiproxyRequests.ProxyConfig config) {
		boolean moves = config.listen() != null && !config.listen().sameAs(entry.proxy.listenAddress());
		boolean reroutes = config.upstream() != null && !config.upstream().sameAs(entry.proxy.upstreamAddress());
		if ((moves || reroutes) && !entry.owned) {
			throw ApiException.badRequest("proxy " + entry.name + " belongs to the application: its listen and"
					+ " upstream addresses cannot change");
		}
		if (moves || reroutes) {
			restart(entry, moves ? config.listen() : Address.of(entry.proxy.listenAddress()),
					reroutes ? config.upstream() : Address.of(entry.proxy.upstreamAddress()));
		}
		entry.setEnabled(config.enabled());
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
		FaultSpec spec = ToxiproxyRequests.spec(toxic);
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
