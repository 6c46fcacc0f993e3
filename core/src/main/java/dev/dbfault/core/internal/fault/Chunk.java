package dev.dbfault.core.internal.fault;

import java.nio.ByteBuffer;

/**
 * A piece of one direction's stream on its way through the faults: data, or a marker for
 * the end of the stream or for killing the connection once everything before it is sent.
 * Faults change {@link #releaseAt} to delay it; the pipe keeps release times in order, as
 * TCP never reorders.
 */
public final class Chunk {

	/**
	 * What a chunk carries.
	 */
	public enum Kind {

		/** Bytes to write. */
		DATA,

		/** The source closed its side: shut down the output. */
		EOF,

		/** Close the connection (FIN) here. */
		CLOSE,

		/** Reset the connection (RST) here. */
		RESET,

		/** Blackhole the connection here: everything after vanishes. */
		BLACKHOLE

	}

	private final Kind kind;

	private final ByteBuffer data;

	private long releaseAt;

	/** The fault holding this chunk until its own removal, or {@code null}. */
	private Object heldBy;

	private Chunk(Kind kind, ByteBuffer data, long releaseAt) {
		this.kind = kind;
		this.data = data;
		this.releaseAt = releaseAt;
	}

	/**
	 * Creates a data chunk that owns a copy of the given bytes.
	 * @param source the bytes, from position to limit; its position moves to the limit
	 * @param releaseAt when the bytes may be written
	 * @return the chunk
	 */
	public static Chunk copyOf(ByteBuffer source, long releaseAt) {
		ByteBuffer copy = ByteBuffer.allocate(source.remaining());
		copy.put(source).flip();
		return new Chunk(Kind.DATA, copy, releaseAt);
	}

	/**
	 * Creates a data chunk around bytes it may keep.
	 * @param data the bytes, owned by the chunk from now on
	 * @param releaseAt when the bytes may be written
	 * @return the chunk
	 */
	public static Chunk wrap(ByteBuffer data, long releaseAt) {
		return new Chunk(Kind.DATA, data, releaseAt);
	}

	public static Chunk marker(Kind kind, long releaseAt) {
		if (kind == Kind.DATA) {
			throw new IllegalArgumentException("A marker carries no data");
		}
		return new Chunk(kind, null, releaseAt);
	}

	public Kind kind() {
		return this.kind;
	}

	public boolean isData() {
		return this.kind == Kind.DATA;
	}

	/**
	 * Returns the bytes still to write; {@code null} for markers.
	 * @return the data
	 */
	public ByteBuffer data() {
		return this.data;
	}

	public int size() {
		return (this.data != null) ? this.data.remaining() : 0;
	}

	public long releaseAt() {
		return this.releaseAt;
	}

	public void releaseAt(long releaseAt) {
		this.releaseAt = releaseAt;
	}

	/**
	 * Holds this chunk until the given holder lets it go: it leaves neither on a timer nor
	 * when another fault that delays data is removed, and later faults pass it on untouched.
	 * @param holder the holder, usually the fault unit
	 */
	public void hold(Object holder) {
		this.heldBy = holder;
	}

	/**
	 * Returns whether a fault holds this chunk.
	 * @return whether it is held
	 */
	public boolean isHeld() {
		return this.heldBy != null;
	}

	/**
	 * Lets this chunk go if the given holder holds it.
	 * @param holder the holder
	 * @return whether it was held by the holder
	 */
	public boolean releaseIfHeldBy(Object holder) {
		if (this.heldBy != null && this.heldBy == holder) {
			this.heldBy = null;
			return true;
		}
		return false;
	}

	/**
	 * Splits off the first bytes of this data chunk as a chunk of their own.
	 * @param length how many bytes, less than {@link #size()}
	 * @return the first part; this chunk keeps the rest
	 */
	public Chunk splitFirst(int length) {
		ByteBuffer first = this.data.duplicate();
		first.limit(first.position() + length);
		this.data.position(this.data.position() + length);
		return new Chunk(Kind.DATA, first.slice(), this.releaseAt);
	}

}
