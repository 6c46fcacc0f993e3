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
	LATENCY("latency", FaultType.LATENCY, new Attribute("latency", "latency", Unit.MILLISECONDS),
			new Attribute("jitter", "jitter", Unit.MILLISECONDS)) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.latency(millis(attributes, "latency")).jitter(millis(attributes, "jitter"));
		}
	},

	/** {@code rate} in KB/s (1,000 bytes); 0 holds the data until the toxic goes. */
	BANDWIDTH("bandwidth", FaultType.BANDWIDTH, new Attribute("rate", "rate", Unit.KILOBYTES)) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.bandwidth(Math.multiplyExact(attributes.get("rate"), 1000L));
		}
	},

	/** {@code delay} in milliseconds before a close goes through. */
	SLOW_CLOSE("slow_close", FaultType.SLOW_CLOSE, new Attribute("delay", "delay", Unit.MILLISECONDS)) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.slowClose(millis(attributes, "delay"));
		}
	},

	/** {@code timeout} in milliseconds: data stops, the connection closes after it (0: never). */
	TIMEOUT("timeout", FaultType.TIMEOUT, new Attribute("timeout", "timeout", Unit.MILLISECONDS)) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.timeout(millis(attributes, "timeout"));
		}
	},

	/** {@code timeout} in milliseconds until the connection is reset. */
	RESET_PEER("reset_peer", FaultType.RESET_PEER, new Attribute("timeout", "timeout", Unit.MILLISECONDS)) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.resetPeer(millis(attributes, "timeout"));
		}
	},

	/** {@code average_size}, {@code size_variation} in bytes, {@code delay} in microseconds. */
	SLICER("slicer", FaultType.SLICER, new Attribute("average_size", "averageSize", Unit.BYTES),
			new Attribute("size_variation", "sizeVariation", Unit.BYTES),
			new Attribute("delay", "delay", Unit.MICROSECONDS)) {
		@Override
		void check(Map<String, Long> attributes) {
			long average = attributes.get("average_size");
			if (average < 1) {
				throw ApiException.badRequest("slicer attribute average_size must be at least 1, was " + average);
			}
			if (attributes.get("size_variation") >= average) {
				throw ApiException.badRequest("slicer attribute size_variation must be less than average_size ("
						+ average + "), was " + attributes.get("size_variation"));
			}
		}

		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.slicer(attributes.get("average_size"))
				.sizeVariation(attributes.get("size_variation"))
				.delay(Duration.ofNanos(Math.multiplyExact(attributes.get("delay"), 1000L)));
		}
	},

	/** {@code bytes} let through before the connection closes. */
	LIMIT_DATA("limit_data", FaultType.LIMIT_DATA, new Attribute("bytes", "bytes", Unit.BYTES)) {
		@Override
		FaultSpec.Builder<?, ?> fault(Map<String, Long> attributes) {
			return Faults.limitData(attributes.get("bytes"));
		}
	};

	private final String id;

	private final FaultType fault;

	private final List<Attribute> attributes;

	ToxicType(String id, FaultType fault, Attribute... attributes) {
		this.id = id;
		this.fault = fault;
		this.attributes = List.of(attributes);
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
	 * Checks what one attribute cannot say alone (Toxiproxy's own constraints).
	 * @param attributes every attribute of the type
	 * @throws ApiException naming the attribute
	 */
	void check(Map<String, Long> attributes) {
	}

	/**
	 * Returns the largest value of an attribute: the largest its dbfault parameter takes,
	 * in the attribute's unit.
	 * @param name the attribute
	 * @return the largest value
	 */
	long maximum(String name) {
		Attribute attribute = attribute(name);
		Object maximum = this.fault.parameter(attribute.parameter()).orElseThrow().maximum();
		long largest = (maximum instanceof Duration duration) ? duration.toNanos() : (Long) maximum;
		return largest / attribute.unit().size;
	}

	/**
	 * Returns the unit an attribute is written in, for messages.
	 * @param name the attribute
	 * @return such as {@code ms}
	 */
	String unit(String name) {
		return attribute(name).unit().symbol;
	}

	private Attribute attribute(String name) {
		return this.attributes.stream()
			.filter((candidate) -> candidate.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

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
		return this.attributes.stream().map(Attribute::name).toList();
	}

	/**
	 * Returns every attribute at 0, Toxiproxy's default for each.
	 * @return the attributes
	 */
	Map<String, Long> defaults() {
		Map<String, Long> values = new LinkedHashMap<>();
		this.attributes.forEach((attribute) -> values.put(attribute.name(), 0L));
		return values;
	}

	/**
	 * The units of Toxiproxy's attributes, each against dbfault's (nanoseconds, bytes).
	 */
	enum Unit {

		MILLISECONDS(1_000_000, "ms"), MICROSECONDS(1_000, "µs"), KILOBYTES(1_000, "KB/s"), BYTES(1, "bytes");

		private final long size;

		private final String symbol;

		Unit(long size, String symbol) {
			this.size = size;
			this.symbol = symbol;
		}

	}

	/**
	 * An attribute of a toxic: its name, the dbfault parameter it sets, its unit.
	 */
	record Attribute(String name, String parameter, Unit unit) {

	}

	static Optional<ToxicType> find(String id) {
		return Arrays.stream(values()).filter((type) -> type.id.equals(id)).findFirst();
	}

	static String ids() {
		return String.join(", ", Arrays.stream(values()).map(ToxicType::id).toList());
	}

}
