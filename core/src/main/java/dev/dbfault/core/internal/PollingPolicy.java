package dev.dbfault.core.internal;

import java.util.concurrent.TimeUnit;

/**
 * Decides whether the loop may busy-poll its sockets before it blocks: only while the
 * traffic is a conversation that polling speeds up, with few enough sockets ready to leave
 * the database and its clients the cores they need, and no stream, whose next bytes are on
 * their way anyway. Activity is counted in windows of {@link #WINDOW_NANOS} on the loop's
 * clock; the decision looks at this window and the one before. Loop only.
 */
final class PollingPolicy {

	/** Sockets ready within this long of each other count as in flight together. */
	static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final long busyPollNanos;

	private final int maxPolledSockets;

	private final long streamBytesPerWindow;

	/** The current activity window: a socket ready several times within it counts once. */
	private long window;

	private long windowEnd;

	/** Sockets found ready in the current activity window. */
	private int readyInWindow;

	/** Sockets found ready in the window before. */
	private int readyInLastWindow;

	/** Bytes read in the current activity window. */
	private long bytesInWindow;

	/** Bytes read in the window before. */
	private long bytesInLastWindow;

	/**
	 * Creates a policy.
	 * @param busyPollNanos how long a busy poll lasts; zero never polls
	 * @param maxPolledSockets the most sockets ready in a window for polling still to pay
	 * @param streamBytesPerWindow reading this much in a window is a stream
	 */
	PollingPolicy(long busyPollNanos, int maxPolledSockets, long streamBytesPerWindow) {
		this.busyPollNanos = busyPollNanos;
		this.maxPolledSockets = maxPolledSockets;
		this.streamBytesPerWindow = streamBytesPerWindow;
	}

	/**
	 * Creates the policy for this machine: a polling loop holds a core of its own, so it
	 * polls while one is left for each connection in flight (which keeps a client thread or
	 * a database process on a core).
	 * @param busyPollNanos how long a busy poll lasts; zero never polls
	 * @param streamBytesPerWindow reading this much in a window is a stream
	 * @return the policy
	 */
	static PollingPolicy forThisMachine(long busyPollNanos, long streamBytesPerWindow) {
		return new PollingPolicy(busyPollNanos, 2 * Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
				streamBytesPerWindow);
	}

	long busyPollNanos() {
		return this.busyPollNanos;
	}

	/**
	 * Notes that a socket was found ready.
	 * @param lastWindow the window the socket was last ready in
	 * @return the current window, for the socket to remember
	 */
	long ready(long lastWindow) {
		if (lastWindow != this.window) {
			this.readyInWindow++;
		}
		return this.window;
	}

	/**
	 * Notes bytes read from a socket.
	 * @param bytes how many
	 */
	void bytesRead(int bytes) {
		this.bytesInWindow += bytes;
	}

	/**
	 * Returns whether a busy poll pays now.
	 * @param now the loop's clock
	 * @return whether to poll
	 */
	boolean pays(long now) {
		if (this.busyPollNanos <= 0) {
			return false;
		}
		if (now - this.windowEnd >= 0) {
			this.readyInLastWindow = this.readyInWindow;
			this.readyInWindow = 0;
			this.bytesInLastWindow = this.bytesInWindow;
			this.bytesInWindow = 0;
			this.window++;
			this.windowEnd = now + WINDOW_NANOS;
		}
		return Math.max(this.readyInWindow, this.readyInLastWindow) <= this.maxPolledSockets
				&& Math.max(this.bytesInWindow, this.bytesInLastWindow) < this.streamBytesPerWindow;
	}

}
