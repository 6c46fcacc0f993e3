package dev.dbfault.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.JournalEntry;
import dev.dbfault.core.internal.fault.ConnectionIdentity;

/**
 * The last events a proxy's faults fired on, in a ring of fixed size: written on the loop
 * without allocating an entry (a slot is overwritten in place), read from any thread as
 * {@link JournalEntry} copies. Its memory is bounded by its size: a slot keeps the fault, a
 * small {@link ConnectionIdentity} and a statement excerpt of at most
 * {@value #STATEMENT_EXCERPT} characters.
 */
final class Journal {

	/** How much of a statement an entry keeps. */
	static final int STATEMENT_EXCERPT = 200;

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
	 * Records one firing; loop only.
	 */
	synchronized void add(RegisteredFault fault, long fired, ConnectionIdentity connection, Direction direction,
			String statement) {
		if (this.slots.length == 0) {
			return;
		}
		Slot slot = this.slots[(int) ((this.next - 1) % this.slots.length)];
		slot.sequence = this.next++;
		slot.millis = System.currentTimeMillis();
		slot.fault = fault;
		slot.fired = fired;
		slot.connection = connection;
		slot.direction = direction;
		slot.statement = (statement != null) ? excerpt(statement) : null;
	}

	/**
	 * Returns the entries kept, oldest first, optionally only one fault's and only those
	 * after a sequence number and from a time on.
	 * @param faultId the fault's id, or {@code null} for every fault
	 * @param afterSequence only entries numbered above this (0 for all)
	 * @param from only entries at or after this time, or {@code null}
	 * @return copies of the entries
	 */
	synchronized List<JournalEntry> read(String faultId, long afterSequence, Instant from) {
		List<JournalEntry> entries = new ArrayList<>();
		long first = Math.max(Math.max(1, this.next - this.slots.length), afterSequence + 1);
		long fromMillis = (from != null) ? from.toEpochMilli() : Long.MIN_VALUE;
		for (long sequence = first; sequence < this.next; sequence++) {
			Slot slot = this.slots[(int) ((sequence - 1) % this.slots.length)];
			if ((faultId == null || slot.fault.id().equals(faultId)) && slot.millis >= fromMillis) {
				entries.add(slot.entry());
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

	/**
	 * Shortens a statement to what identifies it: whitespace runs as one space, at most
	 * {@value #STATEMENT_EXCERPT} characters.
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
				text.setLength(Math.min(text.length(), STATEMENT_EXCERPT - 1));
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

		private RegisteredFault fault;

		private long fired;

		private ConnectionIdentity connection;

		private Direction direction;

		private String statement;

		JournalEntry entry() {
			return new JournalEntry(this.sequence, Instant.ofEpochMilli(this.millis), this.fault.id(),
					this.fault.spec().type(), this.fault.seed(), this.fired,
					(this.connection != null) ? this.connection.describe() : null, this.direction, this.statement,
					this.fault.effect());
		}

	}

}
