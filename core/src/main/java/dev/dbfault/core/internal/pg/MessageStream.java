package dev.dbfault.core.internal.pg;

import java.nio.ByteBuffer;

/**
 * Finds PostgreSQL message boundaries in one direction of a connection, incrementally, as
 * bytes arrive in reads of any size, and lets a subclass look at, keep, replace or drop
 * each message.
 *
 * <p>Bytes of messages that are kept are forwarded as one slice per read where possible, so
 * a read that carries a whole pipeline ({@code Parse/Bind/Describe/Execute/Sync}) still leaves
 * as a single write: nothing is stalled or reordered. Only a message the subclass wants
 * whole <em>and</em> that spans reads is held until its last byte arrives, and a header split
 * across reads is held until complete, since both can only be judged whole.
 *
 * <pre>
 *  feed(read) --&gt; at a boundary: header --&gt; onHeader: PASS  (stream the body through)
 *                                                  DROP  (swallow the body)
 *                                                  WHOLE (collect, then onWhole)
 *               inside a body: forward / skip / collect, then onEnd
 * </pre>
 *
 * <p>Not thread-safe: one instance per direction per connection, used on the proxy's loop.
 */
abstract class MessageStream {

	/** What to do with the current message's body. */
	enum Disposition {

		PASS, DROP, WHOLE

	}

	/** Longest message accepted before the stream is judged unreadable. */
	private static final int MAX_LENGTH = 1 << 30;

	/** Longest untyped startup packet accepted. */
	private static final int MAX_STARTUP_LENGTH = 10_000;

	private final byte[] header = new byte[5];

	private int headerFill;

	private boolean typed;

	private char type;

	private int remaining;

	private Disposition disposition;

	private ByteBuffer whole;

	private ByteBuffer input;

	private int passStart;

	private int currentStart;

	private int currentEnd;

	private boolean currentConsumed;

	private boolean rawByteExpected;

	private boolean passAll;

	private boolean dropAll;

	MessageStream(boolean typed) {
		this.typed = typed;
	}

	/**
	 * Receives the bytes this stream lets through, in order.
	 * @param data the bytes; valid only during the call
	 */
	protected abstract void output(ByteBuffer data);

	/**
	 * Decides what happens to a message whose header was just read.
	 * @param type the type byte, or 0 for an untyped startup packet
	 * @param bodyLength the bytes after the length field
	 * @return what to do with it
	 */
	protected abstract Disposition onHeader(char type, int bodyLength);

	/**
	 * Looks at a whole message asked for with {@link Disposition#WHOLE}. The message is kept
	 * unless the subclass calls {@link #replaceCurrent}, {@link #dropCurrent} or {@link #stop}.
	 * @param type the type byte, or 0
	 * @param message the whole message, header included
	 */
	protected abstract void onWhole(char type, ByteBuffer message);

	/**
	 * Called after the last byte of a passed or dropped message.
	 * @param type the type byte
	 */
	protected void onEnd(char type) {
	}

	/**
	 * Called with a single raw byte that is not a message (the answer to an SSLRequest or a
	 * GSSENCRequest), which has been let through.
	 * @param value the byte
	 */
	protected void onRawByte(byte value) {
	}

	/**
	 * Says that messages have type bytes from now on (after the startup packet).
	 */
	final void typed() {
		this.typed = true;
	}

	/**
	 * Says that the next byte is a raw one-byte answer, not a message.
	 */
	final void expectRawByte() {
		this.rawByteExpected = true;
	}

	/**
	 * Lets everything through unread from now on.
	 */
	final void passThroughFromNowOn() {
		if (this.passAll || this.dropAll) {
			return;
		}
		this.passAll = true;
		if (this.input != null) {
			flushTo(this.input.position());
		}
		if (this.headerFill > 0) {
			output(ByteBuffer.wrap(this.header, 0, this.headerFill));
			this.headerFill = 0;
		}
		if (this.whole != null) {
			this.whole.flip();
			output(this.whole);
			this.whole = null;
		}
	}

	final boolean isPassingThrough() {
		return this.passAll;
	}

	/**
	 * Discards the current message and everything after it, now and from now on, after
	 * letting through what came before it.
	 */
	final void stop() {
		flushBeforeCurrent();
		this.currentConsumed = true;
		this.dropAll = true;
	}

	final boolean isStopped() {
		return this.dropAll;
	}

	/**
	 * Returns whether the stream sits between two messages (nothing of a message half-read).
	 * @return whether at a boundary
	 */
	final boolean atBoundary() {
		return this.remaining == 0 && this.headerFill == 0 && this.whole == null;
	}

	/**
	 * Lets through what came before the current message; its own bytes are decided after.
	 */
	final void flushBeforeCurrent() {
		if (!this.currentConsumed && this.input != null) {
			flushTo(this.currentStart);
			this.passStart = this.currentEnd;
			this.currentConsumed = true;
		}
	}

	/**
	 * Sends {@code replacement} where the current message was.
	 * @param replacement the bytes to send instead
	 */
	final void replaceCurrent(ByteBuffer replacement) {
		flushBeforeCurrent();
		output(replacement);
	}

	/**
	 * Drops the current message.
	 */
	final void dropCurrent() {
		flushBeforeCurrent();
	}

	/**
	 * Sends bytes of the subclass's own just before the current message, whose fate
	 * {@link #onHeader} then decides as usual. From {@code onHeader} only.
	 * @param data the bytes
	 */
	final void insertBeforeCurrent(ByteBuffer data) {
		if (!this.currentConsumed && this.input != null) {
			flushTo(this.currentStart);
		}
		output(data);
	}

	/**
	 * Emits bytes of the subclass's own after everything let through so far.
	 * @param data the bytes
	 */
	final void emit(ByteBuffer data) {
		if (this.input != null) {
			flushTo(this.input.position());
		}
		output(data);
	}

	/**
	 * Handles bytes read in this direction.
	 * @param in the bytes; fully consumed
	 */
	final void feed(ByteBuffer in) {
		this.input = in;
		this.passStart = in.position();
		try {
			while (in.hasRemaining()) {
				if (this.dropAll) {
					in.position(in.limit());
					this.passStart = in.limit();
					break;
				}
				if (this.passAll) {
					in.position(in.limit());
					break;
				}
				if (this.remaining > 0) {
					continueBody(in);
				}
				else if (this.rawByteExpected && this.headerFill == 0) {
					this.rawByteExpected = false;
					byte value = in.get();
					onRawByte(value);
				}
				else {
					readHeader(in);
				}
			}
			flushTo(in.position());
		}
		finally {
			this.input = null;
		}
	}

	private void readHeader(ByteBuffer in) {
		int size = this.typed ? 5 : 4;
		if (this.headerFill == 0 && in.remaining() >= size) {
			int start = in.position();
			char messageType = this.typed ? (char) (in.get(start) & 0xff) : 0;
			int length = in.getInt(start + (this.typed ? 1 : 0));
			begin(in, start, messageType, length, true);
			return;
		}
		// a header split across reads: hold its bytes until it is complete
		flushTo(in.position());
		int take = Math.min(size - this.headerFill, in.remaining());
		in.get(this.header, this.headerFill, take);
		this.headerFill += take;
		this.passStart = in.position();
		if (this.headerFill == size) {
			ByteBuffer held = ByteBuffer.wrap(this.header, 0, size);
			char messageType = this.typed ? (char) (held.get(0) & 0xff) : 0;
			int length = held.getInt(this.typed ? 1 : 0);
			begin(in, -1, messageType, length, false);
		}
	}

	private void begin(ByteBuffer in, int start, char messageType, int length, boolean inPlace) {
		int size = this.typed ? 5 : 4;
		if (length < 4 || length > (this.typed ? MAX_LENGTH : MAX_STARTUP_LENGTH)) {
			unreadable(messageType, length);
			// in place, the header's bytes are still in the pass range; held ones are sent first
			passThroughFromNowOn();
			return;
		}
		int body = length - 4;
		this.type = messageType;
		this.currentStart = inPlace ? start : in.position();
		this.currentEnd = inPlace ? start + size + body : in.position();
		this.currentConsumed = !inPlace;
		Disposition decided = onHeader(messageType, body);
		if (this.dropAll || this.passAll) {
			this.headerFill = 0;
			return;
		}
		this.disposition = decided;
		switch (decided) {
			case PASS -> {
				if (inPlace) {
					// even if onHeader sent something before it, the message itself streams on
					this.passStart = Math.min(this.passStart, start);
					in.position(start + size);
				}
				else {
					output(ByteBuffer.wrap(this.header, 0, size));
				}
			}
			case DROP -> {
				if (inPlace) {
					flushBeforeCurrentTo(start);
					in.position(start + size);
					this.passStart = in.position();
				}
			}
			case WHOLE -> {
				if (inPlace && in.limit() - start >= size + body) {
					ByteBuffer message = in.duplicate().position(start).limit(start + size + body).slice();
					in.position(start + size + body);
					this.headerFill = 0;
					this.remaining = 0;
					onWhole(messageType, message);
					return;
				}
				this.whole = ByteBuffer.allocate(size + body);
				if (inPlace) {
					flushBeforeCurrentTo(start);
					this.whole.put(in.duplicate().position(start).limit(start + size));
					in.position(start + size);
					this.passStart = in.position();
				}
				else {
					this.whole.put(this.header, 0, size);
				}
			}
		}
		this.headerFill = 0;
		this.remaining = body;
		if (body == 0) {
			end();
		}
	}

	private void flushBeforeCurrentTo(int start) {
		if (!this.currentConsumed) {
			flushTo(start);
			this.currentConsumed = true;
		}
	}

	private void continueBody(ByteBuffer in) {
		int take = Math.min(this.remaining, in.remaining());
		switch (this.disposition) {
			case PASS -> in.position(in.position() + take);
			case DROP -> {
				flushTo(in.position());
				in.position(in.position() + take);
				this.passStart = in.position();
			}
			case WHOLE -> {
				flushTo(in.position());
				this.whole.put(in.duplicate().limit(in.position() + take));
				in.position(in.position() + take);
				this.passStart = in.position();
			}
		}
		this.remaining -= take;
		if (this.remaining == 0) {
			end();
		}
	}

	private void end() {
		int here = (this.input != null) ? this.input.position() : 0;
		this.currentStart = here;
		this.currentEnd = here;
		if (this.disposition == Disposition.WHOLE) {
			ByteBuffer message = this.whole.flip();
			this.whole = null;
			// collected across reads: not in the pass range, so keeping it means sending it now
			this.currentConsumed = false;
			onWhole(this.type, message);
			if (!this.currentConsumed && !this.dropAll) {
				output(message.rewind());
			}
			this.currentConsumed = true;
			return;
		}
		this.currentConsumed = true;
		onEnd(this.type);
	}

	private void flushTo(int position) {
		if (this.input == null || position <= this.passStart) {
			return;
		}
		// lend the read buffer itself, narrowed, rather than a view per flush: this runs per read
		ByteBuffer in = this.input;
		int savedPosition = in.position();
		int savedLimit = in.limit();
		in.limit(position).position(this.passStart);
		output(in);
		in.limit(savedLimit).position(savedPosition);
		this.passStart = position;
	}

	/**
	 * Called when a length makes no sense; the stream passes everything through from then on.
	 * @param type the type byte read
	 * @param length the length read
	 */
	protected void unreadable(char type, int length) {
	}

}
