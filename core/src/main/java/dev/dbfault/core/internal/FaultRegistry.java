package dev.dbfault.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.dbfault.core.fault.ActiveFault.Removal;
import dev.dbfault.core.fault.FaultConflictException;
import dev.dbfault.core.fault.FaultOptions;
import dev.dbfault.core.fault.FaultScenario;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.internal.fault.FaultUnit;

/**
 * The faults of one proxy: those in effect and those scheduled to start (given
 * {@code startAfter}), in injection order, and the last that ended.
 * Every change (inject, renew, remove, heal, expire) runs on the proxy's loop, which applies
 * it to every live connection before the caller hears back; any thread reads what the last
 * change published: the list, and the arrays of data and statement faults that each
 * connection's turn reads on every chunk and statement.
 */
public final class FaultRegistry {

	/** How long a caller waits for the loop; the loop does no blocking work, so far more than enough. */
	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

	/** How many ended faults are remembered. */
	static final int ENDED_KEPT = 1000;

	private final ProxyServer server;

	private final Duration maxFaultDuration;

	private final ProxyEvents events;

	/** The faults in effect and those scheduled; the loop's own. */
	private final List<RegisteredFault> faults = new ArrayList<>();

	private final AtomicLong faultSequence = new AtomicLong();

	/**
	 * The last {@value #ENDED_KEPT} faults that ended, by id, so that a client removing a
	 * fault that already expired or was used up hears how it ended. Written on the loop, read
	 * by any thread; guarded by its own lock, held for one map operation.
	 */
	private final Map<String, RegisteredFault> ended = new LinkedHashMap<>(16, 0.75f, false) {

		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, RegisteredFault> eldest) {
			return size() > ENDED_KEPT;
		}

	};

	private volatile List<RegisteredFault> faultSnapshot = List.of();

	/** The faults in effect: those of {@link #faultSnapshot} that are not waiting to start. */
	private volatile List<RegisteredFault> effectSnapshot = List.of();

	/** Read on every chunk, by the loop and by in-process connections' threads. */
	private volatile FaultUnit.DataHandling[] chunkFaults = new FaultUnit.DataHandling[0];

	/** Read on every statement, by the loop and by in-process connections' threads. */
	private volatile FaultUnit.StatementHandling[] statementFaults = new FaultUnit.StatementHandling[0];

	/** What the seed of a fault given none is made from, or {@code null} for a random one. */
	private volatile Long baseSeed;

	FaultRegistry(ProxyServer server, Duration maxFaultDuration, ProxyEvents events) {
		this.server = server;
		this.maxFaultDuration = maxFaultDuration;
		this.events = events;
	}

	/**
	 * Sets what the seeds of faults injected without one are made from (each fault's seed is
	 * this mixed with its id, so that faults differ), instead of random seeds; before
	 * the proxy starts.
	 * @param seed the base seed, or {@code null} for random seeds
	 */
	public void baseSeed(Long seed) {
		this.baseSeed = seed;
	}

	/**
	 * Returns the faults in effect (active or exhausted) and those scheduled to start, in
	 * injection order.
	 * @return an immutable snapshot
	 */
	public List<RegisteredFault> faults() {
		return this.faultSnapshot;
	}

	/**
	 * Returns the faults in effect (active or exhausted), in injection order: those that meet
	 * new connections.
	 * @return an immutable snapshot
	 */
	List<RegisteredFault> inEffect() {
		return this.effectSnapshot;
	}

	/**
	 * Injects a fault; when this returns it is in effect on every live connection (and an
	 * action has acted).
	 * @param spec what to inject
	 * @return the fault
	 */
	public RegisteredFault inject(FaultSpec spec) {
		return inject(spec, null).fault();
	}

	/**
	 * Injects a fault under an id the caller chose, or renews the fault in effect under that
	 * id when it was injected with the same spec: its lifetime starts again from now (a
	 * lease; a fault still scheduled keeps its start, and its lifetime counts from there). A
	 * fault that has ended frees its id.
	 * @param spec what to inject
	 * @param id the id, or {@code null} for one the proxy makes up ({@code type-N})
	 * @return the fault and whether it was renewed rather than injected
	 * @throws FaultConflictException if a fault in effect has the id and another spec
	 */
	public Injection inject(FaultSpec spec, String id) {
		Duration lifetime = lifetimeOf(spec);
		String faultId = (id != null) ? id : spec.type().id() + "-" + this.faultSequence.incrementAndGet();
		return this.server.loop().call(() -> {
			for (RegisteredFault existing : this.faults) {
				if (existing.id().equals(faultId)) {
					if (existing.scenario().isPresent()) {
						throw new FaultConflictException(faultId, "'" + faultId + "' is a step of scenario '"
								+ existing.scenario().get() + "': renew or remove the scenario, or give the fault another id");
					}
					if (!existing.spec().equals(spec)) {
						throw new FaultConflictException(faultId, existing.spec(), spec);
					}
					renewOnLoop(existing);
					return new Injection(existing, true);
				}
				if (existing.scenario().filter(faultId::equals).isPresent()) {
					throw new FaultConflictException(faultId, "'" + faultId + "' is the id of a scenario in effect: give"
							+ " the fault another id, or remove the scenario first");
				}
			}
			RegisteredFault fault = new RegisteredFault(faultId, spec, this.server, lifetime, seedOf(spec, id), null);
			return new Injection(injectOnLoop(fault), false);
		}, CALL_TIMEOUT);
	}

	/**
	 * Injects every step of a scenario, or renews the steps of the scenario in effect under
	 * its id when it was injected with the same steps (those still in effect: a step that
	 * ended, an action that acted, stays ended). Every step's fault is made, and every id
	 * checked, before the first is applied, in one turn of the loop.
	 * @param scenario the scenario
	 * @return the steps' faults, in order (for a renewal, those still in effect), and whether
	 * they were renewed
	 * @throws FaultConflictException if a scenario in effect has the id and other steps, or a
	 * fault of its own has the scenario's id or a step's
	 */
	public ScenarioInjection inject(FaultScenario scenario) {
		return this.server.loop().call(() -> {
			List<RegisteredFault> steps = this.faults.stream()
				.filter((fault) -> fault.scenario().filter(scenario.id()::equals).isPresent())
				.toList();
			if (!steps.isEmpty()) {
				FaultScenario existing = steps.get(0).scenarioSpec();
				if (!existing.equals(scenario)) {
					throw new FaultConflictException(scenario.id(), "Scenario '" + scenario.id() + "' is in effect with"
							+ " other steps (" + existing.steps() + "; asked for " + scenario.steps() + "): send the"
							+ " same steps to renew it, or remove it first");
				}
				steps.forEach(this::renewOnLoop);
				return new ScenarioInjection(steps, true);
			}
			for (RegisteredFault existing : this.faults) {
				String id = existing.id();
				if (id.equals(scenario.id()) || id.startsWith(scenario.id() + ".")) {
					String owner = existing.scenario().map((other) -> "a step of scenario '" + other + "'")
						.orElse("in effect on its own");
					throw new FaultConflictException(id, "Fault '" + id + "' is " + owner + " and would be confused"
							+ " with scenario '" + scenario.id() + "' or one of its steps: give the scenario another"
							+ " id, or remove the fault first");
				}
			}
			List<RegisteredFault> made = new ArrayList<>();
			for (int i = 0; i < scenario.steps().size(); i++) {
				FaultSpec spec = scenario.steps().get(i);
				String id = scenario.stepId(i);
				made.add(new RegisteredFault(id, spec, this.server, lifetimeOf(spec), seedOf(spec, id), scenario));
			}
			List<RegisteredFault> applied = new ArrayList<>();
			try {
				for (RegisteredFault step : made) {
					injectOnLoop(step);
					applied.add(step);
				}
			}
			catch (RuntimeException ex) {
				// all or none: what was applied goes (an action that acted cannot be taken back)
				applied.forEach((step) -> removeOnLoop(step, Removal.REMOVED));
				throw ex;
			}
			return new ScenarioInjection(List.copyOf(made), false);
		}, CALL_TIMEOUT);
	}

	/**
	 * Removes every step of a scenario that is in effect.
	 * @param id the scenario's id
	 * @return the steps removed, as they were removed; empty if none was in effect
	 */
	public List<RegisteredFault> removeScenario(String id) {
		if (this.faultSnapshot.stream().noneMatch((fault) -> fault.scenario().filter(id::equals).isPresent())) {
			return List.of();
		}
		return this.server.loop().call(() -> {
			List<RegisteredFault> steps = this.faults.stream()
				.filter((fault) -> fault.scenario().filter(id::equals).isPresent())
				.toList();
			steps.forEach((fault) -> removeOnLoop(fault, Removal.REMOVED));
			return steps;
		}, CALL_TIMEOUT);
	}

	/** How long a fault lives once started: its {@code duration}, at most the proxy's maximum. */
	private Duration lifetimeOf(FaultSpec spec) {
		return (spec.duration() != null && spec.duration().compareTo(this.maxFaultDuration) < 0) ? spec.duration()
				: this.maxFaultDuration;
	}

	/** Starts a fault's lifetime again from now; a fault still scheduled keeps its start. */
	private void renewOnLoop(RegisteredFault fault) {
		if (fault.isScheduled()) {
			return;
		}
		fault.renew();
		fault.expiry(this.server.loop().schedule(fault.expiresAt(), () -> removeOnLoop(fault, Removal.EXPIRED)));
	}

	/**
	 * The seed of a fault given none: random, or made from the base seed and what names the
	 * fault whatever ran before it (the id its caller chose, else its type and parameters),
	 * so that one test run alone gets the seeds it got among others.
	 */
	private long seedOf(FaultSpec spec, String chosenId) {
		if (spec.options().seed().isPresent()) {
			return spec.options().seed().getAsLong();
		}
		if (this.baseSeed != null) {
			String name = (chosenId != null) ? chosenId : spec.type().id() + spec.toMap();
			return Dice.mix(this.baseSeed, name.hashCode(), 3) & FaultOptions.MAX_SEED;
		}
		return ThreadLocalRandom.current().nextLong(FaultOptions.MAX_SEED + 1);
	}

	/**
	 * Finds a fault that ended recently (one of the last {@value #ENDED_KEPT}).
	 * @param id its id
	 * @return the fault as it ended, or {@code null}
	 */
	public RegisteredFault ended(String id) {
		synchronized (this.ended) {
			return this.ended.get(id);
		}
	}

	/**
	 * Returns the faults in effect and the last {@value #ENDED_KEPT} that ended.
	 * @return a snapshot
	 */
	public List<RegisteredFault> recentFaults() {
		List<RegisteredFault> recent = new ArrayList<>(this.faultSnapshot);
		synchronized (this.ended) {
			recent.addAll(this.ended.values());
		}
		return recent;
	}

	/**
	 * What an injection did.
	 *
	 * @param fault the fault in effect under the id
	 * @param renewed whether it was there already and its lifetime started again
	 */
	public record Injection(RegisteredFault fault, boolean renewed) {

	}

	/**
	 * What the injection of a scenario did.
	 *
	 * @param faults its steps' faults, in order
	 * @param renewed whether the scenario was there already and its steps renewed
	 */
	public record ScenarioInjection(List<RegisteredFault> faults, boolean renewed) {

	}

	private RegisteredFault injectOnLoop(RegisteredFault fault) {
		if (fault.isScheduled()) {
			this.faults.add(fault);
			publish();
			fault.startTimer(this.server.loop().schedule(fault.startsAtNanos(), () -> startOnLoop(fault)));
			this.events.injected(fault);
			return fault;
		}
		return applyOnLoop(fault);
	}

	/**
	 * Starts a scheduled fault whose {@code startAfter} has passed, as if injected now, in
	 * its place among the faults: published in effect first, so that a connection's turn on
	 * another thread (in-process) sees it as soon as it may fire.
	 */
	private void startOnLoop(RegisteredFault fault) {
		if (!this.faults.contains(fault)) {
			return;
		}
		fault.start();
		if (fault.spec().type().isAction()) {
			this.faults.remove(fault);
			publish();
			fault.activate();
			this.events.started(fault);
			applyOnLoop(fault);
			return;
		}
		publish();
		fault.activate();
		this.events.started(fault);
		meetLiveConnections(fault);
	}

	/**
	 * Puts a fault in effect on every live connection (an action acts on them, then is gone).
	 */
	private RegisteredFault applyOnLoop(RegisteredFault fault) {
		if (fault.spec().type().isAction()) {
			if (fault.startsAt().isEmpty()) {
				this.events.injected(fault);
			}
			for (EngineConnection link : this.server.liveLinks()) {
				link.guard(() -> {
					if (!link.isClosed()) {
						fault.act(link);
					}
				});
			}
			fault.markRemoved(Removal.ACTED);
			remember(fault);
			publish();
			this.events.removed(fault, Removal.ACTED);
			return fault;
		}
		this.faults.add(fault);
		publish();
		this.events.injected(fault);
		meetLiveConnections(fault);
		return fault;
	}

	/**
	 * Schedules a condition's expiry and attaches it to every live connection, once it is in
	 * effect.
	 */
	private void meetLiveConnections(RegisteredFault fault) {
		fault.expiry(this.server.loop().schedule(fault.expiresAt(), () -> removeOnLoop(fault, Removal.EXPIRED)));
		fault.injected();
		for (EngineConnection link : this.server.liveLinks()) {
			link.guard(() -> {
				if (!link.isClosed() && !fault.isRemoved()) {
					fault.attach(link);
				}
			});
		}
	}

	/**
	 * Removes one fault by id.
	 * @param id the fault's id
	 * @return whether it was there
	 */
	public boolean remove(String id) {
		if (this.faultSnapshot.stream().noneMatch((fault) -> fault.id().equals(id))) {
			return false;
		}
		return this.server.loop().call(() -> {
			for (RegisteredFault fault : this.faults) {
				if (fault.id().equals(id)) {
					removeOnLoop(fault, Removal.REMOVED);
					return true;
				}
			}
			return false;
		}, CALL_TIMEOUT);
	}

	/**
	 * Removes every fault.
	 * @return how many were removed
	 */
	public int heal() {
		if (this.faultSnapshot.isEmpty()) {
			return 0;
		}
		return this.server.loop().call(() -> {
			List<RegisteredFault> all = new ArrayList<>(this.faults);
			for (RegisteredFault fault : all) {
				removeOnLoop(fault, Removal.HEALED);
			}
			return all.size();
		}, CALL_TIMEOUT);
	}

	private void remember(RegisteredFault fault) {
		synchronized (this.ended) {
			// removed first, so that a reused id counts as the newest
			this.ended.remove(fault.id());
			this.ended.put(fault.id(), fault);
		}
	}

	void removeOnLoop(RegisteredFault fault, Removal reason) {
		assert this.server.loop().inLoop() : "a fault removed off the proxy's loop";
		boolean scheduled = fault.isScheduled();
		if (!this.faults.remove(fault)) {
			return;
		}
		fault.markRemoved(reason);
		remember(fault);
		publish();
		if (scheduled) {
			// it never met a connection
			this.events.removed(fault, reason);
			return;
		}
		for (EngineConnection link : this.server.liveLinks()) {
			link.guard(() -> fault.detach(link));
		}
		fault.removed();
		// a fault that used itself up leaves its last delays in place (and lets go what it held);
		// any other removal takes its share of every delay away, and only its share
		if (fault.delaysData()) {
			for (EngineConnection link : this.server.liveLinks()) {
				link.guard(() -> link.faultRemoved(fault.unit(), reason == Removal.USED_UP));
			}
		}
		this.events.removed(fault, reason);
	}

	private void publish() {
		this.faultSnapshot = List.copyOf(this.faults);
		this.effectSnapshot = this.faults.stream().filter((fault) -> !fault.isScheduled()).toList();
		this.chunkFaults = this.effectSnapshot.stream()
			.map(RegisteredFault::unit)
			.filter(FaultUnit.DataHandling.class::isInstance)
			.toArray(FaultUnit.DataHandling[]::new);
		this.statementFaults = this.effectSnapshot.stream()
			.map(RegisteredFault::unit)
			.filter(FaultUnit.StatementHandling.class::isInstance)
			.toArray(FaultUnit.StatementHandling[]::new);
	}

	/**
	 * Returns the faults that act on SQL statements, in injection order; any thread (a
	 * connection's turn reads the array published last).
	 * @return the faults, never {@code null}
	 */
	public FaultUnit.StatementHandling[] statementFaults() {
		return this.statementFaults;
	}

	/**
	 * Returns the faults that look at data, in injection order; any thread (a connection's
	 * turn reads the array published last).
	 * @return the faults, never {@code null}
	 */
	FaultUnit.DataHandling[] chunkFaults() {
		return this.chunkFaults;
	}

	/**
	 * Removes every fault, on the loop, as the proxy stops.
	 * @param reason why
	 */
	void removeAll(Removal reason) {
		for (RegisteredFault fault : new ArrayList<>(this.faults)) {
			removeOnLoop(fault, reason);
		}
	}

}
