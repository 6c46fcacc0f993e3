package dev.dbfault.core.internal.fault;

import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The context of a fault unit under test: a fixed seed, a given clock, every event firing
 * (or none), and counts of what the unit asked for.
 */
final class TestFaultContext implements FaultContext {

	private final Clock clock;

	private final boolean fires;

	private final SplittableRandom random = new SplittableRandom(42);

	/** Events the unit offered to fire. */
	int fired;

	/** Lasting effects started and not yet ended. */
	int effects;

	TestFaultContext(Clock clock, boolean fires) {
		this.clock = clock;
		this.fires = fires;
	}

	@Override
	public String id() {
		return "test-1";
	}

	@Override
	public String proxyName() {
		return "test";
	}

	@Override
	public boolean tryFire(ProxiedConnection connection) {
		this.fired++;
		return this.fires;
	}

	@Override
	public boolean tryFire(Flow flow) {
		return tryFire(flow.connection());
	}

	@Override
	public boolean tryFire(StatementDecision statement) {
		return tryFire(statement.connection());
	}

	@Override
	public boolean aimsAt(ProxiedConnection connection) {
		return true;
	}

	@Override
	public RandomGenerator random(Flow flow) {
		return this.random;
	}

	@Override
	public Clock clock() {
		return this.clock;
	}

	@Override
	public void effectStarted() {
		this.effects++;
	}

	@Override
	public void effectEnded() {
		this.effects--;
	}

	@Override
	public void closeListener() {
	}

	@Override
	public void openListener() {
	}

	@Override
	public Collection<? extends ProxiedConnection> liveConnections() {
		return List.of();
	}

}
