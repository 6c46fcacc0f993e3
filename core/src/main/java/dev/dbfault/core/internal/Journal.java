package dev.dbfault.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.JournalEntry;

/**
 * The last events a proxy's faults fired on, in a ring of fixed size: written on the loop
 * without allocating an entry (a slot is overwritten in place), read from any thread as
 * {@link JournalEntry} copies, a few slots at a time so that a long read never holds up the
 * loop. Its memory is bounded by its size: a slot keeps the fault, a snapshot of who the
 * connection was and a statement excerpt of at most {@value #STATEMENT_EXCERPT} characters.
 *
 * <p>A fault on data fires on every chunk it acts on: the chunks of one direction of one
 * connection join that direction's entry (its {@code events} grow, its last time moves)
 * while fewer than {@value #JOIN_WINDOW} entries came after it, it is less than
 * {@value #JOIN_MILLIS} ms old and the connection is still who it was, so that a latency
 * fault on a busy proxy leaves a line per connection, direction and second rather than
 * flooding the ring, and a reader asking for the last while still sees it act.
 */
final class Journal {

	/** How much of a statement an entry keeps. */
	static final int STATEMENT_EXCERPT = 200;

	/** How recent an entry must be for later firings of the same flow to join it. */
	static final int JOIN_WINDOW = 64;

	/** How long an entry takes in later firings of its flow. */
	static final long JOIN_MILLIS = 1000;

	/** How many slots a read copies under the lock at a time. */
	private static final int READ_BATCH = 256;

	private final Slot[] slots;

	/** The sequence number of the next entry; entries are numbered from 1. */
	private long next = 1;

	Journal(int size) {
		this.slots = new Slot[size];
		for (int i = 0; i < size; i++) {
			this.slots[i] = new Slot();
		}
	}

	int size() {
		return this.slots.length;
	}

	/**
	 * Records one firing; any connection's thread (synchronized).
	 * @return the entry's sequence number, or 0 when the journal keeps nothing
	 */
	synchronized long add(RegisteredFault fault, long fired, JournalEntry.Connection connection, Direction direction,
			String statement) {
		if (this.slots.length == 0) {
			return 0;
		}
		long sequence = this.next++;
		Slot slot = slot(sequence);
		slot.sequence = sequence;
		slot.millis = System.currentTimeMillis();
		slot.lastMillis = slot.millis;
		slot.fault = fault;
		slot.fired = fired;
		slot.events = 1;
		slot.connection = connection;
		slot.direction = direction;
		slot.statement = (statement != null) ? excerpt(statement) : null;
		return sequence;
	}

	/**
	 * Counts one more firing into a recent entry; any connection's thread (synchronized).
	 * @param sequence the entry
	 * @param connection who the connection is now
	 * @return whether the firing joined it, else it needs an entry of its own
	 */
	synchronized boolean repeat(long sequence, JournalEntry.Connection connection) {
		if (sequence <= 0 || sequence >= this.next || this.next - sequence > Math.min(JOIN_WINDOW, this.slots.length)) {
			return false;
		}
		Slot slot = slot(sequence);
		long now = System.currentTimeMillis();
		if (!slot.connection.equals(connection) || now - slot.millis >= JOIN_MILLIS) {
			return false;
		}
		slot.events++;
		slot.lastMillis = now;
		return true;
	}

	/**
	 * Returns the entries kept, oldest first, optionally only one fault's and only those
	 * after a sequence number and that fired from a time on, at most {@code limit} of them (the oldest
	 * that match).
	 * @param faultId the fault's id, or {@code null} for every fault
	 * @param afterSequence only entries numbered above this (0 for all)
	 * @param from only entries at or after this time, or {@code null}
	 * @param limit the most entries returned
	 * @return copies of the entries
	 */
	List<JournalEntry> read(String faultId, long afterSequence, Instant from, int limit) {
		List<JournalEntry> entries = new ArrayList<>();
		long fromMillis = (from != null) ? from.toEpochMilli() : Long.MIN_VALUE;
		long sequence = (afterSequence >= Long.MAX_VALUE - 1) ? Long.MAX_VALUE : Math.max(1, afterSequence + 1);
		while (entries.size() < limit) {
			synchronized (this) {
				sequence = Math.max(sequence, this.next - this.slots.length);
				long end = Math.min(this.next, sequence + READ_BATCH);
				if (sequence >= end) {
					break;
				}
				for (; sequence < end && entries.size() < limit; sequence++) {
					Slot slot = slot(sequence);
					if ((faultId == null || slot.fault.id().equals(faultId)) && slot.lastMillis >= fromMillis) {
						entries.add(slot.entry());
					}
				}
			}
		}
		return entries;
	}

	/**
	 * Returns the number the next entry will have: read before an action, it marks where
	 * the entries of that action start.
	 * @return the next sequence number
	 */
	synchronized long nextSequence() {
		return this.next;
	}

	private Slot slot(long sequence) {
		return this.slots[(int) ((sequence - 1) % this.slots.length)];
	}

	/**
	 * Shortens a statement to what identifies it: whitespace runs as one space, at most
	 * {@value #STATEMENT_EXCERPT} characters, a surrogate pair never cut in two.
	 */
	static String excerpt(String sql) {
		StringBuilder text = new StringBuilder(Math.min(sql.length(), STATEMENT_EXCERPT + 1));
		boolean space = false;
		for (int i = 0; i < sql.length(); i++) {
			char c = sql.charAt(i);
			if (Character.isWhitespace(c) || Character.isISOControl(c)) {
				space = text.length() > 0;
				continue;
			}
			if (text.length() + (space ? 2 : 1) > STATEMENT_EXCERPT) {
				int cut = Math.min(text.length(), STATEMENT_EXCERPT - 1);
				if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
					cut--;
				}
				text.setLength(cut);
				return text.append('…').toString();
			}
			if (space) {
				text.append(' ');
				space = false;
			}
			text.append(c);
		}
		return text.toString();
	}

	private static final class Slot {

		private long sequence;

		private long millis;

		private long lastMillis;

		private RegisteredFault fault;

		private long fired;

		private long events;

		private JournalEntry.Connection connection;

		private Direction direction;

		private String statement;

		JournalEntry entry() {
			return new JournalEntry(this.sequence, Instant.ofEpochMilli(this.millis), Instant.ofEpochMilli(this.lastMillis),
					this.fault.id(), this.fault.spec().type(), this.fault.seed(), this.fired, this.events, this.connection,
					this.direction, this.statement, this.fault.effect());
		}

	}

}
