package dev.dbfault.core.internal.pg;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageStreamTests {

	/** A stream that asks for some messages whole and records what it lets through. */
	private static final class Recording extends MessageStream {

		final ByteArrayOutputStream out = new ByteArrayOutputStream();

		final List<Character> seen = new ArrayList<>();

		final List<Integer> outputs = new ArrayList<>();

		BiConsumer<Character, ByteBuffer> onWhole = (type, message) -> {
		};

		boolean unreadable;

		Recording() {
			super(true);
		}

		@Override
		protected void output(ByteBuffer data) {
			this.outputs.add(data.remaining());
			byte[] bytes = new byte[data.remaining()];
			data.duplicate().get(bytes);
			this.out.writeBytes(bytes);
		}

		@Override
		protected Disposition onHeader(char type, int bodyLength) {
			this.seen.add(type);
			return (type == 'P' || type == 'Q') ? Disposition.WHOLE : (type == 'N') ? Disposition.DROP : Disposition.PASS;
		}

		@Override
		protected void onWhole(char type, ByteBuffer message) {
			this.onWhole.accept(type, message);
		}

		@Override
		protected void unreadable(char type, int length) {
			this.unreadable = true;
		}

	}

	private static byte[] message(char type, String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(5 + bytes.length).put((byte) type).putInt(4 + bytes.length).put(bytes).array();
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			all.writeBytes(part);
		}
		return all.toByteArray();
	}

	private static void feedInPieces(MessageStream stream, byte[] data, Random random) {
		int offset = 0;
		while (offset < data.length) {
			int size = Math.min(data.length - offset, 1 + random.nextInt(random.nextBoolean() ? 4 : 64));
			stream.feed(ByteBuffer.wrap(data, offset, size).slice());
			offset += size;
		}
	}

	@Test
	void keptMessagesComeOutIdenticalWhateverTheSplits() {
		byte[] traffic = concat(message('P', "\0select 1\0\0\0"), message('B', "\0\0\0\0\0\0\0\0"),
				message('D', "P\0"), message('E', "\0\0\0\0\0"), message('S', ""),
				message('Q', "select '" + "x".repeat(500) + "'\0"), message('X', ""));
		Random random = new Random(1);
		for (int round = 0; round < 500; round++) {
			Recording stream = new Recording();
			feedInPieces(stream, traffic, random);
			assertThat(stream.out.toByteArray()).isEqualTo(traffic);
			assertThat(stream.seen).containsExactly('P', 'B', 'D', 'E', 'S', 'Q', 'X');
		}
	}

	@Test
	void aPipelineReadAtOnceLeavesAsOneWrite() {
		byte[] pipeline = concat(message('P', "\0select 1\0\0\0"), message('B', "\0\0\0\0\0\0\0\0"),
				message('E', "\0\0\0\0\0"), message('S', ""));
		Recording stream = new Recording();
		stream.feed(ByteBuffer.wrap(pipeline));
		assertThat(stream.outputs).containsExactly(pipeline.length);
	}

	@Test
	void aReplacedMessageKeepsItsPlaceBetweenTheOthers() {
		byte[] before = message('B', "before");
		byte[] after = message('S', "");
		byte[] replacement = message('Q', "replaced\0");
		Random random = new Random(2);
		for (int round = 0; round < 200; round++) {
			Recording stream = new Recording();
			stream.onWhole = (type, message) -> stream.replaceCurrent(ByteBuffer.wrap(replacement));
			feedInPieces(stream, concat(before, message('P', "original\0"), after), random);
			assertThat(stream.out.toByteArray()).isEqualTo(concat(before, replacement, after));
		}
	}

	@Test
	void droppedMessagesVanishAndTheRestStays() {
		Random random = new Random(3);
		for (int round = 0; round < 200; round++) {
			Recording stream = new Recording();
			feedInPieces(stream, concat(message('B', "1"), message('N', "notice".repeat(20)), message('S', "")), random);
			assertThat(stream.out.toByteArray()).isEqualTo(concat(message('B', "1"), message('S', "")));
		}
	}

	@Test
	void stopLetsThroughWhatCameBeforeAndNothingAfter() {
		Random random = new Random(4);
		for (int round = 0; round < 200; round++) {
			Recording stream = new Recording();
			stream.onWhole = (type, message) -> stream.stop();
			feedInPieces(stream, concat(message('B', "first"), message('P', "stop here\0"), message('S', "")), random);
			stream.feed(ByteBuffer.wrap(message('B', "later")));
			assertThat(stream.out.toByteArray()).isEqualTo(message('B', "first"));
			assertThat(stream.isStopped()).isTrue();
		}
	}

	@Test
	void anImpossibleLengthPassesEverythingThroughFromThere() {
		byte[] good = message('B', "ok");
		byte[] garbage = { 'Z', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3 };
		Random random = new Random(5);
		for (int round = 0; round < 100; round++) {
			Recording stream = new Recording();
			byte[] all = concat(good, garbage, good);
			feedInPieces(stream, all, random);
			assertThat(stream.out.toByteArray()).isEqualTo(all);
			assertThat(stream.unreadable).isTrue();
			assertThat(stream.isPassingThrough()).isTrue();
		}
	}

	@Test
	void knowsWhenItSitsBetweenMessages() {
		Recording stream = new Recording();
		byte[] data = message('D', "a row");
		stream.feed(ByteBuffer.wrap(data, 0, 7).slice());
		assertThat(stream.atBoundary()).isFalse();
		stream.feed(ByteBuffer.wrap(data, 7, data.length - 7).slice());
		assertThat(stream.atBoundary()).isTrue();
		stream.feed(ByteBuffer.wrap(new byte[] { 'D', 0 }));
		assertThat(stream.atBoundary()).isFalse();
	}

}
