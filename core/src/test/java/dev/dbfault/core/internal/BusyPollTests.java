package dev.dbfault.core.internal;

import java.net.InetSocketAddress;
import java.time.Duration;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.testing.Client;
import dev.dbfault.core.testing.Upstream;
import dev.dbfault.core.testing.Upstream.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the relay loop busy-polls: between the statements and answers of a conversation, and
 * not while bytes stream through it.
 */
class BusyPollTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);


	private Upstream upstream;

	private ProxyServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop(TIMEOUT);
		}
		if (this.upstream != null) {
			this.upstream.close();
		}
	}

	private InetSocketAddress start(Upstream upstream) {
		this.upstream = upstream;
		this.server = new ProxyServer("busy-poll", upstream.address(), Duration.ofMinutes(1), FaultProxy.MAX_BUSY_POLL,
				(link) -> null, ProxyEvents.NONE);
		return this.server.start(new InetSocketAddress("127.0.0.1", 0));
	}

	@Test
	void pollsBetweenTheRoundTripsOfOneConnection() {
		try (Client client = Client.connect(start(Upstream.echo()))) {
			long before = this.server.loop().busyPolls();
			for (int i = 0; i < 200; i++) {
				client.echo(new byte[16], TIMEOUT);
			}
			// after each message, once it is relayed, the loop polls for the next
			assertThat(this.server.loop().busyPolls() - before).as("busy polls over 200 round trips")
				.isGreaterThanOrEqualTo(200);
		}
	}

	@Test
	void doesNotPollWhileBytesStream() throws Exception {
		byte[] chunk = new byte[1024 * 1024];
		int chunks = 32;
		try (Client client = Client.connect(start(Upstream.manual()))) {
			Peer peer = this.upstream.awaitConnection(TIMEOUT);
			long before = this.server.loop().busyPolls();
			Thread writer = new Thread(() -> {
				for (int i = 0; i < chunks; i++) {
					peer.write(chunk);
				}
			}, "busy-poll-stream");
			writer.start();
			for (int i = 0; i < chunks; i++) {
				assertThat(client.read(chunk.length, TIMEOUT)).as("chunk %d", i).hasSize(chunk.length);
			}
			writer.join(TIMEOUT.toMillis());
			// 32 MiB take hundreds of reads: a loop that polled after each would poll hundreds of times
			assertThat(this.server.loop().busyPolls() - before).as("busy polls while 32 MiB streamed")
				.isLessThan(10);
		}
	}

}
