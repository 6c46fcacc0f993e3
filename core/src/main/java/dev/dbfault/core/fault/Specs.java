package dev.dbfault.core.fault;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import dev.dbfault.core.internal.text.Values;

/**
 * How specs are made from named values and read back by name, for every fault type alike:
 * a type's settings are the components of its record, named as its parameters.
 */
final class Specs {

	private static final String OPTIONS = "options";

	private Specs() {
	}

	/**
	 * Validates named values and creates the spec of a type.
	 * @param type the fault type
	 * @param values settings and common options by name
	 * @param untyped whether the values came as JSON or text
	 * @return the spec
	 */
	static FaultSpec create(FaultType type, Map<String, Object> values, boolean untyped) {
		for (String name : values.keySet()) {
			if (!isAccepted(type, name, values.get(name))) {
				throw unknown(type, name);
			}
		}
		Map<String, Object> settings = new LinkedHashMap<>();
		for (FaultParameter parameter : type.parameters()) {
			Object raw = values.get(parameter.name());
			if (raw == null && parameter.required()) {
				throw missing(type, parameter);
			}
			settings.put(parameter.name(), (raw != null) ? parameter.convert(raw, untyped) : parameter.defaultValue());
		}
		Direction direction = null;
		Object rawDirection = values.get("direction");
		if (rawDirection != null && type.isDirectional()) {
			direction = Direction
				.valueOf(((String) FaultType.DIRECTION.convert(rawDirection, untyped)).toUpperCase(Locale.ROOT));
		}
		double probability = (Double) option(FaultType.PROBABILITY, values, untyped);
		Long times = (Long) option(FaultType.TIMES, values, untyped);
		long after = (Long) option(FaultType.AFTER, values, untyped);
		Duration duration = (Duration) option(FaultType.DURATION, values, untyped);
		Duration startAfter = (Duration) option(FaultType.START_AFTER, values, untyped);
		Object rawPer = values.get(FaultType.PER.name());
		Sampling per = (rawPer != null)
				? (Sampling) typed(Sampling.class, FaultType.PER.convert(rawPer, untyped)) : Sampling.EVENT;
		Long seed = (Long) option(FaultType.SEED, values, untyped);
		Object rawInTransaction = values.get(FaultType.IN_TRANSACTION.name());
		Long backendPid = (Long) option(FaultType.BACKEND_PID, values, untyped);
		Long statementIndex = (Long) option(FaultType.STATEMENT_INDEX, values, untyped);
		Target target = new Target((Pattern) option(FaultType.APPLICATION_NAME, values, untyped),
				(Pattern) option(FaultType.USER, values, untyped), (Pattern) option(FaultType.DATABASE, values, untyped),
				(backendPid != null) ? Math.toIntExact(backendPid) : null,
				(rawInTransaction != null)
						? Boolean.valueOf((String) FaultType.IN_TRANSACTION.convert(rawInTransaction, untyped)) : null,
				(statementIndex != null) ? Math.toIntExact(Math.min(statementIndex, Integer.MAX_VALUE)) : null);
		FaultOptions options = new FaultOptions(direction, probability,
				(times != null) ? OptionalLong.of(times) : OptionalLong.empty(), after, Optional.ofNullable(duration),
				Optional.ofNullable(startAfter), per, (seed != null) ? OptionalLong.of(seed) : OptionalLong.empty(),
				target);
		return instantiate(type, settings, options);
	}

	private static Object option(FaultParameter option, Map<String, Object> values, boolean untyped) {
		Object raw = values.get(option.name());
		return (raw != null) ? option.convert(raw, untyped) : option.defaultValue();
	}

	private static FaultSpec instantiate(FaultType type, Map<String, Object> settings, FaultOptions options) {
		RecordComponent[] components = type.specType().getRecordComponents();
		Class<?>[] types = new Class<?>[components.length];
		Object[] arguments = new Object[components.length];
		for (int i = 0; i < components.length; i++) {
			RecordComponent component = components[i];
			types[i] = component.getType();
			arguments[i] = component.getName().equals(OPTIONS) ? options
					: typed(component.getType(), settings.get(component.getName()));
		}
		try {
			Constructor<? extends FaultSpec> constructor = type.specType().getDeclaredConstructor(types);
			return constructor.newInstance(arguments);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(type.specType() + " is not the record of fault " + type.id(), ex);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Object typed(Class<?> type, Object value) {
		if (type.isEnum() && value instanceof String text) {
			return Enum.valueOf((Class<? extends Enum>) type, text.toUpperCase(Locale.ROOT));
		}
		return value;
	}

	/**
	 * Checks a setting given to a spec's record: converted and range-checked as its
	 * parameter says, the default when absent, an error naming it when required.
	 * @param <T> the setting's type
	 * @param type the fault type
	 * @param name the parameter name
	 * @param value the value, or {@code null}
	 * @return the checked value
	 */
	@SuppressWarnings("unchecked")
	static <T> T setting(FaultType type, String name, T value) {
		FaultParameter parameter = type.parameter(name).orElseThrow();
		if (value == null) {
			if (parameter.required()) {
				throw missing(type, parameter);
			}
			return (T) parameter.defaultValue();
		}
		return (T) parameter.convert(value);
	}

	/**
	 * Checks a choice setting given to a spec's record, the default when absent.
	 * @param <E> the enum of the choices
	 * @param type the fault type
	 * @param name the parameter name
	 * @param value the value, or {@code null}
	 * @param choices the enum
	 * @return the value
	 */
	static <E extends Enum<E>> E choice(FaultType type, String name, E value, Class<E> choices) {
		if (value != null) {
			return value;
		}
		String fallback = (String) type.parameter(name).orElseThrow().defaultValue();
		return Enum.valueOf(choices, fallback.toUpperCase(Locale.ROOT));
	}

	/**
	 * Checks the options given to a spec's record against its type: a direction only for
	 * directional types (the type's default when none), a duration only for conditions.
	 * @param type the fault type
	 * @param options the options, or {@code null} for none
	 * @return the options, direction resolved
	 */
	static FaultOptions options(FaultType type, FaultOptions options) {
		FaultOptions given = (options != null) ? options : FaultOptions.DEFAULT;
		if (!type.isDirectional() && given.direction() != null && given.direction() != Direction.BOTH) {
			throw unknown(type, "direction");
		}
		if (type.isAction() && given.duration().isPresent()) {
			throw unknown(type, "duration");
		}
		if (given.per() != Sampling.EVENT && type.event() != FaultType.Event.CHUNK) {
			throw unknown(type, "per");
		}
		if (given.target().narrowsConnections() && !type.isTargetable()) {
			throw unknown(type, given.target().firstConnectionOption());
		}
		if (given.target().narrowsStatements() && type.event() != FaultType.Event.STATEMENT) {
			throw unknown(type, (given.target().inTransaction() != null) ? "inTransaction" : "statementIndex");
		}
		Direction direction = (given.direction() != null && type.isDirectional()) ? given.direction()
				: type.defaultDirection();
		return (direction == given.direction()) ? given : given.withDirection(direction);
	}

	/**
	 * Returns one setting of a spec by its parameter name.
	 * @param spec the spec
	 * @param name the parameter name
	 * @return the value
	 */
	static Object setting(FaultSpec spec, String name) {
		if (spec.type().parameters().stream().noneMatch((parameter) -> parameter.name().equals(name))) {
			throw new IllegalArgumentException(spec.type().id() + " has no parameter '" + name + "'");
		}
		for (RecordComponent component : spec.getClass().getRecordComponents()) {
			if (component.getName().equals(name)) {
				try {
					return component.getAccessor().invoke(spec);
				}
				catch (ReflectiveOperationException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		throw new IllegalStateException(spec.getClass() + " has no component " + name);
	}

	static Map<String, Object> toMap(FaultSpec spec) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (FaultParameter parameter : spec.type().parameters()) {
			Object value = setting(spec, parameter.name());
			if (value != null) {
				// sizes are written with their unit, as requests must give them
				map.put(parameter.name(), (parameter.kind() == FaultParameter.Kind.SIZE && value instanceof Long bytes)
						? Values.formatSize(bytes) : plain(value));
			}
		}
		FaultOptions options = spec.options();
		if (spec.type().isDirectional()) {
			map.put("direction", options.direction().id());
		}
		if (options.probability() < 1.0) {
			map.put("probability", options.probability());
		}
		if (options.per() != Sampling.EVENT) {
			map.put("per", options.per().id());
		}
		options.times().ifPresent((times) -> map.put("times", times));
		if (options.after() > 0) {
			map.put("after", options.after());
		}
		options.duration().ifPresent((duration) -> map.put("duration", Values.format(duration)));
		options.startAfter().ifPresent((startAfter) -> map.put("startAfter", Values.format(startAfter)));
		options.seed().ifPresent((seed) -> map.put("seed", seed));
		map.putAll(options.target().toMap());
		return Collections.unmodifiableMap(map);
	}

	private static Object plain(Object value) {
		if (value instanceof Duration duration) {
			return Values.format(duration);
		}
		if (value instanceof Pattern pattern) {
			return pattern.pattern();
		}
		if (value instanceof Enum<?> choice) {
			return choice.name().toLowerCase(Locale.ROOT);
		}
		return value;
	}

	/**
	 * Compares specs whose settings include a {@link Pattern}, which has no equality of its
	 * own: by type and plain values.
	 */
	static boolean equal(FaultSpec spec, Object other) {
		return spec == other || (other instanceof FaultSpec that && spec.type() == that.type()
				&& spec.toMap().equals(that.toMap()));
	}

	static int hash(FaultSpec spec) {
		return 31 * spec.type().hashCode() + spec.toMap().hashCode();
	}

	static String describe(FaultSpec spec) {
		return spec.type().id() + spec.toMap();
	}

	private static FaultParameterException missing(FaultType type, FaultParameter parameter) {
		return new FaultParameterException(parameter.name(),
				parameter.name() + " is required for fault " + type.id() + " (" + parameter.description() + ")");
	}

	private static boolean isAccepted(FaultType type, String name, Object value) {
		if (type.parameter(name).isPresent()) {
			return true;
		}
		// "both" is what a generic client sends for every fault; it means the same as nothing
		return name.equals("direction") && ((value instanceof CharSequence text
				&& "both".equalsIgnoreCase(text.toString().trim())) || value == Direction.BOTH);
	}

	private static FaultParameterException unknown(FaultType type, String name) {
		if (name.equals("direction")) {
			return new FaultParameterException(name, "direction does not apply to " + type.id()
					+ ": it acts on whole connections or statements (only 'both' is accepted)");
		}
		if (!type.isTargetable() && Target.CONNECTION_OPTIONS.contains(name)) {
			return new FaultParameterException(name, name + " does not apply to " + type.id()
					+ ": it decides before a connection has logged in, when its " + name + " is not known yet");
		}
		if (type.event() != FaultType.Event.STATEMENT && (name.equals("inTransaction") || name.equals("statementIndex"))) {
			return new FaultParameterException(name, name + " does not apply to " + type.id()
					+ ": only faults acting on statements (sql-error, sql-latency, drop-on, drop-after-rows) take it");
		}
		if (name.equals("duration") && type.isAction()) {
			return new FaultParameterException(name,
					"duration does not apply to " + type.id() + ": it acts once, when injected");
		}
		String shown = Values.shorten(name);
		List<String> accepted = new ArrayList<>();
		type.allParameters().forEach((parameter) -> accepted.add(parameter.name()));
		return new FaultParameterException(shown, "Unknown parameter '" + shown + "' for fault " + type.id()
				+ " (accepted: " + String.join(", ", accepted) + ")");
	}

}
