package dev.dbfault.core.fault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What to inject: one record per fault type ({@link Latency}, {@link SqlError}, ...) holding
 * that type's settings, typed, and the {@link FaultOptions} every fault shares. Immutable and
 * validated: an instance only exists when every setting is usable, so a fault is either
 * applied whole or not at all.
 *
 * <p>Build one from Java with {@link Faults} (each method returns the builder of its type,
 * which takes only that type's settings and the common options), or from untyped input
 * (JSON, properties, the command line) with {@link #parse(String, Map)}: both take the same
 * path through validation.
 *
 * <pre>{@code
 * Latency spec = Faults.latency(Duration.ofMillis(200)).jitter(Duration.ofMillis(20)).times(3).build();
 * FaultSpec same = FaultSpec.parse("latency", Map.of("latency", "200ms", "jitter", "20ms", "times", 3));
 * }</pre>
 */
public sealed interface FaultSpec permits Reset, Close, Refuse, Down, Blackhole, StallConnect, Latency, Bandwidth,
		SlowClose, Timeout, ResetPeer, Slicer, LimitData, SqlError, SqlLatency, DropOn, DropAfterRows, Terminate,
		LoginError, ReadOnly {

	/**
	 * Returns the fault type.
	 * @return the type
	 */
	FaultType type();

	/**
	 * Returns the options every fault shares.
	 * @return the options
	 */
	FaultOptions options();

	default Direction direction() {
		return options().direction();
	}

	default double probability() {
		return options().probability();
	}

	/**
	 * Returns how many times the fault fires before it removes itself.
	 * @return the limit, or empty for no limit
	 */
	default OptionalLong times() {
		return options().times();
	}

	default long after() {
		return options().after();
	}

	/**
	 * Returns how long the fault stays before it removes itself, if the user said.
	 * @return the duration, or {@code null} when only the proxy's maximum applies
	 */
	default Duration duration() {
		return options().duration().orElse(null);
	}

	/**
	 * Returns whether any of {@code after}, {@code probability} or {@code times} was set, so
	 * that events must be counted or sampled one by one.
	 * @return whether events are counted
	 */
	default boolean isCounted() {
		return options().isCounted();
	}

	/**
	 * Returns a setting by its parameter name, for readers that do not know the type: a
	 * {@link Duration}, a {@link Long}, a {@link java.util.regex.Pattern}, a {@link String}
	 * or an enum; {@code null} when an optional setting without default was not given. Code
	 * that knows the type reads the record's accessor instead.
	 * @param name the parameter name
	 * @return the value
	 * @throws IllegalArgumentException if the type has no such parameter
	 */
	default Object parameter(String name) {
		return Specs.setting(this, name);
	}

	/**
	 * Returns the settings and options as plain JSON-friendly values, written as requests
	 * give them (durations as {@code 250ms}, sizes as {@code 2KB}, patterns as their source,
	 * choices as their lower-case name), options included only when set: parsing the map
	 * gives the same spec back.
	 * @return an ordered, unmodifiable map
	 */
	default Map<String, Object> toMap() {
		return Specs.toMap(this);
	}

	/**
	 * Starts an untyped spec of the given type, whose settings are set by name.
	 * @param type the fault type
	 * @return a builder
	 */
	static OptionsBuilder<FaultSpec> builder(FaultType type) {
		return new OptionsBuilder<>(type);
	}

	/**
	 * Creates a spec from untyped input, as received over HTTP or from properties: the one
	 * untyped way in, where every validation message comes from.
	 * @param type the fault type name, such as {@code sql-error}
	 * @param parameters parameter values by camelCase name (strings, numbers); {@code null}
	 * values count as absent
	 * @return the validated spec
	 * @throws UnknownFaultTypeException if the type is unknown
	 * @throws FaultParameterException naming the first unusable parameter
	 */
	static FaultSpec parse(String type, Map<String, ?> parameters) {
		OptionsBuilder<FaultSpec> builder = builder(FaultType.of(type));
		builder.untyped = true;
		if (parameters != null) {
			parameters.forEach(builder::set);
		}
		return builder.build();
	}

	/**
	 * Creates a spec from a JSON object of parameters, as {@link #parse(String, Map)} does:
	 * durations and sizes are strings with their unit ({@code "250ms"}), counts and ratios
	 * numbers or strings, everything else strings. The reading is strict and bounded: a
	 * malformed body, a repeated name or a value of the wrong JSON type is refused with a
	 * message saying so. ({@link FaultRequest#parseJson} reads an {@code id} besides.)
	 * @param type the fault type name, such as {@code sql-error}
	 * @param json the JSON object; blank means no parameters
	 * @return the validated spec
	 * @throws UnknownFaultTypeException if the type is unknown
	 * @throws FaultParameterException naming the unusable parameter, or with no parameter
	 * ({@code null}) when the body itself is not a JSON object
	 */
	static FaultSpec parseJson(String type, String json) {
		FaultRequest request = FaultRequest.parseJson(type, json);
		if (request.id() != null) {
			throw new FaultParameterException("id", "id is not a parameter of the fault: inject it with"
					+ " FaultProxy.inject(id, spec)");
		}
		return request.spec();
	}

	/**
	 * Collects a spec's settings and common options; {@link #build()} validates them all.
	 * Each fault type's builder adds setters for its own optional settings only, so that a
	 * setting of another type does not compile; {@link #set(String, Object)} sets one by
	 * name, and a name the type does not take fails at {@link #build()} naming it.
	 *
	 * @param <S> the spec it builds
	 * @param <B> the builder itself
	 */
	abstract class Builder<S extends FaultSpec, B extends Builder<S, B>> {

		private final FaultType type;

		private final Map<String, Object> values = new LinkedHashMap<>();

		/** Whether values came as JSON or text, so each must be of its kind's JSON type. */
		boolean untyped;

		Builder(FaultType type) {
			this.type = Objects.requireNonNull(type, "type");
		}

		/**
		 * Returns the type of the spec being built.
		 * @return the type
		 */
		public FaultType type() {
			return this.type;
		}

		/**
		 * Sets a setting or common option by its camelCase name.
		 * @param name the name
		 * @param value the value (typed, or text as in JSON); {@code null} removes it
		 * @return this builder
		 */
		public B set(String name, Object value) {
			Objects.requireNonNull(name, "name");
			if (value == null) {
				this.values.remove(name);
			}
			else {
				this.values.put(name, value);
			}
			return self();
		}

		/**
		 * Sets which way a directional fault acts.
		 * @param direction the direction
		 * @return this builder
		 */
		public B direction(Direction direction) {
			return set("direction", direction);
		}

		/**
		 * Sets the chance, 0 to 1, that an event fires.
		 * @param probability the chance
		 * @return this builder
		 */
		public B probability(double probability) {
			return set("probability", probability);
		}

		/**
		 * Draws {@code probability} and {@code after} once per connection and direction
		 * instead of for each chunk of data (faults acting on data only).
		 * @return this builder
		 */
		public B perConnection() {
			return set("per", Sampling.CONNECTION);
		}

		/**
		 * Sets how many events fire before the fault removes itself.
		 * @param times the limit, at least 1
		 * @return this builder
		 */
		public B times(long times) {
			return set("times", times);
		}

		/**
		 * Sets how many events pass unharmed first.
		 * @param after the events spared
		 * @return this builder
		 */
		public B after(long after) {
			return set("after", after);
		}

		/**
		 * Sets the seed of the fault's random choices, so that the same traffic gets the
		 * same decisions: pass back the seed a run showed to replay it.
		 * @param seed the seed, 0 to {@value FaultOptions#MAX_SEED}
		 * @return this builder
		 */
		public B seed(long seed) {
			return set("seed", seed);
		}

		/**
		 * Acts only on connections whose {@code application_name} matches (PostgreSQL).
		 * @param regex a regular expression found in the name
		 * @return this builder
		 */
		public B applicationName(String regex) {
			return set("applicationName", regex);
		}

		/**
		 * Acts only on connections whose user matches (PostgreSQL).
		 * @param regex a regular expression found in the user name
		 * @return this builder
		 */
		public B user(String regex) {
			return set("user", regex);
		}

		/**
		 * Acts only on connections whose database matches (PostgreSQL).
		 * @param regex a regular expression found in the database name
		 * @return this builder
		 */
		public B database(String regex) {
			return set("database", regex);
		}

		/**
		 * Acts only on the connection served by this PostgreSQL backend process.
		 * @param pid the backend's process id, as {@code pg_backend_pid()} gives it
		 * @return this builder
		 */
		public B backendPid(int pid) {
			return set("backendPid", (long) pid);
		}

		/**
		 * Acts only on the connection a test holds: the one served by the same PostgreSQL
		 * backend as this JDBC connection (a pooled one too), found through its backend
		 * process id. The rest of the pool carries on unharmed.
		 * @param connection a connection through a PostgreSQL proxy
		 * @return this builder
		 * @throws IllegalArgumentException if the connection's backend cannot be found
		 */
		public B onConnectionOf(java.sql.Connection connection) {
			return backendPid(BackendPid.of(connection));
		}

		/**
		 * Acts only on statements inside, or outside, a transaction (statement faults).
		 * @param inTransaction {@code true} for statements between {@code BEGIN} and its end
		 * @return this builder
		 */
		public B inTransaction(boolean inTransaction) {
			return set("inTransaction", Boolean.toString(inTransaction));
		}

		/**
		 * Acts only on the Nth statement of each transaction (statement faults).
		 * @param index the position, from 1; {@code BEGIN} is not counted
		 * @return this builder
		 */
		public B statementIndex(int index) {
			return set("statementIndex", (long) index);
		}

		/**
		 * Sets how long the fault stays before it removes itself.
		 * @param duration the lifetime
		 * @return this builder
		 */
		public B duration(Duration duration) {
			return set("duration", duration);
		}

		/**
		 * Schedules the fault to start this long after it is injected: until then it does
		 * nothing, and its {@code duration} counts from its start.
		 * @param startAfter the delay, up to a day
		 * @return this builder
		 */
		public B startAfter(Duration startAfter) {
			return set("startAfter", startAfter);
		}

		/**
		 * Validates every value and creates the spec.
		 * @return the spec
		 * @throws FaultParameterException naming the first unusable parameter
		 */
		@SuppressWarnings("unchecked")
		public S build() {
			return (S) Specs.create(this.type, this.values, this.untyped);
		}

		@SuppressWarnings("unchecked")
		private B self() {
			return (B) this;
		}

	}

	/**
	 * The builder of a fault type that has no optional settings of its own: only the common
	 * options.
	 *
	 * @param <S> the spec it builds
	 */
	final class OptionsBuilder<S extends FaultSpec> extends Builder<S, OptionsBuilder<S>> {

		OptionsBuilder(FaultType type) {
			super(type);
		}

	}

}
