package dev.dbfault.core.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the loop busy-polls, decided on explicit times: the policy looks at the current and
 * the last activity window only.
 */
class PollingPolicyTests {

	private static final long WINDOW = PollingPolicy.WINDOW_NANOS;

	private long now = 1_000_000_000L;

	@Test
	void neverPollsWithoutABusyPoll() {
		assertThat(new PollingPolicy(0, 2, 1000).pays(this.now)).isFalse();
	}

	@Test
	void aConversationOnFewSocketsIsPolled() {
		PollingPolicy policy = new PollingPolicy(100_000, 2, 1000);
		assertThat(policy.pays(this.now)).isTrue();
		long window = policy.ready(-1);
		window = policy.ready(window);
		policy.bytesRead(100);
		assertThat(policy.pays(this.now)).as("one socket, ready twice, counts once").isTrue();
	}

	@Test
	void moreSocketsInFlightThanCoresToSpareStopPollingForThisWindowAndTheNext() {
		PollingPolicy policy = new PollingPolicy(100_000, 2, 1000);
		policy.pays(this.now);
		policy.ready(-1);
		policy.ready(-1);
		policy.ready(-1);
		assertThat(policy.pays(this.now)).isFalse();
		this.now += WINDOW;
		assertThat(policy.pays(this.now)).as("the last window still counts").isFalse();
		this.now += WINDOW;
		assertThat(policy.pays(this.now)).as("two quiet windows later").isTrue();
	}

	@Test
	void aStreamIsNotPolled() {
		PollingPolicy policy = new PollingPolicy(100_000, 2, 1000);
		policy.pays(this.now);
		policy.bytesRead(999);
		assertThat(policy.pays(this.now)).isTrue();
		policy.bytesRead(1);
		assertThat(policy.pays(this.now)).isFalse();
		this.now += WINDOW;
		assertThat(policy.pays(this.now)).isFalse();
		this.now += WINDOW;
		assertThat(policy.pays(this.now)).isTrue();
	}

}
