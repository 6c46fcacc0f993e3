package dev.dbfault.core.fault;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.internal.text.Values;

/**
 * What to inject: a fault type, its parameters and the common options. Immutable and
 * validated: an instance only exists when every parameter is usable, so a fault is either
 * applied whole or not at all.
 *
 * <p>Build one from Java with {@link Faults} or {@link #builder(FaultType)}, or from
 * untyped input (JSON, properties) with {@link #parse(String, Map)}; both take the same
 * path through validation.
 *
 * <pre>{@code
 * FaultSpec spec = Faults.latency(Duration.ofMillis(200)).jitter(Duration.ofMillis(20)).times(3).build();
 * FaultSpec same = FaultSpec.parse("latency", Map.of("latency", "200ms", "jitter", "20ms", "times", 3));
 * }</pre>
 */
public final class FaultSpec {

	private final FaultType type;

	private final Map<String, Object> parameters;

	private final Direction direction;

	private final double probability;

	private final Long times;

	private final long after;

	private final Duration duration;

	private FaultSpec(FaultType type, Map<String, Object> parameters, Direction direction, double probability,
			Long times, long after, Duration duration) {
		this.type = type;
		this.parameters = Collections.unmodifiableMap(parameters);
		this.direction = direction;
		this.probability = probability;
		this.times = times;
		this.after = after;
		this.duration = duration;
	}

	/**
	 * Starts a spec of the given type.
	 * @param type the fault type
	 * @return a builder
	 */
	public static Builder builder(FaultType type) {
		return new Builder(type);
	}

	/**
	 * Creates a spec from untyped input, as received over HTTP or from properties.
	 * @param type the fault type name, such as {@code sql-error}
	 * @param parameters parameter values by camelCase name (strings, numbers); {@code null}
	 * values count as absent
	 * @return the validated spec
	 * @throws UnknownFaultTypeException if the type is unknown
	 * @throws FaultParameterException naming the first unusable parameter
	 */
	public static FaultSpec parse(String type, Map<String, ?> parameters) {
		Builder builder = builder(FaultType.of(type));
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
	public static FaultSpec parseJson(String type, String json) {
		FaultRequest request = FaultRequest.parseJson(type, json);
		if (request.id() != null) {
			throw new FaultParameterException("id", "id is not a parameter of the fault: inject it with"
					+ " FaultProxy.inject(id, spec)");
		}
		return request.spec();
	}

	public FaultType type() {
		return this.type;
	}

	public Direction direction() {
		return this.direction;
	}

	public double probability() {
		return this.probability;
	}

	/**
	 * Returns how many times the fault fires before it removes itself.
	 * @return the limit, or empty for no limit
	 */
	public OptionalLong times() {
		return (this.times != null) ? OptionalLong.of(this.times) : OptionalLong.empty();
	}

	public long after() {
		return this.after;
	}

	/**
	 * Returns how long the fault stays before it removes itself, if the user said.
	 * @return the duration, or {@code null} when only the proxy's maximum applies
	 */
	public Duration duration() {
		return this.duration;
	}

	/**
	 * Returns whether any of {@code after}, {@code probability} or {@code times} was set, so
	 * that events must be counted or sampled one by one.
	 * @return whether events are counted
	 */
	public boolean isCounted() {
		return this.after > 0 || this.probability < 1.0 || this.times != null;
	}

	/**
	 * Returns the typed value of a parameter of this type: a {@link Duration}, a
	 * {@link Long}, a {@link Pattern} or a {@link String}; {@code null} when an optional
	 * parameter without default was not given.
	 * @param name the parameter name
	 * @return the value
	 */
	public Object parameter(String name) {
		if (!this.parameters.containsKey(name) && this.type.parameters().stream().noneMatch((p) -> p.name().equals(name))) {
			throw new IllegalArgumentException(this.type.id() + " has no parameter '" + name + "'");
		}
		return this.parameters.get(name);
	}

	public Duration durationParameter(String name) {
		return (Duration) parameter(name);
	}

	public long longParameter(String name) {
		return (Long) parameter(name);
	}

	public Pattern patternParameter(String name) {
		return (Pattern) parameter(name);
	}

	public String stringParameter(String name) {
		return (String) parameter(name);
	}

	/**
	 * Returns the value of a choice parameter as the enum constant of the same name.
	 * @param <E> the enum
	 * @param name the parameter name
	 * @param type the enum whose constants are the parameter's choices
	 * @return the value
	 */
	public <E extends Enum<E>> E choiceParameter(String name, Class<E> type) {
		return Enum.valueOf(type, stringParameter(name).toUpperCase(Locale.ROOT));
	}

	/**
	 * Returns the parameters and options as plain JSON-friendly values (durations as
	 * {@code 250ms}, patterns as their source), options included only when set.
	 * @return an ordered, unmodifiable map
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		this.parameters.forEach((name, value) -> {
			if (value != null) {
				map.put(name, plain(value));
			}
		});
		if (this.type.isDirectional()) {
			map.put("direction", this.direction.id());
		}
		if (this.probability < 1.0) {
			map.put("probability", this.probability);
		}
		if (this.times != null) {
			map.put("times", this.times);
		}
		if (this.after > 0) {
			map.put("after", this.after);
		}
		if (this.duration != null) {
			map.put("duration", Values.format(this.duration));
		}
		return Collections.unmodifiableMap(map);
	}

	private static Object plain(Object value) {
		if (value instanceof Duration duration) {
			return Values.format(duration);
		}
		if (value instanceof Pattern pattern) {
			return pattern.pattern();
		}
		return value;
	}

	@Override
	public boolean equals(Object obj) {
		if (this == obj) {
			return true;
		}
		if (!(obj instanceof FaultSpec other)) {
			return false;
		}
		return this.type == other.type && toMap().equals(other.toMap());
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.type, toMap());
	}

	@Override
	public String toString() {
		return this.type.id() + toMap();
	}

	/**
	 * Collects parameters for a {@link FaultSpec}; {@link #build()} validates them all.
	 * The typed setters are shortcuts for {@link #set(String, Object)}; setting a parameter
	 * the type does not take fails at {@link #build()} with a message naming it.
	 */
	public static final class Builder {

		private final FaultType type;

		private final Map<String, Object> values = new LinkedHashMap<>();

		/** Whether values came as JSON or text, so each must be of its kind's JSON type. */
		private boolean untyped;

		private Builder(FaultType type) {
			this.type = Objects.requireNonNull(type, "type");
		}

		/**
		 * Sets a parameter or common option by its camelCase name.
		 * @param name the name
		 * @param value the value (typed, or text as in JSON); {@code null} removes it
		 * @return this builder
		 */
		public Builder set(String name, Object value) {
			Objects.requireNonNull(name, "name");
			if (value == null) {
				this.values.remove(name);
			}
			else {
				this.values.put(name, value);
			}
			return this;
		}

		public Builder direction(Direction direction) {
			return set("direction", direction);
		}

		public Builder probability(double probability) {
			return set("probability", probability);
		}

		public Builder times(long times) {
			return set("times", times);
		}

		public Builder after(long after) {
			return set("after", after);
		}

		public Builder duration(Duration duration) {
			return set("duration", duration);
		}

		public Builder latency(Duration latency) {
			return set("latency", latency);
		}

		public Builder jitter(Duration jitter) {
			return set("jitter", jitter);
		}

		public Builder rate(long bytesPerSecond) {
			return set("rate", bytesPerSecond);
		}

		public Builder delay(Duration delay) {
			return set("delay", delay);
		}

		public Builder timeout(Duration timeout) {
			return set("timeout", timeout);
		}

		public Builder averageSize(long bytes) {
			return set("averageSize", bytes);
		}

		public Builder sizeVariation(long bytes) {
			return set("sizeVariation", bytes);
		}

		public Builder bytes(long bytes) {
			return set("bytes", bytes);
		}

		public Builder match(String regex) {
			return set("match", regex);
		}

		public Builder sqlState(String sqlState) {
			return set("sqlState", sqlState);
		}

		public Builder message(String message) {
			return set("message", message);
		}

		/**
		 * Sets when {@code drop-on} kills the connection.
		 * @param when {@code before} or {@code after} the statement is forwarded
		 * @return this builder
		 */
		public Builder when(String when) {
			return set("when", when);
		}

		/**
		 * Sets when {@code drop-on} kills the connection.
		 * @param when before or after the statement is forwarded
		 * @return this builder
		 */
		public Builder when(KillTiming when) {
			return set("when", when.id());
		}

		/**
		 * Sets how {@code drop-on} and {@code drop-after-rows} kill the connection.
		 * @param mode {@code reset}, {@code close} or {@code blackhole}
		 * @return this builder
		 */
		public Builder mode(String mode) {
			return set("mode", mode);
		}

		/**
		 * Sets how {@code drop-on} and {@code drop-after-rows} kill the connection.
		 * @param mode the way it is killed
		 * @return this builder
		 */
		public Builder mode(KillMode mode) {
			return set("mode", mode.id());
		}

		public Builder rows(long rows) {
			return set("rows", rows);
		}

		/**
		 * Validates every value and creates the spec.
		 * @return the spec
		 * @throws FaultParameterException naming the first unusable parameter
		 */
		public FaultSpec build() {
			for (String name : this.values.keySet()) {
				if (!isAcceptedByType(name)) {
					throw unknown(name);
				}
			}
			Map<String, Object> parameters = new LinkedHashMap<>();
			for (FaultParameter parameter : this.type.parameters()) {
				Object raw = this.values.get(parameter.name());
				if (raw == null && parameter.required()) {
					throw new FaultParameterException(parameter.name(),
							parameter.name() + " is required for fault " + this.type.id() + " ("
									+ parameter.description() + ")");
				}
				parameters.put(parameter.name(),
						(raw != null) ? parameter.convert(raw, this.untyped) : parameter.defaultValue());
			}
			Direction direction = this.type.defaultDirection();
			Object rawDirection = this.values.get("direction");
			if (rawDirection != null && this.type.isDirectional()) {
				direction = Direction.valueOf(
						((String) FaultType.DIRECTION.convert(rawDirection, this.untyped)).toUpperCase(Locale.ROOT));
			}
			double probability = (Double) option(FaultType.PROBABILITY);
			Long times = (Long) option(FaultType.TIMES);
			if (times != null && times < 1) {
				throw new FaultParameterException("times", "times must be at least 1, was " + times);
			}
			long after = (Long) option(FaultType.AFTER);
			Duration duration = (Duration) option(FaultType.DURATION);
			if (duration != null && duration.isZero()) {
				throw new FaultParameterException("duration", "duration must be longer than 0");
			}
			checkRelations(parameters);
			return new FaultSpec(this.type, parameters, direction, probability, times, after, duration);
		}

		private Object option(FaultParameter option) {
			Object raw = this.values.get(option.name());
			return (raw != null) ? option.convert(raw, this.untyped) : option.defaultValue();
		}

		private FaultParameterException unknown(String name) {
			if (name.equals("direction")) {
				return new FaultParameterException(name, "direction does not apply to " + this.type.id()
						+ ": it acts on whole connections or statements (only 'both' is accepted)");
			}
			if (name.equals("duration") && this.type.isAction()) {
				return new FaultParameterException(name,
						"duration does not apply to " + this.type.id() + ": it acts once, when injected");
			}
			String shown = Values.shorten(name);
			return new FaultParameterException(shown, "Unknown parameter '" + shown + "' for fault " + this.type.id()
					+ " (accepted: " + String.join(", ", this.type.allParameters().stream().map(FaultParameter::name).toList())
					+ ")");
		}

		private boolean isAcceptedByType(String name) {
			if (this.type.parameter(name).isPresent()) {
				return true;
			}
			// "both" is what a generic client sends for every fault; it means the same as nothing
			Object value = this.values.get(name);
			return name.equals("direction") && value instanceof CharSequence text
					&& "both".equalsIgnoreCase(text.toString().trim());
		}

		private void checkRelations(Map<String, Object> parameters) {
			switch (this.type) {
				case BANDWIDTH -> {
					if ((Long) parameters.get("rate") < 1) {
						throw new FaultParameterException("rate", "rate must be at least 1 byte per second");
					}
				}
				case SLICER -> {
					long average = (Long) parameters.get("averageSize");
					long variation = (Long) parameters.get("sizeVariation");
					if (average < 1) {
						throw new FaultParameterException("averageSize", "averageSize must be at least 1 byte");
					}
					if (variation >= average) {
						throw new FaultParameterException("sizeVariation",
								"sizeVariation must be less than averageSize (" + average + "), was " + variation);
					}
				}
				default -> {
				}
			}
		}

	}

}
