package dev.dbfault.core.internal.pg;

/**
 * Where a connection's statements stand in its transactions, for statement targets
 * ({@code inTransaction}, {@code statementIndex}). Read from the statements as the client
 * sends them, since a client may send {@code BEGIN} and the statements after it before the
 * server answers any; set right by each ReadyForQuery the client has nothing outstanding
 * after (a transaction opened or ended inside one multi-statement query). Loop only.
 */
final class Transactions {

	private boolean open;

	/** Statements of the open transaction so far, {@code BEGIN} not counted. */
	private long count;

	private boolean placedInTransaction;

	private long placedIndex;

	/**
	 * Places a statement about to be sent: {@code BEGIN} runs outside a transaction at
	 * position 0 and opens one; a statement inside one takes the next position, and
	 * {@code COMMIT}, {@code ROLLBACK} and their kin end it after themselves; a statement
	 * outside one is its own first.
	 * @param sql the statement's SQL
	 */
	void place(String sql) {
		Keyword keyword = Keyword.of(sql);
		if (keyword == Keyword.BEGIN) {
			this.placedInTransaction = false;
			this.placedIndex = 0;
			this.open = true;
			this.count = 0;
			return;
		}
		if (!this.open) {
			this.placedInTransaction = false;
			this.placedIndex = 1;
			return;
		}
		this.placedInTransaction = true;
		this.placedIndex = ++this.count;
		if (keyword == Keyword.END) {
			this.open = false;
			this.count = 0;
		}
	}

	boolean inTransaction() {
		return this.placedInTransaction;
	}

	long index() {
		return this.placedIndex;
	}

	/**
	 * Notes a ReadyForQuery.
	 * @param status its status: {@code I} idle, {@code T} in a transaction, {@code E} in a
	 * failed one
	 * @param settled whether the client is waiting for nothing more, so that the status is
	 * the state its next statement meets
	 */
	void ready(byte status, boolean settled) {
		if (!settled) {
			return;
		}
		boolean nowOpen = status != 'I';
		if (!nowOpen) {
			this.count = 0;
		}
		this.open = nowOpen;
	}

	/**
	 * The first word of a statement, as far as transactions care.
	 */
	enum Keyword {

		BEGIN, END, OTHER;

		static Keyword of(String sql) {
			int start = skipSpaceAndComments(sql, 0);
			int end = wordEnd(sql, start);
			if (is(sql, start, end, "begin") || is(sql, start, end, "start")) {
				return BEGIN;
			}
			if (is(sql, start, end, "commit") || is(sql, start, end, "end") || is(sql, start, end, "abort")) {
				return END;
			}
			// ROLLBACK TO SAVEPOINT stays inside; PREPARE TRANSACTION ends it, PREPARE name AS does not
			boolean rollback = is(sql, start, end, "rollback");
			if (rollback || is(sql, start, end, "prepare")) {
				int next = skipSpaceAndComments(sql, end);
				int nextEnd = wordEnd(sql, next);
				boolean ends = rollback ? !is(sql, next, nextEnd, "to") : is(sql, next, nextEnd, "transaction");
				return ends ? END : OTHER;
			}
			return OTHER;
		}

		/** Where the word starting at {@code start} ends: a statement's keywords are letters. */
		private static int wordEnd(String sql, int start) {
			int end = start;
			while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
				end++;
			}
			return end;
		}

		/** Whether the word from {@code start} to {@code end} is {@code word}, in any case, without copying it. */
		private static boolean is(String sql, int start, int end, String word) {
			return end - start == word.length() && sql.regionMatches(true, start, word, 0, word.length());
		}

		private static int skipSpaceAndComments(String sql, int from) {
			int i = from;
			while (i < sql.length()) {
				char c = sql.charAt(i);
				if (Character.isWhitespace(c)) {
					i++;
				}
				else if (sql.startsWith("--", i)) {
					int newline = sql.indexOf('\n', i);
					i = (newline < 0) ? sql.length() : newline + 1;
				}
				else if (sql.startsWith("/*", i)) {
					int close = sql.indexOf("*/", i + 2);
					i = (close < 0) ? sql.length() : close + 2;
				}
				else {
					break;
				}
			}
			return i;
		}

	}

}
