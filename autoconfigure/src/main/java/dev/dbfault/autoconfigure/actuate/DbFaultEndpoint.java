package dev.dbfault.autoconfigure.actuate;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import dev.dbfault.autoconfigure.Advice;
import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.autoconfigure.RoutedDataSource;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.ProxyStats;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultRequest;
import dev.dbfault.core.fault.FaultScenario;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.core.fault.JournalEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.convert.DurationStyle;

/**
 * The {@code dbfault} endpoint: lists the fault proxies, injects and removes faults. Access
 * is off unless granted ({@code management.endpoint.dbfault.access=unrestricted}), as for
 * {@code shutdown}: it breaks the application's database connections on request.
 *
 * <p>Over HTTP, {@link DbFaultEndpointWebExtension} answers with 400 and 404 statuses;
 * here (JMX) failures are exceptions with the same messages.
 */
// An operation's optional parameters carry Spring's @Nullable beside JSpecify's: Spring Boot 4
// takes either as "optional", Spring Boot 3 only Spring's (it would answer 400 "missing
// parameters" to a request without them).
@SuppressWarnings("deprecation")
@Endpoint(id = "dbfault", defaultAccess = Access.NONE)
public class DbFaultEndpoint {

	private final DbFaultProxies proxies;

	private final InstanceIdentity instance;

	/**
	 * Creates the endpoint for an application whose environment is not at hand: its
	 * instance is named by the host alone.
	 * @param proxies the proxies
	 */
	public DbFaultEndpoint(DbFaultProxies proxies) {
		this(proxies, new InstanceIdentity(new org.springframework.core.env.StandardEnvironment(), Instant.now()));
	}

	DbFaultEndpoint(DbFaultProxies proxies, InstanceIdentity instance) {
		this.proxies = proxies;
		this.instance = instance;
	}

	/** The listing's parameter that asks for more than the proxies. */
	static final String INCLUDE = "include";

	/**
	 * What {@code POST /{proxy}/scenario} injects: a scenario, whose {@code steps} are its
	 * faults, instead of one fault.
	 */
	static final String SCENARIO = "scenario";

	/** What {@value #INCLUDE} may ask for: the fault types and their parameters. */
	static final String FAULT_TYPES = "faultTypes";

	/**
	 * Describes every proxy and what the advisor found; with {@code include=faultTypes},
	 * the fault types with their parameters besides ({@code GET /actuator/dbfault?include=faultTypes}).
	 * The fault types are asked for, not always sent: they are most of the answer (tens of
	 * kilobytes) and do not change while the application runs, whereas the proxies are
	 * polled. A query parameter rather than a path of their own, since any path below the
	 * endpoint could be a proxy's name.
	 * @param include {@code faultTypes}, or {@code null} for the proxies alone
	 * @return the description: a {@link DbFaultDescriptor}, or a
	 * {@link DbFaultWithFaultTypesDescriptor} when the fault types were asked for
	 * @throws FaultParameterException naming {@code include} when it asks for something else
	 */
	@ReadOperation
	public ListingDescriptor dbFault(@org.springframework.lang.Nullable @Nullable String include) {
		boolean faultTypes = includesFaultTypes(include);
		Map<String, ProxyDescriptor> proxies = new LinkedHashMap<>();
		for (RoutedDataSource routed : this.proxies.dataSources()) {
			for (FaultProxy proxy : routed.proxies()) {
				proxies.put(proxy.name(), ProxyDescriptor.of(routed, proxy));
			}
		}
		InstanceDescriptor instance = this.instance.describe();
		return faultTypes
				? new DbFaultWithFaultTypesDescriptor(instance, proxies, this.proxies.advice(), FaultTypeDescriptor.all())
				: new DbFaultDescriptor(instance, proxies, this.proxies.advice());
	}

	private static boolean includesFaultTypes(@Nullable String include) {
		if (include == null) {
			return false;
		}
		for (String each : include.split(",", -1)) {
			if (!each.strip().equals(FAULT_TYPES)) {
				throw new FaultParameterException(INCLUDE, INCLUDE + " takes " + FAULT_TYPES
						+ " (the fault types and their parameters), was '" + shorten(include) + "'");
			}
		}
		return true;
	}

	/**
	 * Describes one proxy.
	 * @param proxy the proxy's name
	 * @return the description
	 * @throws NoSuchElementException if there is no such proxy
	 */
	@ReadOperation
	public ProxyDescriptor proxy(@Selector String proxy) {
		for (RoutedDataSource routed : this.proxies.dataSources()) {
			for (FaultProxy each : routed.proxies()) {
				if (each.name().equals(proxy)) {
					return ProxyDescriptor.of(routed, each);
				}
			}
		}
		throw noSuchProxy(proxy);
	}

	/**
	 * Injects a fault. Its parameters (those of the fault type and the common options, as
	 * the catalog lists them) come as one text: a JSON object or {@code name=value} pairs
	 * separated by commas, as JMX clients send them; over HTTP they are the body's members,
	 * which {@link DbFaultOperationInvokerAdvisor} hands on here. With an {@code id},
	 * sending the same request again is safe: it renews the fault in effect under that id
	 * (its {@code duration} starts again: a lease), and a different request under the id is
	 * refused. The fault type {@code scenario} injects a {@link FaultScenario}: its id and
	 * {@code steps} (a list of faults, each its {@code type} and parameters), all or none.
	 * @param proxy the proxy's name
	 * @param fault the fault type, such as {@code latency}, or {@code scenario}
	 * @param id the id to inject it under, or {@code null} for one the proxy makes up
	 * @param parameters the fault's parameters, or {@code null} for none
	 * @return the fault as injected, with its id
	 * @throws NoSuchElementException for an unknown proxy
	 * @throws dev.dbfault.core.fault.UnknownFaultTypeException for an unknown fault type
	 * @throws dev.dbfault.core.fault.FaultParameterException naming an unusable parameter
	 * @throws dev.dbfault.core.fault.FaultConflictException if the id is taken by another fault
	 */
	@WriteOperation
	public InjectionDescriptor inject(@Selector String proxy, @Selector String fault, @org.springframework.lang.Nullable @Nullable String id,
			@org.springframework.lang.Nullable @Nullable String parameters) {
		FaultProxy target = find(proxy);
		if (SCENARIO.equals(fault)) {
			// every step is checked before any is injected; the proxy applies all or none
			FaultScenario scenario = FaultScenario.parseJson(id, parameters);
			return ScenarioDescriptor.of(target.name(), scenario.id(), target.inject(scenario));
		}
		// the type, the id and every parameter are checked before anything is injected
		FaultRequest parsed = FaultRequest.parseText(fault, parameters);
		if (parsed.id() != null) {
			throw new FaultParameterException("id", "give the id beside the parameters, not among them");
		}
		return FaultDescriptor.of(target.name(), target.inject(id, parsed.spec()));
	}

	/**
	 * Removes every fault of every proxy; returns promptly whatever the connections do.
	 * @return how many faults were removed
	 */
	@DeleteOperation
	public HealDescriptor heal() {
		return new HealDescriptor(this.proxies.healAll());
	}

	/**
	 * Removes every fault of one proxy.
	 * @param proxy the proxy's name
	 * @return how many faults were removed
	 */
	@DeleteOperation
	public HealDescriptor healProxy(@Selector String proxy) {
		return new HealDescriptor(find(proxy).heal());
	}

	/**
	 * Removes one fault, or every step of a scenario. A rollback may run twice, or after the fault ended on its own: a
	 * fault that has already ended is answered as it ended ({@code ended} says how:
	 * {@code expired}, {@code removed}, {@code used-up}, …), and only an id the proxy never
	 * had (among its last thousand) is unknown.
	 * @param proxy the proxy's name
	 * @param id the fault's id
	 * @return the fault as it was when removed, or as it ended
	 * @throws NoSuchElementException for an unknown proxy or fault
	 */
	@DeleteOperation
	public InjectionDescriptor remove(@Selector String proxy, @Selector String id) {
		FaultProxy target = find(proxy);
		Optional<ActiveFault> active = target.fault(id);
		if (active.isPresent()) {
			active.get().close();
			return FaultDescriptor.of(target.name(), target.endedFault(id).orElse(active.get()));
		}
		List<ActiveFault> steps = target.removeScenario(id);
		if (steps.isEmpty()) {
			Optional<ActiveFault> ended = target.endedFault(id);
			if (ended.isPresent()) {
				return FaultDescriptor.of(target.name(), ended.get());
			}
			steps = target.recentFaults().stream().filter((fault) -> fault.scenario().filter(id::equals).isPresent())
				.toList();
		}
		if (steps.isEmpty()) {
			throw new NoSuchElementException("Proxy '" + proxy + "' has no fault or scenario '" + id
					+ "' and had none recently (faults: " + target.faults().stream().map(ActiveFault::id).toList() + ")");
		}
		return ScenarioDescriptor.of(target.name(), id, steps);
	}

	/**
	 * Returns what a proxy's faults fired on, oldest first ({@code GET /{proxy}/journal}).
	 * @param proxy the proxy's name
	 * @param journal the view, {@code journal}
	 * @param fault only this fault's entries, or {@code null}
	 * @param since only entries from this sequence number on (a whole number, as
	 * {@code next} of an earlier answer gives it), from this time (ISO-8601, such as
	 * {@code 2026-12-01T10:15:30Z}) or of this last while (a duration, such as {@code 30s});
	 * {@code null} for all
	 * @param limit at most this many entries, the oldest that match, 1 to
	 * {@value #MAX_JOURNAL_ANSWER} ({@value #MAX_JOURNAL_ANSWER} when {@code null}); read on
	 * from {@code next} for the rest
	 * @return the entries
	 */
	@ReadOperation
	public JournalDescriptor journal(@Selector String proxy, @Selector String journal, @org.springframework.lang.Nullable @Nullable String fault,
			@org.springframework.lang.Nullable @Nullable String since, @org.springframework.lang.Nullable @Nullable String limit) {
		FaultProxy target = find(proxy);
		if (!journal.equals("journal")) {
			throw new NoSuchElementException("Proxy '" + proxy + "' has nothing at '" + shorten(journal)
					+ "' to read: GET .../" + proxy + "/journal lists what its faults fired on");
		}
		if (fault != null) {
			try {
				FaultRequest.checkId(fault);
			}
			catch (FaultParameterException ex) {
				throw new FaultParameterException("fault", "fault must be a fault id: " + ex.getMessage());
			}
		}
		int most = (limit != null) ? journalLimit(limit) : MAX_JOURNAL_ANSWER;
		Since from = (since != null) ? Since.parse(since) : Since.ALL;
		long next = target.nextJournalSequence();
		List<JournalEntry> found = target.journal(fault, from.afterSequence(), from.time(), most + 1);
		boolean more = found.size() > most;
		List<Map<String, Object>> entries = new ArrayList<>();
		for (JournalEntry entry : more ? found.subList(0, most) : found) {
			entries.add(entry.toMap());
		}
		// entries written while this read ran may be in it: read on after them, not before
		long readOn = more ? found.get(most - 1).sequence() + 1
				: found.isEmpty() ? next : Math.max(next, found.get(found.size() - 1).sequence() + 1);
		return new JournalDescriptor(target.name(), target.journalSize(), readOn, more, entries);
	}

	private static int journalLimit(String limit) {
		String text = limit.trim();
		if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_JOURNAL_ANSWER) {
			throw new FaultParameterException("limit", "limit must be a whole number from 1 to " + MAX_JOURNAL_ANSWER
					+ ", was '" + shorten(limit) + "'");
		}
		return Integer.parseInt(text);
	}

	/**
	 * Where a journal read starts: after an entry number, or from a time (given, or a
	 * duration ago).
	 */
	private record Since(long afterSequence, @Nullable Instant time) {

		static final Since ALL = new Since(0, null);

		/** Longer ago than any entry, and still within {@link Instant}'s range. */
		private static final Duration LONGEST = Duration.ofDays(365_000);

		static Since parse(String since) {
			String text = since.trim();
			if (text.matches("[0-9]+")) {
				// past the last entry there is nothing to read, however far past
				String digits = text.replaceFirst("^0+(?=.)", "");
				return new Since((digits.length() > 18) ? Long.MAX_VALUE : Math.max(0, Long.parseLong(digits) - 1), null);
			}
			try {
				if (text.matches("[0-9]{4}-.*")) {
					return new Since(0, Instant.parse(text));
				}
				Duration last = DurationStyle.detectAndParse(text);
				if (!last.isNegative()) {
					return new Since(0, Instant.now().minus((last.compareTo(LONGEST) > 0) ? LONGEST : last));
				}
			}
			catch (DateTimeParseException | IllegalArgumentException ex) {
				// refused below, with the forms it may take
			}
			throw new FaultParameterException("since", "since must be an entry number from 1, an ISO-8601 time such as"
					+ " 2026-12-01T10:15:30Z, or a duration such as 30s; was '" + shorten(since) + "'");
		}

	}

	/** The most journal entries one answer carries. */
	static final int MAX_JOURNAL_ANSWER = 1000;

	private FaultProxy find(String proxy) {
		return this.proxies.proxy(proxy).orElseThrow(() -> noSuchProxy(proxy));
	}

	private NoSuchElementException noSuchProxy(String proxy) {
		return new NoSuchElementException("No proxy named '" + proxy + "' (proxies: " + this.proxies.proxyNames() + ")");
	}

	/**
	 * The instance an answer comes from, so that a chaos engine driving many can tell them
	 * apart.
	 *
	 * @param application {@code spring.application.name}, else {@code application}, the name
	 * Spring Boot gives an unnamed application's context (as {@code /actuator/beans} shows it)
	 * @param id {@code dbfault.instance-id}, else the host name and server port
	 * @param startedAt when the application started, ISO-8601
	 */
	public record InstanceDescriptor(String application, String id, String startedAt) {

	}

	/**
	 * What {@code GET /actuator/dbfault} answers: which instance, its proxies and the
	 * advisor's findings, and the fault types when asked for.
	 */
	public sealed interface ListingDescriptor permits DbFaultDescriptor, DbFaultWithFaultTypesDescriptor {

		/**
		 * Returns which instance answers.
		 * @return the instance
		 */
		InstanceDescriptor instance();

		/**
		 * Returns the proxies by name.
		 * @return the proxies
		 */
		Map<String, ProxyDescriptor> proxies();

		/**
		 * Returns the settings that keep the application from recovering.
		 * @return the advice
		 */
		List<Advice> advice();

	}

	/**
	 * Every proxy and the advisor's findings.
	 *
	 * @param instance which instance answers
	 * @param proxies the proxies by name
	 * @param advice settings that keep the application from recovering
	 */
	public record DbFaultDescriptor(InstanceDescriptor instance, Map<String, ProxyDescriptor> proxies,
			List<Advice> advice) implements ListingDescriptor {

	}

	/**
	 * Every proxy, the advisor's findings, and the fault types
	 * ({@code ?include=faultTypes}).
	 *
	 * @param instance which instance answers
	 * @param proxies the proxies by name
	 * @param advice settings that keep the application from recovering
	 * @param faultTypes what can be injected
	 */
	public record DbFaultWithFaultTypesDescriptor(InstanceDescriptor instance, Map<String, ProxyDescriptor> proxies,
			List<Advice> advice, List<FaultTypeDescriptor> faultTypes) implements ListingDescriptor {

	}

	/**
	 * One proxy.
	 *
	 * @param name the proxy's name
	 * @param dataSource the bean name of the DataSource it serves
	 * @param protocol {@code tcp} or {@code postgresql}
	 * @param transport how the DataSource's connections reach it: {@code proxy} (through
	 * its port) or {@code socket} (in the driver's own sockets)
	 * @param listen where it listens
	 * @param upstream where it relays to
	 * @param state {@code running}, {@code refusing}, {@code stopped} or {@code failed}
	 * @param failure what stopped a failed proxy, or {@code null}
	 * @param connections connection counts
	 * @param bytes bytes each way
	 * @param faults the faults in effect
	 */
	public record ProxyDescriptor(String name, String dataSource, String protocol, String transport, String listen,
			String upstream,
			String state, @Nullable String failure, ConnectionsDescriptor connections, BytesDescriptor bytes,
			List<FaultDescriptor> faults) {

		static ProxyDescriptor of(RoutedDataSource routed, FaultProxy proxy) {
			ProxyStats stats = proxy.stats();
			String listen = (proxy.state() != FaultProxy.State.STOPPED && proxy.state() != FaultProxy.State.FAILED)
					? proxy.listenAddress().getAddress().getHostAddress() + ":" + proxy.listenAddress().getPort() : null;
			List<FaultDescriptor> faults = new ArrayList<>();
			for (ActiveFault fault : proxy.faults()) {
				faults.add(FaultDescriptor.of(proxy.name(), fault));
			}
			return new ProxyDescriptor(proxy.name(), routed.beanName(), lower(proxy.protocol().name()),
					lower(routed.transport().name()), listen,
					proxy.upstreamAddress().getHostString() + ":" + proxy.upstreamAddress().getPort(),
					lower(proxy.state().name()), proxy.failure().map(Throwable::toString).orElse(null),
					new ConnectionsDescriptor(stats.liveConnections(), stats.totalConnections(),
							stats.encryptedConnections()),
					new BytesDescriptor(stats.bytesUpstream(), stats.bytesDownstream()), faults);
		}

	}

	/**
	 * Connection counts of a proxy.
	 *
	 * @param live connections open now
	 * @param total connections accepted since start
	 * @param encrypted live connections relayed unread (TLS or GSS)
	 */
	public record ConnectionsDescriptor(int live, long total, int encrypted) {

	}

	/**
	 * Bytes a proxy relayed.
	 *
	 * @param upstream from the application to the database
	 * @param downstream from the database to the application
	 */
	public record BytesDescriptor(long upstream, long downstream) {

	}

	/**
	 * One fault.
	 *
	 * @param id its id within its proxy
	 * @param proxy the proxy's name
	 * @param type its type
	 * @param parameters its parameters and options as given (defaults filled in)
	 * @param state {@code scheduled} (given {@code startAfter}, not started yet),
	 * {@code active}, {@code exhausted} or {@code removed}
	 * @param ended how it ended once removed: {@code removed}, {@code healed},
	 * {@code expired}, {@code used-up}, {@code acted} or {@code stopped}; {@code null} while in
	 * effect
	 * @param fired how many events fired
	 * @param timeLeftMillis milliseconds until it expires (for a scheduled fault, its wait
	 * and its whole lifetime), or {@code null} once removed
	 * @param injectedAt when it was injected, ISO-8601
	 * @param startsAt when a fault given {@code startAfter} starts (or started), ISO-8601;
	 * {@code null} for one that started when injected
	 * @param seed the seed of its random choices: inject it again with this {@code seed} to
	 * replay them
	 * @param scenario the id of the scenario it is a step of, or {@code null}
	 */
	public record FaultDescriptor(String id, String proxy, String type, Map<String, Object> parameters, String state,
			@Nullable String ended, long fired, @Nullable Long timeLeftMillis, String injectedAt,
			@Nullable String startsAt, long seed, @Nullable String scenario) implements InjectionDescriptor {

		static FaultDescriptor of(String proxy, ActiveFault fault) {
			return new FaultDescriptor(fault.id(), proxy, fault.type().id(), fault.spec().toMap(),
					lower(fault.state().name()), fault.removal().map((removal) -> lower(removal.name())).orElse(null),
					fault.fired(), fault.timeLeft().map((left) -> left.toMillis()).orElse(null),
					fault.injectedAt().toString(), fault.startsAt().map(Object::toString).orElse(null), fault.seed(),
					fault.scenario().orElse(null));
		}

	}

	/**
	 * What an injection or a removal answers: one fault, or a scenario's.
	 */
	public sealed interface InjectionDescriptor permits FaultDescriptor, ScenarioDescriptor {

	}

	/**
	 * A scenario's faults, one per step.
	 *
	 * @param scenario the scenario's id
	 * @param proxy the proxy's name
	 * @param faults its steps' faults, in order: after an injection, every step (an action
	 * as it acted); after a renewal, those in effect; after a removal, those removed, or as
	 * they ended when none was left
	 */
	public record ScenarioDescriptor(String scenario, String proxy, List<FaultDescriptor> faults)
			implements InjectionDescriptor {

		static ScenarioDescriptor of(String proxy, String scenario, List<ActiveFault> steps) {
			return new ScenarioDescriptor(scenario, proxy,
					steps.stream().map((step) -> FaultDescriptor.of(proxy, step)).toList());
		}

	}

	/**
	 * What a proxy's faults fired on.
	 *
	 * @param proxy the proxy's name
	 * @param size how many entries the proxy keeps
	 * @param next where to read on: pass it as {@code since} for what was left out
	 * ({@code more}) or, else, for only what fires from now on
	 * @param more whether more entries matched than {@code limit} let through
	 * @param entries the entries, oldest first
	 */
	public record JournalDescriptor(String proxy, int size, long next, boolean more, List<Map<String, Object>> entries) {

	}

	/**
	 * How many faults a heal removed.
	 *
	 * @param healed the count
	 */
	public record HealDescriptor(int healed) {

	}

	/**
	 * A fault type and its parameters, so that a client can build its requests.
	 *
	 * @param type the type's name, used in the request path
	 * @param category what it acts on: {@code connections}, {@code network} or {@code sql}
	 * @param event what {@code after}, {@code probability} and {@code times} count:
	 * {@code connection}, {@code chunk} or {@code statement}
	 * @param description what it does
	 * @param action whether it acts once instead of staying
	 * @param postgresql whether it needs a PostgreSQL proxy
	 * @param parameters every parameter it accepts, common options included
	 */
	public record FaultTypeDescriptor(String type, String category, String event, String description,
			boolean action, boolean postgresql, List<ParameterDescriptor> parameters) {

		static List<FaultTypeDescriptor> all() {
			List<FaultTypeDescriptor> types = new ArrayList<>();
			for (FaultType type : FaultType.values()) {
				List<ParameterDescriptor> parameters = new ArrayList<>();
				for (FaultParameter parameter : type.allParameters()) {
					Object defaultValue = (parameter.name().equals("direction")) ? type.defaultDirection().id()
							: parameter.defaultAsWritten();
					parameters.add(new ParameterDescriptor(parameter.name(), lower(parameter.kind().name()),
							defaultValue, parameter.required(), parameter.choices(), parameter.range(),
							parameter.description(), parameter.example(), !type.parameters().contains(parameter)));
				}
				types.add(new FaultTypeDescriptor(type.id(), type.category().id(), type.event().noun(),
						type.description(), type.isAction(), type.isPostgres(), parameters));
			}
			return types;
		}

	}

	/**
	 * One parameter of a fault type.
	 *
	 * @param name its name in requests
	 * @param kind {@code duration}, {@code size}, {@code count}, {@code ratio}, {@code regex},
	 * {@code sqlstate}, {@code text} or {@code choice}
	 * @param defaultValue its default, or {@code null}
	 * @param required whether it must be given
	 * @param choices the allowed values of a choice
	 * @param range the values it accepts, such as {@code 0ms to 1d}
	 * @param description what it does
	 * @param example a value that shows the fault's effect at once, or {@code null}
	 * @param option whether it is a common option rather than a setting of the type
	 */
	public record ParameterDescriptor(String name, String kind, @Nullable Object defaultValue, boolean required,
			List<String> choices, String range, String description, @Nullable String example, boolean option) {

	}

	private static String shorten(String text) {
		return (text.length() <= 60) ? text : text.substring(0, 40) + "… (" + text.length() + " characters)";
	}

	private static String lower(String name) {
		return name.toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
