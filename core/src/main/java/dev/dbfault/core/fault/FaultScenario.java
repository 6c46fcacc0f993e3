package dev.dbfault.core.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dbfault.core.internal.text.Json;
import dev.dbfault.core.internal.text.Values;

/**
 * Faults injected together under one id, as the steps of an incident: a failover is
 * connections reset, then logins refused with 57P03 for a while, then the stragglers on the
 * old primary read-only; {@code startAfter} places each step on the timeline. A proxy
 * applies every step or, when one is refused, none
 * ({@link dev.dbfault.core.FaultProxy#inject(FaultScenario)}). Step {@code i} is the fault
 * {@code id.i}, listed with the scenario's id; removing the scenario removes every step, and
 * injecting the same scenario again renews the steps still in effect, like a lease.
 *
 * <p>Read from JSON as {@code {"id": "failover", "steps": [{"type": "reset"},
 * {"type": "login-error", "duration": "10s"}]}}: each step is a fault type and its
 * parameters, as a single fault takes them. A refused step names its index and parameter
 * ({@code steps[1].sqlState}).
 *
 * @param id the scenario's id: 1 to {@value #MAX_ID_LENGTH} letters, digits, {@code .},
 * {@code _}, {@code :} or {@code -}, starting with a letter or digit
 * @param steps the faults, in order; 1 to {@value #MAX_STEPS}
 */
public record FaultScenario(String id, List<FaultSpec> steps) {

	/** The most steps a scenario takes. */
	public static final int MAX_STEPS = 50;

	/** The longest id a scenario takes, so that its steps' ids fit the 64 characters of a fault's. */
	public static final int MAX_ID_LENGTH = 60;

	private static final List<String> MEMBERS = List.of("id", "steps");

	/**
	 * Checks a scenario.
	 * @throws FaultParameterException naming {@code id} or {@code steps} if either is not usable
	 */
	public FaultScenario {
		if (id == null || id.length() > MAX_ID_LENGTH) {
			throw new FaultParameterException("id", "a scenario's id must be 1 to " + MAX_ID_LENGTH
					+ " letters, digits, '.', '_', ':' or '-', starting with a letter or digit, was "
					+ ((id == null) ? null : "'" + Values.shorten(id) + "'"));
		}
		FaultRequest.checkId(id);
		if (steps == null || steps.isEmpty()) {
			throw new FaultParameterException("steps", "a scenario needs at least one step, such as"
					+ " \"steps\": [{\"type\": \"reset\"}]");
		}
		if (steps.size() > MAX_STEPS) {
			throw new FaultParameterException("steps", "a scenario takes at most " + MAX_STEPS + " steps, was given "
					+ steps.size());
		}
		for (int i = 0; i < steps.size(); i++) {
			if (steps.get(i) == null) {
				throw new FaultParameterException(step(i), "step " + i + " is null");
			}
		}
		steps = List.copyOf(steps);
	}

	/**
	 * Creates a scenario.
	 * @param id its id
	 * @param steps its faults, in order
	 * @return the scenario
	 * @throws FaultParameterException naming {@code id} or {@code steps} if either is not usable
	 */
	public static FaultScenario of(String id, FaultSpec... steps) {
		return new FaultScenario(id, List.of(steps));
	}

	/**
	 * Returns the id of one step's fault: the scenario's id, a dot and the step's index from 0.
	 * @param index the step's index
	 * @return the id, such as {@code failover.2}
	 */
	public String stepId(int index) {
		return this.id + "." + index;
	}

	/**
	 * Reads a scenario from a JSON object, {@code {"id": ..., "steps": [{"type": ..., ...}]}}.
	 * @param json the JSON text
	 * @return the scenario
	 * @throws FaultParameterException naming what is not usable: {@code id}, {@code steps},
	 * or a step's parameter as {@code steps[1].sqlState}; with no parameter when the text is not
	 * a JSON object
	 */
	public static FaultScenario parseJson(String json) {
		Map<String, Object> body;
		try {
			body = Json.readObject((json != null) ? json : "", "a scenario");
		}
		catch (IllegalArgumentException ex) {
			throw new FaultParameterException(null, ex.getMessage());
		}
		return parse(body);
	}

	/**
	 * Reads a scenario whose id is given beside its steps, as the endpoint's operation takes
	 * them: {@code json} is {@code {"steps": [...]}}.
	 * @param id the scenario's id, or {@code null} when the JSON has it
	 * @param json the JSON text
	 * @return the scenario
	 * @throws FaultParameterException naming what is not usable, {@code id} when it is given
	 * twice
	 */
	public static FaultScenario parseJson(String id, String json) {
		if (id == null) {
			return parseJson(json);
		}
		Map<String, Object> body;
		try {
			body = new LinkedHashMap<>(Json.readObject((json != null) ? json : "", "a scenario"));
		}
		catch (IllegalArgumentException ex) {
			throw new FaultParameterException(null, ex.getMessage());
		}
		if (body.containsKey("id")) {
			throw new FaultParameterException("id", "give the scenario's id once, beside its steps");
		}
		body.put("id", id);
		return parse(body);
	}

	/**
	 * Reads a scenario from its members, as {@link #parseJson(String)} does.
	 * @param body the members: {@code id} (text) and {@code steps} (a list of maps, each with
	 * a {@code type})
	 * @return the scenario
	 * @throws FaultParameterException naming what is not usable
	 */
	public static FaultScenario parse(Map<String, ?> body) {
		for (String name : body.keySet()) {
			if (!MEMBERS.contains(name)) {
				throw new FaultParameterException(Values.shorten(name), "a scenario has no member '" + Values.shorten(name)
						+ "' (it takes id and steps; a step's parameters go in its object)");
			}
		}
		Object id = body.get("id");
		if (id == null) {
			throw new FaultParameterException("id", "a scenario needs an id, such as \"id\": \"failover\", to list,"
					+ " renew and remove its steps by");
		}
		if (!(id instanceof CharSequence)) {
			throw new FaultParameterException("id", "id must be text, such as \"failover\"; was " + Json.describe(id));
		}
		Object steps = body.get("steps");
		if (!(steps instanceof List<?> list)) {
			throw new FaultParameterException("steps", "steps must be a list of faults, such as [{\"type\": \"reset\"},"
					+ " {\"type\": \"login-error\", \"duration\": \"10s\"}]; was " + Json.describe(steps));
		}
		if (list.size() > MAX_STEPS) {
			throw new FaultParameterException("steps", "a scenario takes at most " + MAX_STEPS + " steps, was given "
					+ list.size());
		}
		List<FaultSpec> specs = new ArrayList<>(list.size());
		for (int i = 0; i < list.size(); i++) {
			specs.add(parseStep(i, list.get(i)));
		}
		return new FaultScenario(id.toString(), specs);
	}

	private static FaultSpec parseStep(int index, Object step) {
		if (!(step instanceof Map<?, ?> members)) {
			throw new FaultParameterException(step(index), "step " + index + " must be an object such as {\"type\":"
					+ " \"reset\"}; was " + Json.describe(step));
		}
		Map<String, Object> parameters = new LinkedHashMap<>();
		members.forEach((name, value) -> parameters.put(String.valueOf(name), value));
		Object type = parameters.remove("type");
		if (!(type instanceof CharSequence)) {
			throw new FaultParameterException(step(index) + ".type", "step " + index + " needs a type, the fault's"
					+ " name as text, such as \"type\": \"reset\"; was " + Json.describe(type));
		}
		if (parameters.containsKey("id")) {
			throw new FaultParameterException(step(index) + ".id", "step " + index + " takes no id: its fault is"
					+ " named by the scenario's id and its index");
		}
		try {
			return FaultSpec.parse(type.toString(), parameters);
		}
		catch (UnknownFaultTypeException ex) {
			throw new FaultParameterException(step(index) + ".type", "step " + index + ": " + ex.getMessage());
		}
		catch (FaultParameterException ex) {
			String parameter = (ex.getParameter() != null) ? step(index) + "." + ex.getParameter() : step(index);
			throw new FaultParameterException(parameter, "step " + index + " (" + Values.shorten(type.toString())
					+ "): " + ex.getMessage());
		}
	}

	private static String step(int index) {
		return "steps[" + index + "]";
	}

	/**
	 * Returns the scenario as JSON-friendly members, as it is read.
	 * @return {@code id} and {@code steps}, each step its {@code type} and parameters
	 */
	public Map<String, Object> toMap() {
		List<Map<String, Object>> list = new ArrayList<>();
		for (FaultSpec step : this.steps) {
			Map<String, Object> members = new LinkedHashMap<>();
			members.put("type", step.type().id());
			members.putAll(step.toMap());
			list.add(members);
		}
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("id", this.id);
		map.put("steps", list);
		return map;
	}

}
