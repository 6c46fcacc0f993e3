package dev.dbfault.core.internal.fault;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A piece of one direction's stream on its way through the faults: data, or a marker for
 * the end of the stream or for killing the connection once everything before it is sent.
 *
 * <p>A data chunk is a view of an array: the bytes from {@link #offset()} for
 * {@link #size()}. Cutting it ({@link #splitFirst}) makes a second view of the same array,
 * so a fault that slices a stream into many pieces copies no byte and makes one small object
 * per piece.
 *
 * <p>A fault that cuts a stream into pieces all due at once ({@code slicer} with no delay)
 * notes the pieces' lengths ({@link #cutInto}) instead of making a chunk per piece: the
 * pieces are still written one by one ({@link #pieceSize()}), and cost a byte each.
 *
 * <p>A chunk is due at the time it was read plus what each fault added: faults call
 * {@link #delay} or {@link #delayUntil}, naming themselves, and the chunk keeps each fault's
 * share. {@link #removeShare} takes one fault's share back (and lets go what it held), so
 * that removing one of several delaying faults leaves exactly the others' delay. The delay
 * line keeps chunks in order, as TCP never reorders: a chunk due before the one ahead of it
 * leaves right after it. Not thread-safe: the chunk's connection guards it.
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

	/** The longest piece {@link #cutInto} takes. */
	public static final int MAX_PIECE = 255;

	private static final byte[] NO_BYTES = new byte[0];

	private final Kind kind;

	private final byte[] array;

	private int start;

	private final int end;

	private long releaseAt;

	/**
	 * The lengths of the pieces a fault cut this chunk into, all but the last (which ends at
	 * the chunk's end), unsigned: a byte a piece; {@code null} when it is not cut. Never
	 * changed once set: pieces split off share it.
	 */
	private byte[] pieceLengths;

	/** The next piece length to count. */
	private int nextPiece;

	/** Where the piece counted last ends in the array. */
	private int pieceEnd;

	/** The fault holding this chunk until its own removal, or {@code null}. */
	private Object heldBy;

	/**
	 * The faults that delayed this chunk and by how much: the first one inline (the usual
	 * case, one delaying fault), more in the arrays.
	 */
	private Object firstSharer;

	private long firstShare;

	private Object[] moreSharers;

	private long[] moreShares;

	private Chunk(Kind kind, byte[] array, int start, int end, long releaseAt) {
		this.kind = kind;
		this.array = array;
		this.start = start;
		this.end = end;
		this.releaseAt = releaseAt;
	}

	/**
	 * Creates a data chunk that owns a copy of the given bytes.
	 * @param source the bytes, from position to limit; its position moves to the limit
	 * @param releaseAt when the bytes may be written
	 * @return the chunk
	 */
	public static Chunk copyOf(ByteBuffer source, long releaseAt) {
		byte[] copy = new byte[source.remaining()];
		source.get(copy);
		return new Chunk(Kind.DATA, copy, 0, copy.length, releaseAt);
	}

	/**
	 * Creates a data chunk around bytes it may keep.
	 * @param array the bytes, owned by the chunk from now on
	 * @param releaseAt when the bytes may be written
	 * @return the chunk
	 */
	public static Chunk wrap(byte[] array, long releaseAt) {
		return new Chunk(Kind.DATA, array, 0, array.length, releaseAt);
	}

	/**
	 * Creates a marker that follows a chunk: due when it is, delayed by the same faults by
	 * the same shares, so that removing one of them moves both.
	 * @param kind the marker's kind
	 * @param chunk the chunk it follows
	 * @return the marker
	 */
	public static Chunk markerBehind(Kind kind, Chunk chunk) {
		Chunk marker = marker(kind, chunk.releaseAt);
		marker.sharesOf(chunk);
		return marker;
	}

	public static Chunk marker(Kind kind, long releaseAt) {
		if (kind == Kind.DATA) {
			throw new IllegalArgumentException("A marker carries no data");
		}
		return new Chunk(kind, NO_BYTES, 0, 0, releaseAt);
	}

	public Kind kind() {
		return this.kind;
	}

	public boolean isData() {
		return this.kind == Kind.DATA;
	}

	/**
	 * Returns the array this chunk's bytes are in, from {@link #offset()} for
	 * {@link #size()}; shared with the other pieces cut from the same chunk.
	 * @return the array
	 */
	public byte[] array() {
		return this.array;
	}

	/**
	 * Returns where the bytes still to write start in {@link #array()}.
	 * @return the offset
	 */
	public int offset() {
		return this.start;
	}

	/**
	 * Returns how many bytes are still to write; 0 for markers.
	 * @return the size
	 */
	public int size() {
		return this.end - this.start;
	}

	/**
	 * Cuts this chunk into pieces that are written one by one, all due when the chunk is.
	 * @param lengths the length of each piece but the last, from the chunk's first byte, each
	 * from 1 to {@value #MAX_PIECE} (unsigned); the array is the chunk's from now on
	 */
	public void cutInto(byte[] lengths) {
		this.pieceLengths = lengths;
		this.nextPiece = 0;
		this.pieceEnd = this.start;
	}

	/**
	 * Returns how many bytes the next piece to write has: the whole rest unless a fault cut
	 * the chunk.
	 * @return the size
	 */
	public int pieceSize() {
		if (this.pieceLengths == null) {
			return size();
		}
		while (this.pieceEnd <= this.start && this.nextPiece < this.pieceLengths.length) {
			this.pieceEnd += this.pieceLengths[this.nextPiece++] & 0xFF;
		}
		return ((this.pieceEnd > this.start) ? Math.min(this.pieceEnd, this.end) : this.end) - this.start;
	}

	/**
	 * Returns whether a fault cut this chunk into pieces.
	 * @return whether it is cut
	 */
	public boolean isCut() {
		return this.pieceLengths != null;
	}

	/**
	 * Notes that the first bytes were written (or read by the peer).
	 * @param count how many, at most {@link #size()}
	 */
	public void consumed(int count) {
		if (count < 0 || count > size()) {
			throw new IllegalArgumentException("count " + count + " is not within 0.." + size());
		}
		this.start += count;
	}

	public long releaseAt() {
		return this.releaseAt;
	}

	/**
	 * Delays this chunk by a fault's share.
	 * @param fault the fault, usually its unit
	 * @param nanos how much longer, not negative
	 */
	public void delay(Object fault, long nanos) {
		if (nanos <= 0) {
			return;
		}
		this.releaseAt += nanos;
		if (this.firstSharer == null || this.firstSharer == fault) {
			this.firstSharer = fault;
			this.firstShare += nanos;
			return;
		}
		if (this.moreSharers == null) {
			this.moreSharers = new Object[] { fault };
			this.moreShares = new long[] { nanos };
			return;
		}
		for (int i = 0; i < this.moreSharers.length; i++) {
			if (this.moreSharers[i] == fault) {
				this.moreShares[i] += nanos;
				return;
			}
		}
		this.moreSharers = Arrays.copyOf(this.moreSharers, this.moreSharers.length + 1);
		this.moreShares = Arrays.copyOf(this.moreShares, this.moreShares.length + 1);
		this.moreSharers[this.moreSharers.length - 1] = fault;
		this.moreShares[this.moreShares.length - 1] = nanos;
	}

	/**
	 * Delays this chunk until a time, if it is due before it; the difference is the fault's
	 * share.
	 * @param fault the fault, usually its unit
	 * @param at the time
	 */
	public void delayUntil(Object fault, long at) {
		if (at - this.releaseAt > 0) {
			delay(fault, at - this.releaseAt);
		}
	}

	/**
	 * Returns how much of this chunk's delay a fault added.
	 * @param fault the fault
	 * @return its share in nanoseconds, 0 for none
	 */
	public long shareOf(Object fault) {
		if (fault == null) {
			return 0;
		}
		if (this.firstSharer == fault) {
			return this.firstShare;
		}
		if (this.moreSharers != null) {
			for (int i = 0; i < this.moreSharers.length; i++) {
				if (this.moreSharers[i] == fault) {
					return this.moreShares[i];
				}
			}
		}
		return 0;
	}

	/**
	 * Takes back a fault's share of this chunk's delay and lets the chunk go if the fault
	 * holds it.
	 * @param fault the fault, usually its unit
	 * @param keepDelay whether the delay it added stays (a fault that used itself up leaves
	 * its last delays in place)
	 * @return whether the chunk is due earlier now
	 */
	public boolean removeShare(Object fault, boolean keepDelay) {
		boolean released = releaseIfHeldBy(fault);
		if (keepDelay) {
			return released;
		}
		long share = 0;
		if (this.firstSharer == fault) {
			share = this.firstShare;
			this.firstSharer = null;
			this.firstShare = 0;
		}
		else if (this.moreSharers != null) {
			for (int i = 0; i < this.moreSharers.length; i++) {
				if (this.moreSharers[i] == fault) {
					share = this.moreShares[i];
					this.moreSharers[i] = null;
					this.moreShares[i] = 0;
				}
			}
		}
		this.releaseAt -= share;
		return released || share > 0;
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
	 * Splits off the first bytes of this data chunk as a chunk of their own, a view of the
	 * same array with the same due time and the same shares.
	 * @param length how many bytes, at least 1 and less than {@link #size()}
	 * @return the first part; this chunk keeps the rest
	 */
	public Chunk splitFirst(int length) {
		if (length <= 0 || length >= size()) {
			throw new IllegalArgumentException("length " + length + " is not within 1.." + (size() - 1));
		}
		Chunk first = new Chunk(Kind.DATA, this.array, this.start, this.start + length, this.releaseAt);
		first.pieceLengths = this.pieceLengths;
		first.nextPiece = this.nextPiece;
		first.pieceEnd = this.pieceEnd;
		first.heldBy = this.heldBy;
		first.sharesOf(this);
		this.start += length;
		return first;
	}

	/**
	 * Takes on another chunk's shares of delay, as its own copy.
	 */
	private void sharesOf(Chunk other) {
		this.firstSharer = other.firstSharer;
		this.firstShare = other.firstShare;
		if (other.moreSharers != null) {
			this.moreSharers = other.moreSharers.clone();
			this.moreShares = other.moreShares.clone();
		}
	}

	@Override
	public String toString() {
		return this.kind + ((this.kind == Kind.DATA) ? " " + size() + " bytes" : "") + " due " + this.releaseAt
				+ (isHeld() ? " (held)" : "");
	}

}
