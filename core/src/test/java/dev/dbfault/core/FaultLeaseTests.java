package dev.dbfault.core;

import java.time.Duration;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.ActiveFault.Removal;
import dev.dbfault.core.fault.FaultConflictException;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultRequest;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.testdb.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Faults under ids their caller chose, as a chaos engine driving many instances uses them:
 * sending an injection twice renews it (a lease that ends unless renewed), another spec under
 * the same id is refused, and a fault that ended is still found, saying how it ended.
 */
class FaultLeaseTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private Upstream upstream;

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		this.upstream = Upstream.echo();
		this.proxy = FaultProxy.builder().name("lease").upstream("127.0.0.1", this.upstream.port()).start();
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
		this.upstream.close();
	}

	@Test
	void theSameIdAndSpecRenewTheFaultInsteadOfAddingOne() {
		FaultSpec lease = Faults.latency(Duration.ofMillis(5)).duration(Duration.ofSeconds(2)).build();
		ActiveFault first = this.proxy.inject("checkout-latency", lease);
		Waits.await("the lease to run down below 1.5 s", TIMEOUT,
				() -> first.timeLeft().orElseThrow().compareTo(Duration.ofMillis(1500)) < 0);
		ActiveFault renewed = this.proxy.inject("checkout-latency", lease);
		assertThat(renewed).isSameAs(first);
		assertThat(renewed.timeLeft().orElseThrow()).isGreaterThan(Duration.ofMillis(1800));
		assertThat(this.proxy.faults()).extracting(ActiveFault::id).containsExactly("checkout-latency");
	}

	@Test
	void aLeaseThatIsNotRenewedEndsByItselfAndSaysSo() {
		this.proxy.inject("short-lease", Faults.blackhole().duration(Duration.ofMillis(300)).build());
		Waits.await("the lease to end", TIMEOUT, () -> this.proxy.faults().isEmpty());
		ActiveFault ended = this.proxy.endedFault("short-lease").orElseThrow();
		assertThat(ended.state()).isEqualTo(ActiveFault.State.REMOVED);
		assertThat(ended.removal()).hasValue(Removal.EXPIRED);
	}

	@Test
	void anotherSpecUnderAnIdInEffectIsRefusedAndChangesNothing() {
		ActiveFault fault = this.proxy.inject("shared", Faults.latency(Duration.ofMillis(5)).build());
		assertThatExceptionOfType(FaultConflictException.class)
			.isThrownBy(() -> this.proxy.inject("shared", Faults.latency(Duration.ofMillis(50)).build()))
			.withMessageContaining("Fault 'shared' is in effect with other parameters")
			.satisfies((ex) -> assertThat(ex.getId()).isEqualTo("shared"));
		assertThat(this.proxy.faults()).containsExactly(fault);
		assertThat(fault.spec().parameter("latency")).isEqualTo(Duration.ofMillis(5));
	}

	@Test
	void anEndedFaultIsFoundWithHowItEndedAndFreesItsId() {
		this.proxy.inject("rollback-me", Faults.latency(Duration.ofMillis(5)).build()).close();
		assertThat(this.proxy.endedFault("rollback-me").orElseThrow().removal()).hasValue(Removal.REMOVED);
		this.proxy.inject("acts-once", Faults.reset().build());
		assertThat(this.proxy.endedFault("acts-once").orElseThrow().removal()).hasValue(Removal.ACTED);
		ActiveFault again = this.proxy.inject("rollback-me", Faults.latency(Duration.ofMillis(7)).build());
		assertThat(again.isRemoved()).isFalse();
		assertThat(this.proxy.endedFault("never-there")).isEmpty();
	}

	@Test
	void idsAreCheckedBeforeAnythingIsInjected() {
		for (String id : new String[] { "", " x", "-leading", "a/b", "é", "x".repeat(65), "a b" }) {
			assertThatExceptionOfType(FaultParameterException.class)
				.isThrownBy(() -> this.proxy.inject(id, Faults.latency(Duration.ofMillis(5)).build()))
				.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo("id"));
		}
		assertThat(this.proxy.faults()).isEmpty();
		assertThat(this.proxy.inject("a.B_9:z-1", Faults.latency(Duration.ofMillis(5)).build()).id())
			.isEqualTo("a.B_9:z-1");
	}

	@Test
	void requestsCarryTheirIdBesideTheSpec() {
		FaultRequest json = FaultRequest.parseJson("latency", "{\"id\":\"fleet-1\",\"latency\":\"5ms\",\"duration\":\"30s\"}");
		assertThat(json.id()).isEqualTo("fleet-1");
		assertThat(json.spec().duration()).isEqualTo(Duration.ofSeconds(30));
		FaultRequest form = FaultRequest.parseForm("latency", "id=fleet-1&latency=5ms&duration=30s");
		assertThat(form).isEqualTo(json);
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> FaultRequest.parseJson("latency", "{\"id\":7,\"latency\":\"5ms\"}"))
			.withMessageContaining("id must be text");
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> FaultRequest.parseForm("latency", "latency=5ms&latency=6ms"))
			.withMessageContaining("latency is given twice");
	}

}
