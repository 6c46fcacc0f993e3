package dev.dbfault.core.internal.pg;

import java.util.ArrayDeque;
import java.util.Iterator;

import dev.dbfault.core.fault.KillMode;

/**
 * Pairs the server's responses with the client's messages, so that a response can be
 * traced to the statement it answers: the error of a poisoned statement, the rows of a
 * statement whose result is cut.
 *
 * <p>The rules are the protocol's: Parse, Bind, Describe, Close and Execute are answered in
 * order (ParseComplete, BindComplete, RowDescription/NoData, CloseComplete, and DataRows
 * then CommandComplete/PortalSuspended/EmptyQueryResponse); after an error the server skips
 * to the next Sync; every Sync, simple Query and FunctionCall ends with one ReadyForQuery.
 * Asynchronous messages (notices, notifications, parameter status) answer nothing.
 */
final class Tracker {

	/**
	 * One message the client sent and the server has not finished answering.
	 */
	static final class Entry {

		final char type;

		/** The portal an Execute runs (or a simple Query's own counter). */
		Portal portal;

		/** The error to send instead of the server's, for a poisoned statement. */
		Poison poison;

		/** How to kill the connection once the server answers this message, for drop-on after. */
		KillMode killAfterAnswer;

		/** Whether dbfault sent this message itself: its answers are not the client's. */
		boolean injected;

		Entry(char type) {
			this.type = type;
		}

	}

	/**
	 * An error to report instead of the server's.
	 */
	record Poison(String sqlState, String message) {

	}

	/**
	 * A portal: the statement it runs and, when its rows are limited, the count so far.
	 */
	static final class Portal {

		final String sql;

		long rowLimit = -1;

		KillMode rowMode;

		long rows;

		Portal(String sql) {
			this.sql = sql;
		}

	}

	private final ArrayDeque<Entry> pending = new ArrayDeque<>();

	void sent(Entry entry) {
		this.pending.add(entry);
	}

	/**
	 * Returns the message the server is answering now.
	 * @return the entry, or {@code null}
	 */
	Entry head() {
		return this.pending.peek();
	}

	boolean isEmpty() {
		return this.pending.isEmpty();
	}

	/**
	 * Notes a response that may complete the head message.
	 * @param response the response's type byte
	 */
	void answered(char response) {
		Entry head = this.pending.peek();
		if (head == null) {
			return;
		}
		boolean completes = switch (response) {
			case '1' -> head.type == 'P';
			case '2' -> head.type == 'B';
			case '3' -> head.type == 'C';
			case 'n', 'T' -> head.type == 'D';
			case 'C', 'I', 's' -> head.type == 'E';
			default -> false;
		};
		if (completes) {
			this.pending.poll();
		}
	}

	/**
	 * Notes an ErrorResponse: in the extended protocol the server skips to the next Sync, so
	 * the messages before it will get no answer.
	 */
	void failed() {
		Entry head = this.pending.peek();
		if (head == null || head.type == 'Q' || head.type == 'F') {
			return;
		}
		for (Iterator<Entry> it = this.pending.iterator(); it.hasNext();) {
			if (it.next().type == 'S') {
				return;
			}
			it.remove();
		}
	}

	/**
	 * Notes a ReadyForQuery: the cycle of the next Sync, Query or FunctionCall is over.
	 */
	void ready() {
		while (!this.pending.isEmpty()) {
			char type = this.pending.poll().type;
			if (type == 'S' || type == 'Q' || type == 'F') {
				return;
			}
		}
	}

}
