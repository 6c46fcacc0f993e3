package dev.dbfault.core.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.ActiveFault.Removal;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.internal.fault.Clock;
import dev.dbfault.testdb.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fault's lifetime, its lease and the proxy's maximum on a manual clock: expiry happens
 * exactly when the clock says, not within a real-time tolerance.
 */
class FaultClockTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final AtomicLong now = new AtomicLong(Duration.ofDays(1).toNanos());

	private final Clock clock = this.now::get;

	private final ProxyServer server = new ProxyServer("clock", new InetSocketAddress("127.0.0.1", 9),
			Duration.ofHours(2), Duration.ZERO, null, ProxyEvents.NONE, this.clock);

	FaultClockTests() {
		this.server.start(new InetSocketAddress("127.0.0.1", 0));
	}

	@AfterEach
	void stop() {
		this.server.stop(WAIT);
	}

	@Test
	void aFaultExpiresWhenItsDurationHasPassedOnTheClock() {
		ActiveFault fault = this.server.registry()
			.inject(Faults.latency(Duration.ofMillis(1)).duration(Duration.ofHours(1)).build(), "slow")
			.fault();
		assertThat(fault.timeLeft()).contains(Duration.ofHours(1));
		advance(Duration.ofMinutes(59).plusSeconds(59));
		assertThat(fault.isRemoved()).isFalse();
		assertThat(fault.timeLeft()).contains(Duration.ofSeconds(1));
		advance(Duration.ofSeconds(1));
		Waits.await("the fault to expire", WAIT, fault::isRemoved);
		assertThat(fault.removal()).contains(Removal.EXPIRED);
		assertThat(fault.timeLeft()).isEmpty();
	}

	@Test
	void renewingALeaseStartsItsDurationAgain() {
		ActiveFault fault = this.server.registry()
			.inject(Faults.latency(Duration.ofMillis(1)).duration(Duration.ofSeconds(30)).build(), "lease")
			.fault();
		advance(Duration.ofSeconds(20));
		assertThat(this.server.registry().inject(fault.spec(), "lease").renewed()).isTrue();
		advance(Duration.ofSeconds(20));
		assertThat(fault.isRemoved()).isFalse();
		assertThat(fault.timeLeft()).contains(Duration.ofSeconds(10));
		advance(Duration.ofSeconds(10));
		Waits.await("the lease to run out", WAIT, fault::isRemoved);
		assertThat(fault.removal()).isEqualTo(Optional.of(Removal.EXPIRED));
	}

	@Test
	void aLongerDurationIsCutToTheProxysMaximum() {
		ActiveFault fault = this.server.registry()
			.inject(Faults.latency(Duration.ofMillis(1)).duration(Duration.ofDays(3)).build(), null)
			.fault();
		assertThat(fault.timeLeft()).contains(Duration.ofHours(2));
	}

	@Test
	void aFaultWithoutDurationStaysAtMostTheProxysMaximum() {
		ActiveFault fault = this.server.registry().inject(Faults.blackhole().build(), null).fault();
		assertThat(fault.timeLeft()).contains(Duration.ofHours(2));
		advance(Duration.ofHours(2).minusNanos(1));
		assertThat(fault.isRemoved()).isFalse();
		advance(Duration.ofNanos(1));
		Waits.await("the maximum to remove it", WAIT, fault::isRemoved);
		assertThat(fault.removal()).contains(Removal.EXPIRED);
	}

	/**
	 * Moves the clock and lets the loop look at its timers: a task wakes it, and a second
	 * one queued behind it runs after the timers that fell due.
	 */
	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
		this.server.loop().call(() -> null, WAIT);
		this.server.loop().call(() -> null, WAIT);
	}

}
