package dev.dbfault.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.FaultProxyListener;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.ActiveFault.Removal;
import dev.dbfault.core.fault.FaultType;

/**
 * What happened to faults between two polls of the dashboard. Listing a proxy's faults
 * once a second misses every fault that lives for less than a second: an action
 * ({@code reset}, {@code close}, {@code terminate}) is gone by the time its injection
 * returns, and a fault with {@code times: 1} may be used up a moment later. So the proxies
 * report to this listener instead, and it keeps two things:
 *
 * <pre>
 *  proxy I/O thread                         demo-clock, once a second / a poll
 *  ────────────────                         ──────────────────────────────────
 *  faultInjected ──┬─► this second's marks ──► drainSecond(): the timeline's second
 *  faultRemoved  ──┤   (ids, at most 100)
 *                  └─► ended faults        ──► recent(): newest first
 *                      (the last 10)
 * </pre>
 *
 * <p>Thread-safe: the proxies call in on their I/O threads, which must not wait, so each
 * callback only adds to a small bounded collection under this object's lock, held for a
 * few operations and never while calling out.
 */
class FaultHistory implements FaultProxyListener {

	/** How many ended faults the dashboard lists. */
	static final int RECENT = 10;

	/**
	 * Ids kept for one second at most; a script injecting faults in a tight loop would
	 * otherwise grow the set without bound between two ticks of the clock.
	 */
	static final int MARKS_PER_SECOND = 100;

	private final Clock clock;

	private final Deque<EndedFault> ended = new ArrayDeque<>();

	private Set<String> touched = new LinkedHashSet<>();

	private Set<String> acted = new LinkedHashSet<>();

	FaultHistory(Clock clock) {
		this.clock = clock;
	}

	@Override
	public synchronized void faultInjected(FaultProxy proxy, ActiveFault fault) {
		mark(fault.type().isAction() ? this.acted : this.touched, fault.id());
	}

	@Override
	public void faultRemoved(FaultProxy proxy, ActiveFault fault, Removal reason) {
		// built before taking the lock, which then guards only the collections
		EndedFault end = new EndedFault(proxy.name(), fault.id(), fault.type(), fault.spec().toMap(), fault.fired(),
				fault.injectedAt(), this.clock.instant(), reason);
		synchronized (this) {
			if (!fault.type().isAction()) {
				// a condition removed within a second of its injection was in effect in this second too
				mark(this.touched, fault.id());
			}
			this.ended.addFirst(end);
			while (this.ended.size() > RECENT) {
				this.ended.removeLast();
			}
		}
	}

	private static void mark(Set<String> marks, String id) {
		if (marks.size() < MARKS_PER_SECOND) {
			marks.add(id);
		}
	}

	/**
	 * Returns the faults that were injected or removed since the last call, and forgets
	 * them.
	 * @return the marks of the second that just ended
	 */
	synchronized SecondMarks drainSecond() {
		SecondMarks marks = new SecondMarks(List.copyOf(this.touched), List.copyOf(this.acted));
		this.touched = new LinkedHashSet<>();
		this.acted = new LinkedHashSet<>();
		return marks;
	}

	/**
	 * Returns the last faults to end, newest first.
	 * @return at most {@link #RECENT} faults
	 */
	synchronized List<EndedFault> recent() {
		return List.copyOf(this.ended);
	}

	/**
	 * The faults a second saw come or go.
	 *
	 * @param touched conditions injected or removed during the second
	 * @param acted actions that acted during the second
	 */
	record SecondMarks(List<String> touched, List<String> acted) {

	}

	/**
	 * A fault that is gone, and how it went.
	 *
	 * @param proxy the name of the proxy it was injected into
	 * @param id its id, such as {@code reset-3}
	 * @param type its type
	 * @param parameters what was injected, as the endpoint shows it
	 * @param fired how many events it fired on
	 * @param injectedAt when it was injected
	 * @param endedAt when it was removed
	 * @param reason why it was removed
	 */
	record EndedFault(String proxy, String id, FaultType type, Map<String, Object> parameters, long fired,
			Instant injectedAt, Instant endedAt, Removal reason) {

		Duration lasted() {
			Duration lasted = Duration.between(this.injectedAt, this.endedAt);
			return lasted.isNegative() ? Duration.ZERO : lasted;
		}

		/**
		 * Returns what the fault did and how it ended, in one line, such as
		 * {@code reset: 8 connections} or {@code sql-error: 2 statements, used up after 3 s}.
		 * @return the summary
		 */
		String summary() {
			String did = this.type.id() + ": " + count(this.fired, eventNoun(this.type));
			return switch (this.reason) {
				// an action acts the moment it is injected: what it did is the whole story
				case ACTED -> did;
				case USED_UP -> did + ", used up after " + seconds(lasted());
				case EXPIRED -> did + ", expired after " + seconds(lasted());
				case REMOVED -> did + ", removed after " + seconds(lasted());
				case HEALED -> did + ", healed after " + seconds(lasted());
				case STOPPED -> did + ", ended with the proxy";
			};
		}

		/**
		 * Returns what one event of a fault type is, as {@link FaultType} defines it for the
		 * {@code after}, {@code probability} and {@code times} options.
		 * @param type the fault type
		 * @return the noun, singular
		 */
		static String eventNoun(FaultType type) {
			return type.event().noun();
		}

		private static String count(long count, String noun) {
			return count + " " + noun + ((count == 1) ? "" : "s");
		}

		/** "350 ms" below a second, where whole seconds would say "0 s"; "12 s"; "2 min 5 s". */
		private static String seconds(Duration duration) {
			if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
				return duration.toMillis() + " ms";
			}
			long seconds = duration.toSeconds();
			if (seconds < 60) {
				return seconds + " s";
			}
			return (seconds / 60) + " min " + (seconds % 60) + " s";
		}

	}

}
