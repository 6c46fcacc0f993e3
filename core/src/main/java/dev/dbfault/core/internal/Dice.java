package dev.dbfault.core.internal;

import java.util.SplittableRandom;

import dev.dbfault.core.fault.Direction;

/**
 * A connection as one fault numbered it, with the generators of that fault's choices on
 * it, made when first needed.
 */
final class Dice {

	/**
	 * Makes the seed of one of a connection's generators: the fault's seed, the connection's
	 * number and which stream, mixed (SplitMix64's finalizer) so that neighbours differ in
	 * every bit.
	 */
	static long mix(long seed, long ordinal, int stream) {
		long z = seed + (ordinal * 4 + stream) * 0x9E3779B97F4A7C15L;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

	private final long ordinal;

	private SplittableRandom events;

	private SplittableRandom upstream;

	private SplittableRandom downstream;

	Dice(long ordinal) {
		this.ordinal = ordinal;
	}

	SplittableRandom events(long seed) {
		if (this.events == null) {
			this.events = new SplittableRandom(mix(seed, this.ordinal, 0));
		}
		return this.events;
	}

	SplittableRandom flow(long seed, Direction direction) {
		if (direction == Direction.UPSTREAM) {
			if (this.upstream == null) {
				this.upstream = new SplittableRandom(mix(seed, this.ordinal, 1));
			}
			return this.upstream;
		}
		if (this.downstream == null) {
			this.downstream = new SplittableRandom(mix(seed, this.ordinal, 2));
		}
		return this.downstream;
	}

}
