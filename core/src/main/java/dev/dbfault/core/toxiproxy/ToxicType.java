package dev.dbfault.core.toxiproxy;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.core.fault.Faults;

/**
 * Toxiproxy's seven toxic types, each with its attributes in Toxiproxy's units, and the
 * dbfault fault it becomes.
 */
enum ToxicType {

	/** {@code latency}, {@code jitter} in milliseconds: each chunk delayed. */
	LATENCY("latency", FaultType.LATENCY, attributes("latency", "jitter")) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.latency(millis(attributes, "latency")).jitter(millis(attributes, "jitter"));
		}
	},

	/** {@code rate} in KB/s (1,000 bytes); 0 holds the data until the toxic goes. */
	BANDWIDTH("bandwidth", FaultType.BANDWIDTH, attributes("rate")) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.bandwidth(Math.multiplyExact(attributes.get("rate"), 1000L));
		}
	},

	/** {@code delay} in milliseconds before a close goes through. */
	SLOW_CLOSE("slow_close", FaultType.SLOW_CLOSE, attributes("delay")) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.slowClose(millis(attributes, "delay"));
		}
	},

	/** {@code timeout} in milliseconds: data stops, the connection closes after it (0: never). */
	TIMEOUT("timeout", FaultType.TIMEOUT, attributes("timeout")) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.timeout(millis(attributes, "timeout"));
		}
	},

	/** {@code timeout} in milliseconds until the connection is reset. */
	RESET_PEER("reset_peer", FaultType.RESET_PEER, attributes("timeout")) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.resetPeer(millis(attributes, "timeout"));
		}
	},

	/** {@code average_size}, {@code size_variation} in bytes, {@code delay} in microseconds. */
	SLICER("slicer", FaultType.SLICER, attributes("average_size", "size_variation", "delay")) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.slicer(attributes.get("average_size"))
				.sizeVariation(attributes.get("size_variation"))
				.delay(Duration.ofNanos(Math.multiplyExact(attributes.get("delay"), 1000L)));
		}
	},

	/** {@code bytes} let through before the connection closes. */
	LIMIT_DATA("limit_data", FaultType.LIMIT_DATA, attributes("bytes")) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.limitData(attributes.get("bytes"));
		}
	};

	private final String id;

	private final FaultType fault;

	private final List<String> attributes;

	ToxicType(String id, FaultType fault, List<String> attributes) {
		this.id = id;
		this.fault = fault;
		this.attributes = attributes;
	}

	private static List<String> attributes(String... names) {
		return List.of(names);
	}

	private static Duration millis(Map<String, Long> attributes, String name) {
		return Duration.ofMillis(attributes.get(name));
	}

	/**
	 * Returns the builder of the dbfault fault these attributes mean, without the options.
	 * @param attributes every attribute of the type, in Toxiproxy's units
	 * @return the builder
	 */
	abstract FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes);

	/**
	 * Builds the fault a toxic of this type becomes.
	 * @param attributes every attribute of the type
	 * @param stream the toxic's stream
	 * @param toxicity the chance per connection and direction
	 * @return the spec
	 * @throws dev.dbfault.core.fault.FaultParameterException if dbfault cannot take a value
	 */
	FaultSpec spec(Map<String, Long> attributes, Direction stream, double toxicity) {
		FaultSpec.Builder<?, ?> builder = fault(attributes);
		if (this.fault.isDirectional()) {
			builder.direction(stream);
		}
		if (toxicity < 1.0) {
			builder.probability(toxicity);
			if (this.fault.event() == FaultType.Event.CHUNK) {
				builder.perConnection();
			}
		}
		return builder.build();
	}

	String id() {
		return this.id;
	}

	/**
	 * Returns the attribute names, in Toxiproxy's order.
	 * @return the names
	 */
	List<String> attributes() {
		return this.attributes;
	}

	/**
	 * Returns every attribute at 0, Toxiproxy's default for each.
	 * @return the attributes
	 */
	Map<String, Long> defaults() {
		Map<String, Long> values = new LinkedHashMap<>();
		this.attributes.forEach((name) -> values.put(name, 0L));
		return values;
	}

	static Optional<ToxicType> find(String id) {
		return Arrays.stream(values()).filter((type) -> type.id.equals(id)).findFirst();
	}

	static String ids() {
		return String.join(", ", Arrays.stream(values()).map(ToxicType::id).toList());
	}

}
