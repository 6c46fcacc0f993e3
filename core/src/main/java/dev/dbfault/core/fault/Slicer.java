package dev.dbfault.core.fault;

import java.time.Duration;

/**
 * The settings of a {@code slicer} fault: data is cut into pieces of about {@code averageSize} bytes sent {@code delay} apart.
 *
 * @param averageSize average size of a piece in bytes
 * @param sizeVariation random variation of a piece's size, less than averageSize
 * @param delay time between pieces
 * @param options the common options
 */
public record Slicer(long averageSize, long sizeVariation, Duration delay, FaultOptions options) implements FaultSpec {

	public Slicer {
		averageSize = Specs.setting(FaultType.SLICER, "averageSize", averageSize);
		sizeVariation = Specs.setting(FaultType.SLICER, "sizeVariation", sizeVariation);
		delay = Specs.setting(FaultType.SLICER, "delay", delay);
		if (averageSize < 1) {
			throw new FaultParameterException("averageSize", "averageSize must be at least 1 byte");
		}
		if (sizeVariation >= averageSize) {
			throw new FaultParameterException("sizeVariation",
					"sizeVariation must be less than averageSize (" + averageSize + "), was " + sizeVariation);
		}
		options = Specs.options(FaultType.SLICER, options);
	}

	@Override
	public FaultType type() {
		return FaultType.SLICER;
	}

	@Override
	public String toString() {
		return Specs.describe(this);
	}

	/**
	 * Builds a {@code slicer} spec: its optional settings and the common options.
	 */
	public static final class Builder extends FaultSpec.Builder<Slicer, Builder> {

		Builder() {
			super(FaultType.SLICER);
		}

		/**
		 * Sets sizeVariation: random variation of a piece's size, less than averageSize.
		 * @param sizeVariation the value
		 * @return this builder
		 */
		public Builder sizeVariation(long sizeVariation) {
			return set("sizeVariation", sizeVariation);
		}

		/**
		 * Sets delay: time between pieces.
		 * @param delay the value
		 * @return this builder
		 */
		public Builder delay(Duration delay) {
			return set("delay", delay);
		}

	}

}
