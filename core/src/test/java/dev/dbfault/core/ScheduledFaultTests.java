package dev.dbfault.core;

import java.time.Duration;
import java.util.Map;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.ActiveFault.Removal;
import dev.dbfault.core.fault.ActiveFault.State;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Transport;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.core.testing.Upstream.Peer;
import dev.dbfault.testdb.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Faults given {@code startAfter}: scheduled, doing nothing and meeting no connection, until
 * their start; then in effect as if injected then, their {@code duration} counted from there.
 * On both transports, whose connections meet the faults the same way.
 */
class ScheduledFaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final byte[] HELLO = "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8);

	private Upstream upstream;

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		this.upstream = Upstream.echo();
		this.proxy = FaultProxy.builder().name("scheduled").upstream("127.0.0.1", this.upstream.port()).start();
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
		this.upstream.close();
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void aScheduledFaultIsListedAndDoesNothingUntilItStarts(Transport transport) {
		ActiveFault fault = this.proxy.inject(Faults.blackhole().startAfter(Duration.ofDays(1)).build());
		assertThat(fault.state()).isEqualTo(State.SCHEDULED);
		assertThat(fault.startsAt()).hasValue(fault.injectedAt().plus(Duration.ofDays(1)));
		assertThat(fault.timeLeft().orElseThrow()).isGreaterThan(Duration.ofHours(23));
		assertThat(this.proxy.faults()).containsExactly(fault);
		try (Client client = Client.connect(this.proxy, transport)) {
			assertThat(client.echo(HELLO, TIMEOUT)).isEqualTo(HELLO);
		}
		assertThat(fault.fired()).isZero();
		assertThat(fault.state()).isEqualTo(State.SCHEDULED);
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void itActsOnceStartedOnTheConnectionsOpenedWhileItWaited(Transport transport) {
		ActiveFault fault = this.proxy.inject(Faults.blackhole().startAfter(Duration.ofMillis(300)).build());
		assertThat(fault.startsAt()).hasValue(fault.injectedAt().plusMillis(300));
		try (Client client = Client.connect(this.proxy, transport)) {
			Waits.await("the fault to start", TIMEOUT, () -> fault.state() == State.ACTIVE);
			client.send(HELLO);
			Waits.await("the blackhole to swallow the bytes", TIMEOUT, () -> fault.fired() > 0);
			assertThat(this.upstream.connections()).allSatisfy((peer) -> assertThat(peer.bytesReceived()).isZero());
		}
		assertThat(fault.startsAt()).as("when it started").hasValue(fault.injectedAt().plusMillis(300));
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void aScheduledActionActsWhenItStarts(Transport transport) {
		try (Client client = Client.connect(this.proxy, transport)) {
			assertThat(client.echo(HELLO, TIMEOUT)).isEqualTo(HELLO);
			ActiveFault reset = this.proxy.inject(Faults.reset().startAfter(Duration.ofMillis(200)).build());
			assertThat(reset.startsAt()).isPresent();
			Waits.await("the reset to act", TIMEOUT, () -> reset.removal().isPresent());
			assertThat(reset.removal()).hasValue(Removal.ACTED);
			assertThat(client.awaitEnd(TIMEOUT)).isEqualTo(Peer.End.RESET);
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void itsDurationCountsFromItsStart(Transport transport) {
		ActiveFault fault = this.proxy.inject(Faults.latency(Duration.ofMillis(1))
			.startAfter(Duration.ofSeconds(1))
			.duration(Duration.ofSeconds(1))
			.build());
		// the wait and the whole lifetime (more than the lifetime alone unless a second went by since)
		assertThat(fault.timeLeft().orElseThrow()).isGreaterThan(Duration.ofSeconds(1))
			.isLessThanOrEqualTo(Duration.ofSeconds(2));
		Waits.await("the fault to start", TIMEOUT, () -> fault.state() == State.ACTIVE);
		assertThat(fault.timeLeft().orElseThrow()).isLessThanOrEqualTo(Duration.ofSeconds(1));
		try (Client client = Client.connect(this.proxy, transport)) {
			assertThat(client.echo(HELLO, TIMEOUT)).isEqualTo(HELLO);
		}
		Waits.await("the fault to expire", TIMEOUT, () -> fault.removal().isPresent());
		assertThat(fault.removal()).hasValue(Removal.EXPIRED);
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void removingOrHealingAScheduledFaultMeansItNeverStarts(Transport transport) {
		ActiveFault removed = this.proxy.inject(Faults.down().startAfter(Duration.ofMillis(300)).build());
		ActiveFault healed = this.proxy.inject(Faults.blackhole().startAfter(Duration.ofMillis(300)).build());
		removed.close();
		assertThat(removed.removal()).hasValue(Removal.REMOVED);
		assertThat(this.proxy.heal()).isEqualTo(1);
		assertThat(healed.removal()).hasValue(Removal.HEALED);
		assertThat(this.proxy.faults()).isEmpty();
		// a witness scheduled for the same time, then injected: once it has started, both would have
		ActiveFault witness = this.proxy.inject(Faults.latency(Duration.ofMillis(1)).startAfter(Duration.ofMillis(300)).build());
		Waits.await("the witness to start", TIMEOUT, () -> witness.state() == State.ACTIVE);
		assertThat(this.proxy.faults()).containsExactly(witness);
		try (Client client = Client.connect(this.proxy, transport)) {
			assertThat(client.echo(HELLO, TIMEOUT)).isEqualTo(HELLO);
		}
		assertThat(removed.fired()).isZero();
		assertThat(healed.fired()).isZero();
		assertThat(removed.state()).isEqualTo(State.REMOVED);
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void renewingAScheduledLeaseKeepsItsStart(Transport transport) {
		FaultSpec spec = Faults.latency(Duration.ofMillis(5)).startAfter(Duration.ofHours(1)).build();
		ActiveFault first = this.proxy.inject("later", spec);
		ActiveFault renewed = this.proxy.inject("later", spec);
		assertThat(renewed).isSameAs(first);
		assertThat(renewed.state()).isEqualTo(State.SCHEDULED);
		assertThat(renewed.startsAt()).hasValue(first.injectedAt().plus(Duration.ofHours(1)));
		try (Client client = Client.connect(this.proxy, transport)) {
			assertThat(client.echo(HELLO, TIMEOUT)).isEqualTo(HELLO);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1s", "10", "25h", "soon", "" })
	void aStartAfterOutOfRangeOrWithoutItsUnitIsRefusedNamingIt(String startAfter) {
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> FaultSpec.parse("latency", Map.of("latency", "5ms", "startAfter", startAfter)))
			.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo("startAfter"));
		assertThat(this.proxy.faults()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "0ms", "0s" })
	void aStartAfterOfZeroStartsAtOnce(String startAfter) {
		FaultSpec spec = FaultSpec.parse("reset", Map.of("startAfter", startAfter));
		assertThat(spec).isEqualTo(Faults.reset().build());
		ActiveFault fault = this.proxy.inject(Faults.latency(Duration.ofMillis(1)).set("startAfter", startAfter).build());
		assertThat(fault.state()).isEqualTo(State.ACTIVE);
		assertThat(fault.startsAt()).isEmpty();
	}

}
