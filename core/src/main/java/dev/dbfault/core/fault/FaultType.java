package dev.dbfault.core.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.dbfault.core.fault.FaultParameter.Kind;

import static dev.dbfault.core.fault.FaultParameter.choice;
import static dev.dbfault.core.fault.FaultParameter.optional;
import static dev.dbfault.core.fault.FaultParameter.required;

/**
 * Every kind of fault dbfault can inject, with the parameters each takes.
 *
 * <p>An <em>action</em> ({@link #RESET}, {@link #CLOSE}, {@link #TERMINATE}) acts once on
 * the connections that are open when it is injected and is then gone. Every other type is a
 * <em>condition</em>: it stays until it is removed, expires, or has fired {@code times}
 * times, and applies to live and new connections alike.
 *
 * <p>What counts as one <em>event</em> for the common options {@code after},
 * {@code probability} and {@code times}:
 * <ul>
 * <li>a connection, for actions and for {@code refuse}, {@code down}, {@code stall-connect},
 * {@code timeout}, {@code reset-peer}, {@code limit-data} (a connection reaching the limit)
 * and {@code slow-close} (a close being delayed);</li>
 * <li>a chunk of data (one read from a socket, usually one request or one response) for
 * {@code latency}, {@code bandwidth}, {@code slicer} and {@code blackhole};</li>
 * <li>a statement whose SQL matches {@code match} for the PostgreSQL faults.</li>
 * </ul>
 */
public enum FaultType {

	/** TCP RST on every live connection, idle ones included. */
	RESET("reset", Reset.class, Category.CONNECTIONS, Event.CONNECTION, true, false, null,
			"TCP RST on every live connection, idle ones included"),

	/** FIN on every live connection. */
	CLOSE("close", Close.class, Category.CONNECTIONS, Event.CONNECTION, true, false, null,
			"FIN on every live connection"),

	/** New connections are refused; live ones are kept. */
	REFUSE("refuse", Refuse.class, Category.CONNECTIONS, Event.CONNECTION, false, false, null,
			"new connections are refused, live ones kept"),

	/** Refuse new connections and reset live ones: the server died. */
	DOWN("down", Down.class, Category.CONNECTIONS, Event.CONNECTION, false, false, null,
			"new connections refused and live ones reset: the server died"),

	/** Bytes vanish; sockets stay open: a partition with no RST. */
	BLACKHOLE("blackhole", Blackhole.class, Category.NETWORK, Event.CHUNK, false, false, Direction.BOTH,
			"bytes vanish, sockets stay open"),

	/** New connections are accepted but never connected upstream. */
	STALL_CONNECT("stall-connect", StallConnect.class, Category.NETWORK, Event.CONNECTION, false, false, null,
			"accept new connections, never connect them upstream"),

	/** Data is delayed by {@code latency} plus or minus {@code jitter}. */
	LATENCY("latency", Latency.class, Category.NETWORK, Event.CHUNK, false, false, Direction.DOWNSTREAM, "delay data",
			required("latency", Kind.DURATION, "delay added to each chunk of data").withExample("300ms"),
			optional("jitter", Kind.DURATION, Duration.ZERO, "random variation of the delay, plus or minus")),

	/** Data flows at most {@code rate} bytes per second. */
	BANDWIDTH("bandwidth", Bandwidth.class, Category.NETWORK, Event.CHUNK, false, false, Direction.DOWNSTREAM,
			"limit throughput",
			required("rate", Kind.SIZE, "bytes per second allowed through; 0 holds all data until the fault is removed")
					.withExample("2KB")),

	/** The close of a connection reaches the other side {@code delay} late. */
	SLOW_CLOSE("slow-close", SlowClose.class, Category.NETWORK, Event.CONNECTION, false, false, Direction.BOTH,
			"delay the FIN of a closing connection",
			required("delay", Kind.DURATION, "how long a close is held back").withExample("2s")),

	/** Data stops; the connection is closed after {@code timeout} (never when 0). */
	TIMEOUT("timeout", Timeout.class, Category.NETWORK, Event.CONNECTION, false, false, Direction.BOTH,
			"stop data, then close the connection after a time",
			required("timeout", Kind.DURATION, "time until the connection is closed; 0 keeps it open")
					.withExample("2s")),

	/** Each connection is reset {@code timeout} after it meets the fault, idle or not. */
	RESET_PEER("reset-peer", ResetPeer.class, Category.CONNECTIONS, Event.CONNECTION, false, false, null,
			"TCP RST on each connection after a time, idle or not",
			optional("timeout", Kind.DURATION, Duration.ZERO, "time from connection (or injection) to the RST")
					.withExample("3s")),

	/** Data is cut into small pieces sent {@code delay} apart. */
	SLICER("slicer", Slicer.class, Category.NETWORK, Event.CHUNK, false, false, Direction.DOWNSTREAM,
			"cut data into small delayed pieces",
			required("averageSize", Kind.SIZE, "average size of a piece in bytes").withExample("8B"),
			optional("sizeVariation", Kind.SIZE, 0L, "random variation of a piece's size, less than averageSize"),
			optional("delay", Kind.DURATION, Duration.ZERO, "time between pieces").withExample("2ms")),

	/** A connection is closed once {@code bytes} have passed. */
	LIMIT_DATA("limit-data", LimitData.class, Category.NETWORK, Event.CONNECTION, false, false, Direction.DOWNSTREAM,
			"close a connection after some bytes",
			required("bytes", Kind.SIZE, "bytes let through on each connection before it is closed")
					.withExample("4KB")),

	/** Statements matching {@code match} fail with a real ErrorResponse. */
	SQL_ERROR("sql-error", SqlError.class, Category.SQL, Event.STATEMENT, false, true, null,
			"fail matching statements with an SQLSTATE",
			required("match", Kind.REGEX, "regular expression found in the statement's SQL")
					.withExample("(?i)^\\s*insert"),
			optional("sqlState", Kind.SQLSTATE, "40001", "SQLSTATE of the error"),
			optional("message", Kind.TEXT, null, "message of the error")),

	/** Statements matching {@code match} are delayed. */
	SQL_LATENCY("sql-latency", SqlLatency.class, Category.SQL, Event.STATEMENT, false, true, null,
			"delay matching statements",
			required("match", Kind.REGEX, "regular expression found in the statement's SQL")
					.withExample("(?i)^\\s*insert"),
			required("latency", Kind.DURATION, "delay before the statement reaches the server").withExample("500ms")),

	/** The connection is killed when a statement matching {@code match} passes. */
	DROP_ON("drop-on", DropOn.class, Category.SQL, Event.STATEMENT, false, true, null,
			"kill the connection when a matching statement passes",
			required("match", Kind.REGEX, "regular expression found in the statement's SQL")
					.withExample("(?i)^\\s*commit"),
			choice("when", KillTiming.BEFORE.id(), ids(KillTiming.values()),
					"kill before the statement reaches the server, or right after").withExample("after"),
			choice("mode", KillMode.RESET.id(), ids(KillMode.values()), "how the connection is killed")),

	/** The connection is killed after {@code rows} rows of a result. */
	DROP_AFTER_ROWS("drop-after-rows", DropAfterRows.class, Category.SQL, Event.STATEMENT, false, true, null,
			"kill the connection in the middle of a result",
			required("rows", Kind.COUNT, "rows delivered before the connection is killed").withExample("5"),
			optional("match", Kind.REGEX, null, "only results of statements whose SQL matches"),
			choice("mode", KillMode.RESET.id(), ids(KillMode.values()), "how the connection is killed")),

	/** FATAL 57P01 admin_shutdown on every live connection, then close. */
	TERMINATE("terminate", Terminate.class, Category.CONNECTIONS, Event.CONNECTION, true, true, null,
			"FATAL 57P01 admin_shutdown on every live connection, then close"),

	/** New connections get a FATAL ErrorResponse at login; open ones are untouched. */
	LOGIN_ERROR("login-error", LoginError.class, Category.CONNECTIONS, Event.CONNECTION, false, true, null,
			"new connections fail at login with a FATAL SQLSTATE, open ones are untouched",
			optional("sqlState", Kind.SQLSTATE, "57P03", "SQLSTATE of the FATAL error (57P03 the database system is"
					+ " starting up, 53300 too many clients, 28P01 password authentication failed, 3D000 no such"
					+ " database, 28000 no such role)"),
			optional("message", Kind.TEXT, null, "message of the error (PostgreSQL's own for those five)")),

	/** The server refuses every write on the connections held, with 25006; reads work. */
	READ_ONLY("read-only", ReadOnly.class, Category.SQL, Event.CONNECTION, false, true, null,
			"writes fail with 25006 as on a demoted primary, reads work",
			choice("connections", ReadOnlyScope.EXISTING.id(), ids(ReadOnlyScope.values()),
					"the connections open when the fault starts, or every connection, new ones included"));

	/** Common option: which way the fault acts. */
	public static final FaultParameter DIRECTION = choice("direction", null,
			List.of("upstream", "downstream", "both"), "upstream (app to db), downstream (db to app) or both");

	/** Common option: chance that an event fires. */
	public static final FaultParameter PROBABILITY = optional("probability", Kind.RATIO, 1.0,
			"chance, 0 to 1, that an event fires");

	/** Common option: at most this many events fire, then the fault removes itself. */
	public static final FaultParameter TIMES = optional("times", Kind.COUNT, null,
			"fire at most this many times, then remove the fault")
		.withMinimum(1);

	/** Common option: the first events pass unharmed. */
	public static final FaultParameter AFTER = optional("after", Kind.COUNT, 0L,
			"let this many matching events pass first");

	/** Common option of faults acting on chunks of data: what an event is. */
	public static final FaultParameter PER = choice("per", Sampling.EVENT.id(), ids(Sampling.values()),
			"draw probability and after for each chunk of data, or once per connection and direction");

	/** Common option: the seed of the fault's random choices. */
	public static final FaultParameter SEED = optional("seed", Kind.COUNT, null,
			"seed of the fault's random choices: the same seed and traffic give the same decisions")
		.withMaximum(FaultOptions.MAX_SEED);

	/** Target: connections whose application_name matches (PostgreSQL). */
	public static final FaultParameter APPLICATION_NAME = optional("applicationName", Kind.REGEX, null,
			"only connections whose application_name matches this regular expression (PostgreSQL)");

	/** Target: connections whose user matches (PostgreSQL). */
	public static final FaultParameter USER = optional("user", Kind.REGEX, null,
			"only connections whose user matches this regular expression (PostgreSQL)");

	/** Target: connections whose database matches (PostgreSQL). */
	public static final FaultParameter DATABASE = optional("database", Kind.REGEX, null,
			"only connections whose database matches this regular expression (PostgreSQL)");

	/** Target: the connection served by one backend process (PostgreSQL). */
	public static final FaultParameter BACKEND_PID = optional("backendPid", Kind.COUNT, null,
			"only the connection served by this backend process id (PostgreSQL)")
		.withMaximum((long) Integer.MAX_VALUE)
		.withMinimum(1);

	/** Target of statement faults: statements inside or outside a transaction. */
	public static final FaultParameter IN_TRANSACTION = choice("inTransaction", null, List.of("true", "false"),
			"only statements inside (true) or outside (false) a transaction");

	/** Target of statement faults: the Nth statement of each transaction. */
	public static final FaultParameter STATEMENT_INDEX = optional("statementIndex", Kind.COUNT, null,
			"only the Nth statement of each transaction, from 1 (BEGIN not counted; outside a transaction, 1)")
		.withMinimum(1);

	/** Common option: the fault removes itself after this long. */
	public static final FaultParameter DURATION = optional("duration", Kind.DURATION, null,
			"remove the fault after this long").withMaximum(Duration.ofDays(30)).withExample("10s");

	/**
	 * Common option: the fault is scheduled, doing nothing, until this long after its
	 * injection; {@code duration} counts from its start. No example: an example shows a
	 * fault's effect at once, and this one puts it off.
	 */
	public static final FaultParameter START_AFTER = optional("startAfter", Kind.DURATION, null,
			"start this long after injection (scheduled until then); duration counts from the start")
		.withMaximum(Duration.ofDays(1));

	/**
	 * What a fault type acts on, for grouping in documentation and dashboards.
	 */
	public enum Category {

		/** Whole connections: killed, refused, terminated. */
		CONNECTIONS("connections", "kill or refuse connections"),

		/** The bytes below the protocol: delayed, throttled, cut, lost. */
		NETWORK("network", "degrade the network below the protocol"),

		/** PostgreSQL statements: chosen ones by a regular expression, or every write. */
		SQL("sql", "hit statements: chosen ones by a regular expression, or every write");

		private final String id;

		private final String description;

		Category(String id, String description) {
			this.id = id;
			this.description = description;
		}

		/**
		 * Returns the lower-case name, such as {@code network}.
		 * @return the id
		 */
		public String id() {
			return this.id;
		}

		/**
		 * Returns one line saying what the types of this category act on.
		 * @return the description
		 */
		public String description() {
			return this.description;
		}

	}

	/**
	 * What one event of a fault type is: what {@code after}, {@code probability} and
	 * {@code times} count.
	 */
	public enum Event {

		/** A connection (met, accepted, reaching a limit, closing). */
		CONNECTION,

		/** A chunk of data: one read from a socket. */
		CHUNK,

		/** A statement whose SQL matches. */
		STATEMENT;

		/**
		 * Returns the noun, singular and lower-case, such as {@code statement}.
		 * @return the noun
		 */
		public String noun() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final String id;

	private final Class<? extends FaultSpec> specType;

	private final Category category;

	private final Event event;

	private final boolean action;

	private final boolean postgres;

	private final Direction defaultDirection;

	private final String description;

	private final List<FaultParameter> parameters;

	FaultType(String id, Class<? extends FaultSpec> specType, Category category, Event event, boolean action,
			boolean postgres, Direction defaultDirection, String description, FaultParameter... parameters) {
		this.id = id;
		this.specType = specType;
		this.event = event;
		this.category = category;
		this.action = action;
		this.postgres = postgres;
		this.defaultDirection = defaultDirection;
		this.description = description;
		this.parameters = List.of(parameters);
	}

	/**
	 * Returns the kebab-case name used in URLs and properties, such as {@code sql-error}.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Returns the record that holds this type's settings, whose components are named as its
	 * parameters.
	 * @return the spec's record class
	 */
	public Class<? extends FaultSpec> specType() {
		return this.specType;
	}

	/**
	 * Returns what counts as one event of this type for {@code after}, {@code probability}
	 * and {@code times}.
	 * @return the event
	 */
	public Event event() {
		return this.event;
	}

	/**
	 * Returns what this type acts on.
	 * @return the category
	 */
	public Category category() {
		return this.category;
	}

	/**
	 * Returns whether this type acts once on live connections instead of staying.
	 * @return whether it is an action
	 */
	public boolean isAction() {
		return this.action;
	}

	/**
	 * Returns whether this type needs a proxy that speaks the PostgreSQL protocol.
	 * @return whether it is a PostgreSQL fault
	 */
	public boolean isPostgres() {
		return this.postgres;
	}

	/**
	 * Returns whether the {@code direction} option means something for this type.
	 * @return whether it is directional
	 */
	public boolean isDirectional() {
		return this.defaultDirection != null;
	}

	/**
	 * Returns the direction used when none is given, or {@link Direction#BOTH} for types
	 * that are not directional.
	 * @return the default direction
	 */
	public Direction defaultDirection() {
		return (this.defaultDirection != null) ? this.defaultDirection : Direction.BOTH;
	}

	/**
	 * Returns one line saying what this type does.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * Returns the parameters specific to this type, in documentation order.
	 * @return the parameters
	 */
	public List<FaultParameter> parameters() {
		return this.parameters;
	}

	/**
	 * Returns every parameter this type accepts: its own, then the common options that apply.
	 * @return the parameters
	 */
	public List<FaultParameter> allParameters() {
		List<FaultParameter> all = new ArrayList<>(this.parameters);
		if (isDirectional()) {
			all.add(DIRECTION);
		}
		all.add(PROBABILITY);
		if (this.event == Event.CHUNK) {
			all.add(PER);
		}
		all.add(TIMES);
		all.add(AFTER);
		if (!this.action) {
			all.add(DURATION);
		}
		all.add(START_AFTER);
		all.add(SEED);
		if (isTargetable()) {
			all.add(APPLICATION_NAME);
			all.add(USER);
			all.add(DATABASE);
			all.add(BACKEND_PID);
		}
		if (this.event == Event.STATEMENT) {
			all.add(IN_TRANSACTION);
			all.add(STATEMENT_INDEX);
		}
		return List.copyOf(all);
	}

	/**
	 * Returns whether this type can be aimed at some connections by their PostgreSQL
	 * startup values and backend: every type except those that decide before a connection
	 * has logged in ({@code refuse}, {@code down}, {@code stall-connect}).
	 * @return whether connection targets apply
	 */
	public boolean isTargetable() {
		return this != REFUSE && this != DOWN && this != STALL_CONNECT && this != LOGIN_ERROR;
	}

	/**
	 * Finds a parameter this type accepts.
	 * @param name the camelCase name
	 * @return the parameter, or empty
	 */
	public Optional<FaultParameter> parameter(String name) {
		return allParameters().stream().filter((parameter) -> parameter.name().equals(name)).findFirst();
	}

	/**
	 * Finds a type by its id ({@code sql-error}); the enum name ({@code SQL_ERROR}) and
	 * camelCase ({@code sqlError}) are accepted too.
	 * @param name the name
	 * @return the type, or empty
	 */
	public static Optional<FaultType> find(String name) {
		if (name == null) {
			return Optional.empty();
		}
		String normalized = name.trim().replaceAll("([a-z])([A-Z])", "$1-$2").replace('_', '-').toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter((type) -> type.id.equals(normalized)).findFirst();
	}

	/**
	 * Returns the type with the given name.
	 * @param name the name, as for {@link #find(String)}
	 * @return the type
	 * @throws UnknownFaultTypeException if there is none
	 */
	public static FaultType of(String name) {
		return find(name).orElseThrow(() -> new UnknownFaultTypeException(name));
	}

	/** The choices of a parameter whose values are an enum's constants, in lower case. */
	private static List<String> ids(Enum<?>[] values) {
		return Arrays.stream(values).map((value) -> value.name().toLowerCase(Locale.ROOT)).toList();
	}

	static String ids() {
		return Arrays.stream(values()).map(FaultType::id).collect(Collectors.joining(", "));
	}

}
