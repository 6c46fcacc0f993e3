package dev.dbfault.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.ActiveFault.Removal;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Sampling;
import dev.dbfault.core.internal.fault.Clock;
import dev.dbfault.core.internal.fault.FaultContext;
import dev.dbfault.core.internal.fault.FaultUnit;
import dev.dbfault.core.internal.fault.FaultUnits;
import dev.dbfault.core.internal.fault.Flow;
import dev.dbfault.core.internal.fault.StateKey;

/**
 * A fault living in a proxy: its spec, its behaviour (a {@link FaultUnit}, for which it is
 * the {@link FaultContext}), and the counting of events that {@code after},
 * {@code probability} and {@code times} need.
 *
 * <p>Counting and state changes happen on the proxy's loop; {@link #state()},
 * {@link #fired()} and {@link #timeLeft()} may be read from any thread.
 */
public final class RegisteredFault implements ActiveFault, FaultContext {

	private final String id;

	private final FaultSpec spec;

	private final ProxyServer server;

	private final FaultUnit unit;

	private final Clock clock;

	private final Instant injectedAt = Instant.now();

	private final Duration lifetime;

	/** When it expires, on the loop's clock; renewing moves it. Written on the loop. */
	private volatile long expiresAt;

	private volatile Removal removal;

	private final AtomicLong fired = new AtomicLong();

	private final SplittableRandom random;

	/** Whether chunks are sampled once per connection and direction ({@code per=connection}). */
	private final boolean perConnection;

	/** What a fault sampled per connection decided for a flow. */
	private final StateKey<Boolean> decision = StateKey.of(Boolean.class);

	private volatile State state = State.ACTIVE;

	private long seen;

	private int pendingEffects;

	private Timer expiry;

	RegisteredFault(String id, FaultSpec spec, ProxyServer server, Duration lifetime, long seed) {
		this.id = id;
		this.spec = spec;
		this.server = server;
		this.lifetime = lifetime;
		this.clock = server.loop().clock();
		this.expiresAt = this.clock.nanoTime() + lifetime.toNanos();
		this.random = new SplittableRandom(seed);
		this.perConnection = spec.options().per() == Sampling.CONNECTION;
		this.unit = FaultUnits.create(spec, this);
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public FaultSpec spec() {
		return this.spec;
	}

	@Override
	public State state() {
		return this.state;
	}

	@Override
	public long fired() {
		return this.fired.get();
	}

	@Override
	public Instant injectedAt() {
		return this.injectedAt;
	}

	@Override
	public Optional<Duration> timeLeft() {
		if (this.state == State.REMOVED) {
			return Optional.empty();
		}
		return Optional.of(Duration.ofNanos(Math.max(0, this.expiresAt - this.clock.nanoTime())));
	}

	@Override
	public void close() {
		this.server.remove(this.id);
	}

	/**
	 * Returns what the fault does.
	 * @return its unit
	 */
	public FaultUnit unit() {
		return this.unit;
	}

	@Override
	public String proxyName() {
		return this.server.name();
	}

	@Override
	public RandomGenerator random() {
		return this.random;
	}

	@Override
	public Clock clock() {
		return this.clock;
	}

	@Override
	public void closeListener() {
		this.server.closeListener(this);
	}

	@Override
	public void openListener() {
		this.server.openListener(this);
	}

	@Override
	public Collection<Link> liveConnections() {
		return this.server.liveLinks();
	}

	void injected() {
		if (this.unit instanceof FaultUnit.Lifecycle lifecycle) {
			lifecycle.injected();
		}
	}

	void act(Link link) {
		if (this.unit instanceof FaultUnit.Action action) {
			action.act(link);
		}
	}

	FaultUnit.Admission admit(Link link) {
		return (this.unit instanceof FaultUnit.Admitting admitting) ? admitting.admit(link)
				: FaultUnit.Admission.CONNECT;
	}

	void attach(Link link) {
		if (this.unit instanceof FaultUnit.Attaching attaching) {
			attaching.attach(link);
		}
	}

	void detach(Link link) {
		if (this.perConnection) {
			link.forgetFlowState(this.decision);
		}
		if (this.unit instanceof FaultUnit.Attaching attaching) {
			attaching.detach(link);
		}
	}

	void removed() {
		if (this.unit instanceof FaultUnit.Lifecycle lifecycle) {
			lifecycle.removed();
		}
	}

	boolean delaysData() {
		return this.unit instanceof FaultUnit.DataHandling data && data.delaysData();
	}

	@Override
	public Optional<Removal> removal() {
		return Optional.ofNullable(this.removal);
	}

	long expiresAt() {
		return this.expiresAt;
	}

	/**
	 * Starts the fault's lifetime again from now, as a renewed lease; loop only. The caller
	 * reschedules the expiry.
	 */
	void renew() {
		this.expiresAt = this.clock.nanoTime() + this.lifetime.toNanos();
		if (this.expiry != null) {
			this.expiry.cancel();
		}
	}

	void expiry(Timer expiry) {
		this.expiry = expiry;
	}

	/**
	 * Decides whether one event fires: skips the first {@code after}, samples
	 * {@code probability}, stops at {@code times}. Loop only.
	 * @return whether the fault acts on this event
	 */
	@Override
	public boolean tryFire() {
		if (this.state != State.ACTIVE) {
			return false;
		}
		this.seen++;
		if (this.seen <= this.spec.after()) {
			return false;
		}
		if (this.spec.probability() < 1.0 && this.random.nextDouble() >= this.spec.probability()) {
			return false;
		}
		long count = this.fired.incrementAndGet();
		this.server.fired(this);
		if (this.spec.times().isPresent() && count >= this.spec.times().getAsLong()) {
			this.state = State.EXHAUSTED;
			// removal waits for the end of the current event's handling and of lasting effects
			this.server.loop().execute(this::removeIfSpent);
		}
		return true;
	}

	@Override
	public boolean tryFire(Flow flow) {
		if (!this.perConnection) {
			return tryFire();
		}
		if (this.state == State.REMOVED) {
			return false;
		}
		Boolean decided = flow.states().get(this.decision);
		if (decided == null) {
			decided = tryFire();
			flow.states().put(this.decision, decided);
		}
		return decided;
	}

	/**
	 * Notes that a fired event started something lasting (a stalled connection, a pending
	 * timeout) that keeps an exhausted fault alive until {@link #effectEnded()}.
	 */
	@Override
	public void effectStarted() {
		this.pendingEffects++;
	}

	@Override
	public void effectEnded() {
		this.pendingEffects--;
		if (this.state == State.EXHAUSTED && this.pendingEffects <= 0) {
			this.server.loop().execute(this::removeIfSpent);
		}
	}

	private void removeIfSpent() {
		if (this.state == State.EXHAUSTED && this.pendingEffects <= 0) {
			this.server.removeOnLoop(this, Removal.USED_UP);
		}
	}

	/**
	 * Marks the fault removed, saying why; loop only, by the server.
	 */
	void markRemoved(Removal reason) {
		this.removal = reason;
		this.state = State.REMOVED;
		if (this.expiry != null) {
			this.expiry.cancel();
		}
	}

	@Override
	public String toString() {
		return this.id + " " + this.spec.toMap();
	}

}
