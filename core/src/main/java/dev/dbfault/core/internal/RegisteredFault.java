package dev.dbfault.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.ActiveFault.Removal;
import dev.dbfault.core.fault.FaultScenario;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Sampling;
import dev.dbfault.core.fault.Target;
import dev.dbfault.core.internal.fault.Clock;
import dev.dbfault.core.internal.fault.ConnectionIdentity;
import dev.dbfault.core.internal.fault.FaultContext;
import dev.dbfault.core.internal.fault.FaultUnit;
import dev.dbfault.core.internal.fault.FaultUnits;
import dev.dbfault.core.internal.fault.Flow;
import dev.dbfault.core.internal.fault.ProxiedConnection;
import dev.dbfault.core.internal.fault.StateKey;
import dev.dbfault.core.internal.fault.StatementDecision;

/**
 * A fault living in a proxy: its spec, its behaviour (a {@link FaultUnit}, for which it is
 * the {@link FaultContext}), and the counting of events that {@code after},
 * {@code probability} and {@code times} need.
 *
 * <p>Its random choices are reproducible: each connection the fault meets is numbered in
 * the order met (at injection the live ones, oldest first, then each new one as it is
 * accepted), and every choice on a connection is drawn from a generator made from the
 * fault's seed and that number, one for its connection and statement events and one for
 * each direction of its data. The same traffic under the same seed therefore gets the same
 * decisions, however the connections' events interleave. ({@code after} and {@code times}
 * count events across connections, in the order they happen.)
 *
 * <p>Injection, removal and expiry happen on the proxy's loop; events are counted under the
 * fault's own lock, since in-process connections fire from the JDBC driver's threads.
 * {@link #state()}, {@link #fired()} and {@link #timeLeft()} may be read from any thread.
 */
public final class RegisteredFault implements ActiveFault, FaultContext {

	private final String id;

	private final FaultSpec spec;

	/** The scenario the fault is a step of, or {@code null}. */
	private final FaultScenario scenario;

	private final ProxyServer server;

	private final FaultUnit unit;

	private final Clock clock;

	private final Instant injectedAt = Instant.now();

	private final Duration lifetime;

	/** When it expires, on the loop's clock; renewing moves it. Written on the loop. */
	private volatile long expiresAt;

	/** When a fault given {@code startAfter} starts: on the loop's clock (else 0), and as a time (else null). */
	private final long startsAtNanos;

	private final Instant startsAt;

	private volatile Removal removal;

	private final AtomicLong fired = new AtomicLong();

	private final long seed;

	/** Which connections and statements the fault acts on. */
	private final Target target;

	/** Whether the target narrows the connections, so that each must be matched. */
	private final boolean narrowsConnections;

	/** Whether the target narrows the statements. */
	private final boolean narrowsStatements;

	/** Whether chunks are sampled once per connection and direction ({@code per=connection}). */
	private final boolean perConnection;

	/** What a fault sampled per connection decided for a flow. */
	private final StateKey<Boolean> decision = StateKey.of(Boolean.class);

	/** The number this fault gave a connection and the generators of its choices on it. */
	private final StateKey<Dice> dice = StateKey.of(Dice.class);

	/** Whether a fault aimed at some connections aims at one, as of its identity's version. */
	private final StateKey<Aim> aim = StateKey.of(Aim.class);

	/** The journal entry a flow's last firing went to, which later firings of it may join. */
	private final StateKey<long[]> lastEntry = StateKey.of(long[].class, () -> new long[1]);

	/** Set on a connection a fault aimed at some connections has attached to. */
	private final StateKey<Boolean> attached = StateKey.of(Boolean.class);

	/**
	 * Whether the fault draws random choices (a {@code probability}, or its unit's own), so
	 * that it numbers the connections it meets; one that draws none keeps nothing on them.
	 */
	private final boolean draws;

	/** Connections met so far; the next one met gets the next number. */
	private long met;

	private volatile State state = State.ACTIVE;

	private long seen;

	private int pendingEffects;

	private Timer expiry;

	/** What starts a scheduled fault, and whether it waits for it; written on the loop. */
	private Timer start;

	private volatile boolean waiting;

	RegisteredFault(String id, FaultSpec spec, ProxyServer server, Duration lifetime, long seed,
			FaultScenario scenario) {
		this.id = id;
		this.spec = spec;
		this.scenario = scenario;
		this.server = server;
		this.lifetime = lifetime;
		this.clock = server.loop().clock();
		Duration startAfter = spec.options().startAfter().orElse(Duration.ZERO);
		long now = this.clock.nanoTime();
		this.waiting = !startAfter.isZero();
		this.state = this.waiting ? State.SCHEDULED : State.ACTIVE;
		this.startsAtNanos = this.waiting ? now + startAfter.toNanos() : 0;
		this.startsAt = this.waiting ? this.injectedAt.plus(startAfter) : null;
		this.expiresAt = Math.max(now, this.startsAtNanos) + lifetime.toNanos();
		this.seed = seed;
		this.target = spec.options().target();
		this.narrowsConnections = this.target.narrowsConnections();
		this.narrowsStatements = this.target.narrowsStatements();
		this.perConnection = spec.options().per() == Sampling.CONNECTION;
		this.unit = FaultUnits.create(spec, this);
		this.draws = spec.probability() < 1.0 || this.unit.drawsRandom();
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
	public Optional<String> scenario() {
		return Optional.ofNullable(this.scenario).map(FaultScenario::id);
	}

	/** The scenario the fault is a step of, or {@code null}. */
	FaultScenario scenarioSpec() {
		return this.scenario;
	}

	@Override
	public long seed() {
		return this.seed;
	}

	/**
	 * Returns what the fault does when it fires, for the journal.
	 * @return the words
	 */
	public String effect() {
		return this.unit.effect();
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
	public Optional<Instant> startsAt() {
		return Optional.ofNullable(this.startsAt);
	}

	/** Whether the fault waits for its {@code startAfter} to pass. */
	boolean isScheduled() {
		return this.waiting;
	}

	/** When a scheduled fault starts, on the loop's clock. */
	long startsAtNanos() {
		return this.startsAtNanos;
	}

	/** Ends a scheduled fault's wait, its lifetime from now; the registry publishes it, then activates it. */
	void start() {
		assert this.server.loop().inLoop() : "a fault started off the proxy's loop";
		this.expiresAt = this.clock.nanoTime() + this.lifetime.toNanos();
		this.waiting = false;
	}

	/** Lets a started fault fire, once every connection's turn can see it. */
	synchronized void activate() {
		this.state = State.ACTIVE;
	}

	void startTimer(Timer start) {
		this.start = start;
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
		this.server.registry().remove(this.id);
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
	public RandomGenerator random(Flow flow) {
		return dice(flow.connection()).flow(this.seed, flow.direction());
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
	public Collection<EngineConnection> liveConnections() {
		return this.server.liveLinks();
	}

	void injected() {
		if (this.unit instanceof FaultUnit.Lifecycle lifecycle) {
			lifecycle.injected();
		}
	}

	void act(EngineConnection link) {
		meet(link);
		if (this.unit instanceof FaultUnit.Action action) {
			action.act(link);
		}
		// an action is never detached: what it kept on a connection that lives on goes now
		link.states().remove(this.dice);
		link.states().remove(this.aim);
	}

	FaultUnit.Admission admit(EngineConnection link) {
		meet(link);
		return (this.unit instanceof FaultUnit.Admitting admitting) ? admitting.admit(link)
				: FaultUnit.Admission.CONNECT;
	}

	void attach(EngineConnection link) {
		meet(link);
		attachIfTargeted(link);
	}

	/**
	 * A connection has logged in or changed its {@code application_name}: a fault aimed at
	 * some connections meets it now if it has become one of them.
	 */
	void identified(EngineConnection link) {
		if (this.narrowsConnections) {
			attachIfTargeted(link);
		}
	}

	/**
	 * Attaches the unit to a connection, once: a fault aimed at some connections only when
	 * the connection has logged in and is one of them.
	 */
	private void attachIfTargeted(EngineConnection link) {
		if (!(this.unit instanceof FaultUnit.Attaching attaching)) {
			return;
		}
		if (this.narrowsConnections) {
			if (!aimsAt(link) || link.states().get(this.attached) != null) {
				return;
			}
			link.states().put(this.attached, Boolean.TRUE);
		}
		attaching.attach(link);
	}

	void detach(EngineConnection link) {
		if (this.perConnection) {
			link.forgetFlowState(this.decision);
		}
		if (this.unit instanceof FaultUnit.Attaching attaching) {
			attaching.detach(link);
		}
		link.states().remove(this.dice);
		link.states().remove(this.attached);
		link.states().remove(this.aim);
		if (this.unit instanceof FaultUnit.DataHandling) {
			link.forgetFlowState(this.lastEntry);
		}
	}

	@Override
	public boolean aimsAt(ProxiedConnection connection) {
		if (!this.narrowsConnections) {
			return true;
		}
		ConnectionIdentity identity = connection.identity();
		int version = identity.version();
		Aim aim = connection.states().get(this.aim);
		if (aim == null || aim.version != version) {
			aim = new Aim(version, identity.matches(this.target));
			connection.states().put(this.aim, aim);
		}
		return aim.matches;
	}

	/**
	 * Numbers a connection the fault meets, in the order met, if the fault draws random
	 * choices: the first hook of each connection (admit, attach or act) calls it, so the
	 * numbers follow the order of injection and accept, not of traffic.
	 */
	private void meet(EngineConnection link) {
		if (this.draws) {
			dice(link);
		}
	}

	/**
	 * Returns the numbering and generators of a connection, numbering it if it is new to
	 * this fault.
	 */
	private synchronized Dice dice(ProxiedConnection connection) {
		Dice dice = connection.states().get(this.dice);
		if (dice == null) {
			dice = new Dice(++this.met);
			connection.states().put(this.dice, dice);
		}
		return dice;
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
	 * Starts the fault's lifetime again from now, as a renewed lease, on the proxy's loop.
	 * The caller reschedules the expiry.
	 */
	void renew() {
		assert this.server.loop().inLoop() : "a fault renewed off the proxy's loop";
		this.expiresAt = this.clock.nanoTime() + this.lifetime.toNanos();
		if (this.expiry != null) {
			this.expiry.cancel();
		}
	}

	void expiry(Timer expiry) {
		this.expiry = expiry;
	}

	@Override
	public boolean tryFire(ProxiedConnection connection) {
		if (this.state != State.ACTIVE || !aimsAt(connection)) {
			return false;
		}
		return fire(connection, null, null);
	}

	@Override
	public boolean tryFire(Flow flow) {
		if (this.state == State.REMOVED) {
			return false;
		}
		ProxiedConnection connection = flow.connection();
		if (!aimsAt(connection)) {
			return false;
		}
		if (!this.perConnection) {
			return this.state == State.ACTIVE && fire(connection, flow, null);
		}
		Boolean decided = flow.states().get(this.decision);
		if (decided == null) {
			decided = this.state == State.ACTIVE && fire(connection, flow, null);
			flow.states().put(this.decision, decided);
		}
		return decided;
	}

	@Override
	public boolean tryFire(StatementDecision statement) {
		ProxiedConnection connection = statement.connection();
		if (this.state != State.ACTIVE || !aimsAt(connection)
				|| (this.narrowsStatements
						&& !this.target.matchesStatement(statement.inTransaction(), statement.index()))) {
			return false;
		}
		return fire(connection, null, statement.sql());
	}

	/**
	 * Decides whether one event fires: skips the first {@code after}, samples
	 * {@code probability} from the connection's generator (the flow's for data), stops at
	 * {@code times}; journals what fires. On the connection's turn, whichever thread that is:
	 * the counts are shared by every connection, so they change under this fault's lock.
	 */
	private boolean fire(ProxiedConnection connection, Flow flow, String sql) {
		long count;
		boolean spent;
		// connections of the in-process transport fire from their own threads
		synchronized (this) {
			if (this.state != State.ACTIVE) {
				return false;
			}
			this.seen++;
			if (this.seen <= this.spec.after()) {
				return false;
			}
			if (this.spec.probability() < 1.0) {
				Dice dice = dice(connection);
				RandomGenerator random = (flow != null) ? dice.flow(this.seed, flow.direction())
						: dice.events(this.seed);
				if (random.nextDouble() >= this.spec.probability()) {
					return false;
				}
			}
			count = this.fired.incrementAndGet();
			spent = this.spec.times().isPresent() && count >= this.spec.times().getAsLong();
			if (spent) {
				this.state = State.EXHAUSTED;
			}
		}
		if (flow != null) {
			// the chunks of one flow a fault keeps firing on join one entry while it is recent
			long[] last = flow.states().computeIfAbsent(this.lastEntry);
			last[0] = this.server.fired(this, count, connection.identity(), flow.direction(), null, last[0]);
		}
		else {
			this.server.fired(this, count, connection.identity(), null, sql, 0);
		}
		if (spent) {
			// removal waits for the end of the current event's handling and of lasting effects
			this.server.loop().execute(this::removeIfSpent);
		}
		return true;
	}

	@Override
	public synchronized void effectStarted() {
		this.pendingEffects++;
	}

	@Override
	public void effectEnded() {
		boolean spent;
		synchronized (this) {
			this.pendingEffects--;
			spent = this.state == State.EXHAUSTED && this.pendingEffects <= 0;
		}
		if (spent) {
			this.server.loop().execute(this::removeIfSpent);
		}
	}

	private void removeIfSpent() {
		boolean spent;
		synchronized (this) {
			spent = this.state == State.EXHAUSTED && this.pendingEffects <= 0;
		}
		if (spent) {
			this.server.registry().removeOnLoop(this, Removal.USED_UP);
		}
	}

	/**
	 * Marks the fault removed, saying why; by the server, on its loop.
	 */
	void markRemoved(Removal reason) {
		assert this.server.loop().inLoop() : "a fault marked removed off the proxy's loop";
		this.removal = reason;
		this.state = State.REMOVED;
		if (this.expiry != null) {
			this.expiry.cancel();
		}
		if (this.start != null) {
			this.start.cancel();
		}
	}

	@Override
	public String toString() {
		return this.id + " " + this.spec.toMap();
	}

	/**
	 * Whether a fault aims at a connection, as of a version of its identity.
	 */
	private record Aim(int version, boolean matches) {
	}

}
