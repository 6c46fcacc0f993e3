package dev.dbfault.core.internal;

import dev.dbfault.core.internal.fault.Cancellable;

/**
 * An action scheduled on an {@link EventLoop} at a deadline on its clock.
 * Confined to the loop's thread.
 */
public final class Timer implements Comparable<Timer>, Cancellable {

	private final long deadline;

	private final long sequence;

	private Runnable action;

	private boolean cancelled;

	Timer(long deadline, long sequence, Runnable action) {
		this.deadline = deadline;
		this.sequence = sequence;
		this.action = action;
	}

	public long deadline() {
		return this.deadline;
	}

	/**
	 * Stops the action from running; does nothing once it ran.
	 */
	@Override
	public void cancel() {
		this.cancelled = true;
		// a cancelled timer waits in the queue until its deadline: it keeps nothing alive
		this.action = null;
	}

	public boolean isCancelled() {
		return this.cancelled;
	}

	void run() {
		if (!this.cancelled) {
			Runnable action = this.action;
			cancel();
			action.run();
		}
	}

	@Override
	public int compareTo(Timer other) {
		int byDeadline = Long.compare(this.deadline - other.deadline, 0);
		return (byDeadline != 0) ? byDeadline : Long.compare(this.sequence, other.sequence);
	}

}
