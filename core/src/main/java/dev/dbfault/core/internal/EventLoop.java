package dev.dbfault.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.dbfault.core.internal.fault.Clock;
import dev.dbfault.core.internal.text.Values;

/**
 * One thread, one {@link Selector}: every socket of a proxy, its timers and every change
 * to its faults run here, so the relay needs no locks.
 *
 * <pre>
 *   other threads --execute/call--> [task queue] --+
 *                                                   v
 *   loop:  run tasks -> flush closes -> complete callers -> select(until next timer) -> run due timers
 * </pre>
 *
 * <p>Before it blocks in the selector, the loop keeps polling its sockets for a while (its
 * busy poll), yielding its core to any other runnable thread between polls. A thread blocked
 * in {@code epoll_wait} takes tens of microseconds to be woken, twice per round trip through
 * the proxy; a database answers a small query in about that time, so an answer or the
 * client's next request usually arrives while the loop is still polling. The cost is CPU:
 * after each burst of traffic the loop polls for the busy poll's length before it sleeps.
 * So it polls only while few connections are in flight. Each keeps a client thread or a
 * database process on a core, and a polling loop holds a core of its own: once more sockets
 * were ready in the last millisecond or two than two per core left over, polling would take
 * the database's CPU time, and the loop sleeps between events instead. It sleeps too while
 * bytes stream through it (a bulk read): the next ones are on their way, and the sender and
 * the receiver need the cores.
 *
 * <p>Channels closed on this thread are only released by the selector at its next
 * selection, so after tasks that closed channels the loop selects once more before it tells
 * the callers that their task is done: when {@code call(reset)} returns, every RST is on the
 * wire.
 *
 * <p>Nothing a task, a timer or a socket's handler throws ends the loop: it is logged (a
 * log that fails is dropped, never thrown), a handler's connection is ended, and the loop goes
 * on. Only an error the JVM may not recover from ({@link LoopErrors#isFatal}) stops it: the loop then
 * tells its {@link #onFailure owner}, which closes every socket, and {@link #failure()} says
 * why.
 *
 * <p>Thread-safe for {@link #execute}, {@link #call}, {@link #stop} and {@link #failure()};
 * everything else is for the loop's own thread.
 */
public final class EventLoop {

	private static final Logger logger = System.getLogger(EventLoop.class.getName());

	static {
		// loaded (and what a failure needs, initialized) with the loop, not on first use: a loop
		// that first needs them when the process has no file descriptor left may not be able to
		// read their class files
		loadNow(Timer.class, Values.class);
		LoopErrors.isFatal(null);
	}

	/** Reads are done into one buffer per loop: an idle connection holds no buffer. */
	private static final int READ_BUFFER_SIZE = 64 * 1024;

	/** How many timers are scheduled between two purges of cancelled ones (a power of 2). */
	private static final int PURGE_EVERY = 4096;

	/** Waits no longer than this are parked rather than selected, for timer precision. */
	private static final long SHORT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	/**
	 * Reading this much in an activity window (64 MB/s) is a stream, not a conversation of
	 * statements and answers.
	 */
	private static final long STREAM_BYTES_PER_WINDOW = READ_BUFFER_SIZE;

	/**
	 * A yield that took longer than this gave the core to another thread: the machine is busy,
	 * and the loop stops polling and sleeps until its sockets wake it.
	 */
	private static final long CONTENDED_YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

	private final Selector selector;

	private final Thread thread;

	private final PollingPolicy polling;

	private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final PriorityQueue<Timer> timers = new PriorityQueue<>();


	private final List<Runnable> completions = new ArrayList<>();

	private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

	/** Queued bytes are written through one buffer per loop, apart from the one being read. */
	private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

	/** Created once: a method reference per selection would be an allocation per wake-up. */
	private final Consumer<SelectionKey> dispatcher = this::dispatch;

	private long timerSequence;

	/** Busy polls begun; written by the loop only. */
	private volatile long busyPolls;

	private boolean closedChannels;

	private volatile boolean running = true;

	/** What stopped the loop when it could not go on, or {@code null}. */
	private volatile Throwable failure;

	/** Told, on the loop's thread, of an error the loop could not survive. */
	private volatile Consumer<Throwable> onFailure = (ex) -> {
	};

	private final Clock clock;

	/**
	 * Creates a loop; call {@link #start()} to run it.
	 * @param threadName the name of its thread
	 * @param busyPoll how long to keep polling the sockets before blocking; zero for never
	 */
	public EventLoop(String threadName, Duration busyPoll) {
		this(threadName, busyPoll, Clock.SYSTEM);
	}

	/**
	 * Creates a loop that reads the time from the given clock; call {@link #start()} to run it.
	 * Timers fall due on that clock: a test that moves a manual clock wakes the loop with
	 * {@link #execute} so that it looks at them. Busy polling waits on the clock too, so a
	 * manual clock wants a busy poll of zero.
	 * @param threadName the name of its thread
	 * @param busyPoll how long to keep polling the sockets before blocking; zero for never
	 * @param clock the clock
	 */
	public EventLoop(String threadName, Duration busyPoll, Clock clock) {
		this.clock = clock;
		this.polling = PollingPolicy.forThisMachine(busyPoll.toNanos(), STREAM_BYTES_PER_WINDOW);
		try {
			this.selector = Selector.open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not open a selector", ex);
		}
		this.thread = new Thread(this::run, threadName);
		this.thread.setDaemon(true);
	}

	public void start() {
		this.thread.start();
	}

	/**
	 * Sets what hears of an error that stopped the loop; it runs on the loop's thread as the
	 * loop ends, and should close what the loop served.
	 * @param onFailure the handler
	 */
	public void onFailure(Consumer<Throwable> onFailure) {
		this.onFailure = onFailure;
	}

	/**
	 * Returns the error that stopped the loop, if one did.
	 * @return the error, or {@code null} while running or after a normal stop
	 */
	public Throwable failure() {
		return this.failure;
	}

	private static void loadNow(Class<?>... classes) {
		// naming a class loads it; nothing more to do
	}

	public Selector selector() {
		return this.selector;
	}

	/**
	 * Returns the buffer reads go into; valid until the handler that read returns.
	 * @return the cleared buffer
	 */
	public ByteBuffer readBuffer() {
		return this.readBuffer.clear();
	}

	/**
	 * Returns the buffer queued bytes are written from; valid until the write returns.
	 * @return the buffer
	 */
	public ByteBuffer writeBuffer() {
		return this.writeBuffer;
	}

	/**
	 * Notes bytes read from a socket: while they flow as a stream, the loop does not poll.
	 * @param bytes how many
	 */
	public void bytesRead(int bytes) {
		this.polling.bytesRead(bytes);
	}

	/**
	 * Returns how many times the loop began to busy-poll.
	 * @return the count so far
	 */
	public long busyPolls() {
		return this.busyPolls;
	}

	public boolean inLoop() {
		return Thread.currentThread() == this.thread;
	}

	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Notes that a registered channel was closed, so that the loop releases it before
	 * reporting the current tasks done.
	 */
	public void closedChannel() {
		this.closedChannels = true;
	}

	/**
	 * Lets the selector release channels closed so far, so that their sockets are really
	 * closed (a RST sent, a port free) when this returns. Loop only, outside a selection.
	 */
	public void releaseClosedChannels() {
		this.closedChannels = false;
		try {
			this.selector.selectNow(this.dispatcher);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Selector failed", ex);
		}
	}

	/**
	 * Runs a task on the loop, soon; never blocks.
	 * @param task the task
	 */
	public void execute(Runnable task) {
		this.tasks.add(task);
		this.selector.wakeup();
	}

	/**
	 * Runs a task on the loop and waits for its result, and for the channels it closed to be
	 * released. Runs it at once when called on the loop.
	 * @param <T> the result type
	 * @param task the task
	 * @param timeout how long to wait at most
	 * @return the task's result
	 * @throws IllegalStateException if the loop has stopped or does not answer in time
	 */
	@SuppressWarnings("unchecked")
	public <T> T call(Callable<T> task, Duration timeout) {
		if (inLoop()) {
			try {
				return task.call();
			}
			catch (RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		if (!this.running) {
			throw new IllegalStateException("The proxy is not running");
		}
		CompletableFuture<Object> future = new CompletableFuture<>();
		execute(new CallTask(task, future));
		if (!this.running) {
			future.completeExceptionally(new IllegalStateException("The proxy is not running"));
		}
		try {
			return (T) future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the proxy", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(cause);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException((this.running ? "The proxy did not answer within "
					: "The proxy stopped before answering within ") + Values.format(timeout));
		}
	}

	/**
	 * Returns the clock every deadline of this loop is read on.
	 * @return the clock
	 */
	public Clock clock() {
		return this.clock;
	}

	/**
	 * Schedules an action at a deadline on the loop's {@link #clock()}.
	 * @param deadline when to run
	 * @param action what to run, on the loop
	 * @return the timer, to cancel it
	 */
	public Timer schedule(long deadline, Runnable action) {
		Timer timer = new Timer(deadline, this.timerSequence++, action);
		this.timers.add(timer);
		// cancelled timers stay queued until their deadline (lifetimes of faults removed
		// early, for instance): clear them out now and then, so the queue stays as big as
		// what is really pending
		if ((this.timerSequence & (PURGE_EVERY - 1)) == 0 && this.timers.size() >= PURGE_EVERY) {
			this.timers.removeIf(Timer::isCancelled);
		}
		return timer;
	}

	/**
	 * Stops the loop after the tasks already queued; returns at once.
	 * @param lastTask runs on the loop before it ends (closing sockets)
	 */
	public void stop(Runnable lastTask) {
		execute(() -> {
			try {
				lastTask.run();
			}
			finally {
				this.running = false;
			}
		});
	}

	/**
	 * Waits until the loop's thread has ended.
	 * @param timeout how long to wait at most
	 * @return whether it ended in time
	 */
	public boolean awaitTermination(Duration timeout) {
		if (inLoop()) {
			return false;
		}
		try {
			this.thread.join(Math.max(1, timeout.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return !this.thread.isAlive();
	}

	private void run() {
		try {
			while (this.running) {
				runTasks();
				if (!this.running) {
					break;
				}
				select();
				runTimers();
			}
		}
		catch (Throwable ex) {
			// the relay itself failed: nothing can be proxied any more, say so loudly
			this.failure = ex;
			LoopErrors.logSafely(Level.ERROR, () -> "dbfault proxy loop " + this.thread.getName() + " failed and stops", ex);
		}
		finally {
			this.running = false;
			if (this.failure != null) {
				try {
					this.onFailure.accept(this.failure);
				}
				catch (Throwable ex) {
					this.failure.addSuppressed(ex);
				}
			}
			for (Runnable task; (task = this.tasks.poll()) != null;) {
				if (task instanceof StopAware stopAware) {
					try {
						stopAware.loopStopped();
					}
					catch (Throwable ex) {
						// the others must still hear it, and the selector close
						LoopErrors.logSafely(Level.WARNING, () -> "dbfault proxy task failed as the loop stopped", ex);
					}
				}
			}
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				LoopErrors.logSafely(Level.DEBUG, () -> "Closing the selector failed", ex);
			}
		}
	}

	private void runTasks() throws IOException {
		for (Runnable task; (task = this.tasks.poll()) != null;) {
			try {
				task.run();
			}
			catch (Throwable ex) {
				LoopErrors.survive(ex, "task");
			}
		}
		if (this.closedChannels) {
			releaseClosedChannels();
		}
		if (!this.completions.isEmpty()) {
			this.completions.forEach(Runnable::run);
			this.completions.clear();
		}
	}

	private void select() throws IOException {
		if (!this.tasks.isEmpty()) {
			// a selectNow() since the task was queued (releasing closed channels) has cleared
			// its wakeup, so blocking now could leave it waiting for the next I/O event
			this.selector.selectNow(this.dispatcher);
			return;
		}
		Timer next = nextTimer();
		long now = this.clock.nanoTime();
		if (this.polling.pays(now) && (next == null || next.deadline() - now > 0) && busyPoll(next)) {
			return;
		}
		if (next == null) {
			this.selector.select(this.dispatcher);
			return;
		}
		long waitNanos = next.deadline() - this.clock.nanoTime();
		if (waitNanos <= 0) {
			this.selector.selectNow(this.dispatcher);
		}
		else if (waitNanos <= SHORT_WAIT_NANOS) {
			// epoll waits in whole milliseconds and would overshoot a timer this close (a latency
			// fault would be late by up to a millisecond): park for the rest, then look at the sockets
			LockSupport.parkNanos(waitNanos);
			this.selector.selectNow(this.dispatcher);
		}
		else {
			// rounded down, so the loop wakes before the deadline and parks for the remainder
			this.selector.select(this.dispatcher, TimeUnit.NANOSECONDS.toMillis(waitNanos));
		}
	}

	/**
	 * Polls the sockets until one is ready, a task is queued, the busy poll is over or the
	 * next timer is due, whichever comes first.
	 * @param next the next timer, or {@code null}
	 * @return whether something became ready (else the caller selects as usual)
	 */
	private boolean busyPoll(Timer next) throws IOException {
		this.busyPolls++;
		long end = this.clock.nanoTime() + this.polling.busyPollNanos();
		if (next != null && next.deadline() - end < 0) {
			end = next.deadline();
		}
		long now;
		do {
			if (this.selector.selectNow(this.dispatcher) > 0 || !this.tasks.isEmpty()) {
				return true;
			}
			// the database and the client share the machine's cores with this loop: let them run,
			// and if one of them did, the cores are wanted and polling on would take their time
			long yielding = this.clock.nanoTime();
			Thread.yield();
			now = this.clock.nanoTime();
			if (now - yielding > CONTENDED_YIELD_NANOS) {
				return false;
			}
		}
		while (now - end < 0);
		return false;
	}

	private Timer nextTimer() {
		Timer next;
		while ((next = this.timers.peek()) != null && next.isCancelled()) {
			this.timers.poll();
		}
		return next;
	}

	private void runTimers() {
		long now = this.clock.nanoTime();
		Timer timer;
		while ((timer = nextTimer()) != null && timer.deadline() - now <= 0) {
			this.timers.poll();
			try {
				timer.run();
			}
			catch (Throwable ex) {
				LoopErrors.survive(ex, "timer");
			}
		}
	}

	private void dispatch(SelectionKey key) {
		Object attachment = key.attachment();
		if (attachment instanceof ReadyHandler handler && key.isValid()) {
			handler.window = this.polling.ready(handler.window);
			try {
				handler.handle(key);
			}
			catch (Throwable ex) {
				LoopErrors.survive(ex, "I/O handler");
				try {
					handler.failed(ex);
				}
				catch (Throwable cleanup) {
					LoopErrors.survive(cleanup, "I/O handler's cleanup");
				}
			}
		}
	}

	/**
	 * A task of {@link #call}: its caller hears of the result once the channels the task
	 * closed are released, or of the loop's end if it never ran.
	 */
	private final class CallTask implements Runnable, StopAware {

		private final Callable<?> task;

		private final CompletableFuture<Object> future;

		CallTask(Callable<?> task, CompletableFuture<Object> future) {
			this.task = task;
			this.future = future;
		}

		@Override
		public void run() {
			try {
				Object result = this.task.call();
				EventLoop.this.completions.add(() -> this.future.complete(result));
			}
			catch (Throwable ex) {
				this.future.completeExceptionally(ex);
				if (LoopErrors.isFatal(ex)) {
					throw LoopErrors.sneaky(ex);
				}
			}
		}

		@Override
		public void loopStopped() {
			this.future.completeExceptionally(new IllegalStateException("The proxy stopped"));
		}

	}

	/**
	 * A task that must hear when the loop stopped before running it.
	 */
	interface StopAware {

		void loopStopped();

	}

}
