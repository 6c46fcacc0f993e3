package dev.dbfault.core.fault;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The options every fault takes besides its own settings: which way it acts, which events
 * fire, and how long it stays. Immutable and validated.
 *
 * @param direction which way a directional fault acts; {@link Direction#BOTH} for faults
 * that act on whole connections or statements; {@code null} in options not yet given to a
 * fault means the fault type's default
 * @param probability chance, 0 to 1, that an event fires
 * @param times how many events fire before the fault removes itself, if limited
 * @param after how many events pass unharmed first
 * @param duration how long the fault stays before it removes itself, if the caller said
 * (the proxy's maximum applies besides), counted from its start
 * @param startAfter how long after its injection the fault starts, if later than at once:
 * until then it is {@linkplain ActiveFault.State#SCHEDULED scheduled} and does nothing
 * @param per what an event is for a fault acting on chunks of data: each chunk, or each
 * connection and direction once
 * @param seed the seed of the fault's random choices, if the caller gave one (the proxy
 * picks one otherwise, shown by {@link ActiveFault#seed()})
 * @param target which connections and statements the fault acts on
 */
public record FaultOptions(Direction direction, double probability, OptionalLong times, long after,
		Optional<Duration> duration, Optional<Duration> startAfter, Sampling per, OptionalLong seed, Target target) {

	/**
	 * No option set: the type's default direction, every event fires, from the first, until
	 * the fault is removed.
	 */
	public static final FaultOptions DEFAULT = new FaultOptions(null, 1.0, OptionalLong.empty(), 0,
			Optional.empty(), Optional.empty(), Sampling.EVENT, OptionalLong.empty(), Target.ANY);

	/** The largest seed: every seed is exact as a JSON number, in any language. */
	public static final long MAX_SEED = (1L << 53) - 1;

	public FaultOptions {
		probability = (Double) FaultType.PROBABILITY.convert(probability);
		times = (times != null) ? times : OptionalLong.empty();
		if (times.isPresent()) {
			FaultType.TIMES.convert(times.getAsLong());
		}
		after = (Long) FaultType.AFTER.convert(after);
		duration = (duration != null) ? duration : Optional.empty();
		if (duration.isPresent()) {
			Duration lifetime = (Duration) FaultType.DURATION.convert(duration.get());
			if (lifetime.isZero()) {
				throw new FaultParameterException("duration", "duration must be longer than 0");
			}
		}
		startAfter = (startAfter != null) ? startAfter : Optional.empty();
		if (startAfter.isPresent() && ((Duration) FaultType.START_AFTER.convert(startAfter.get())).isZero()) {
			// starting at once is not being scheduled: the same options as none
			startAfter = Optional.empty();
		}
		per = (per != null) ? per : Sampling.EVENT;
		if (per == Sampling.CONNECTION && times.isPresent()) {
			throw new FaultParameterException("times", "times cannot be combined with per=connection: a fault"
					+ " sampled per connection keeps acting on the connections it chose, so it has no last event");
		}
		seed = (seed != null) ? seed : OptionalLong.empty();
		if (seed.isPresent()) {
			FaultType.SEED.convert(seed.getAsLong());
		}
		target = (target != null) ? target : Target.ANY;
	}

	/**
	 * Options that start at once.
	 * @param direction which way a directional fault acts, or {@code null} for the type's default
	 * @param probability chance, 0 to 1, that an event fires
	 * @param times how many events fire before the fault removes itself, if limited
	 * @param after how many events pass unharmed first
	 * @param duration how long the fault stays, if limited
	 * @param per what an event is for a fault acting on chunks of data
	 * @param seed the seed of the fault's random choices, if given
	 * @param target which connections and statements the fault acts on
	 */
	public FaultOptions(Direction direction, double probability, OptionalLong times, long after,
			Optional<Duration> duration, Sampling per, OptionalLong seed, Target target) {
		this(direction, probability, times, after, duration, Optional.empty(), per, seed, target);
	}

	/**
	 * Options with the given sampling, no seed and no target.
	 * @param direction which way a directional fault acts, or {@code null} for the type's default
	 * @param probability chance, 0 to 1, that an event fires
	 * @param times how many events fire before the fault removes itself, if limited
	 * @param after how many events pass unharmed first
	 * @param duration how long the fault stays, if limited
	 * @param per what an event is for a fault acting on chunks of data
	 */
	public FaultOptions(Direction direction, double probability, OptionalLong times, long after,
			Optional<Duration> duration, Sampling per) {
		this(direction, probability, times, after, duration, per, OptionalLong.empty(), Target.ANY);
	}

	/**
	 * Options sampled per event.
	 * @param direction which way a directional fault acts, or {@code null} for the type's default
	 * @param probability chance, 0 to 1, that an event fires
	 * @param times how many events fire before the fault removes itself, if limited
	 * @param after how many events pass unharmed first
	 * @param duration how long the fault stays, if limited
	 */
	public FaultOptions(Direction direction, double probability, OptionalLong times, long after,
			Optional<Duration> duration) {
		this(direction, probability, times, after, duration, Sampling.EVENT);
	}

	/**
	 * Returns whether any of {@code after}, {@code probability} or {@code times} was set, so
	 * that events must be counted or sampled one by one.
	 * @return whether events are counted
	 */
	public boolean isCounted() {
		return this.after > 0 || this.probability < 1.0 || this.times.isPresent();
	}

	FaultOptions withDirection(Direction direction) {
		return new FaultOptions(direction, this.probability, this.times, this.after, this.duration, this.startAfter,
				this.per, this.seed, this.target);
	}

}
