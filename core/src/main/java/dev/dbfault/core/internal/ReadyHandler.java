package dev.dbfault.core.internal;

import java.nio.channels.SelectionKey;

/**
 * What a selection key's attachment does when its channel is ready: an {@link EventLoop}
 * calls it on its own thread.
 */
public abstract class ReadyHandler {

	/** The activity window in which this handler's socket was last ready; the loop's own. */
	long window = -1;

	public abstract void handle(SelectionKey key);

	/**
	 * Called when {@link #handle} threw: release what the handler holds (end its
	 * connection), so that the loop goes on without it.
	 * @param ex what was thrown
	 */
	public abstract void failed(Throwable ex);

}
