package dev.dbfault.core.internal.fault;

import java.util.regex.Pattern;

/**
 * Finds a regular expression in a statement's SQL with a bounded amount of work, so that a
 * pathological pattern such as {@code (a+)+$} cannot stall the proxy's thread (which relays
 * every connection of the proxy).
 *
 * <p>Java's regex engine has no time limit, but it reads its input only through
 * {@link CharSequence#charAt}. The statement is handed to it through a view that counts
 * those reads and gives up past a budget of {@value #STEPS_PER_CHARACTER} reads per character
 * (at least {@value #MIN_STEPS}): ample for any pattern that scans the text a few times over,
 * a few milliseconds at most for one that backtracks without end. A pattern that recurses
 * too deeply for the thread's stack is given up on as well.
 */
final class BoundedMatch {

	static final long MIN_STEPS = 1_000_000;

	static final long STEPS_PER_CHARACTER = 50;

	private BoundedMatch() {
	}

	/**
	 * Looks for {@code pattern} in {@code text}.
	 * @param pattern the pattern
	 * @param text the statement's SQL
	 * @return {@link Result#FOUND}, {@link Result#NOT_FOUND}, or {@link Result#GAVE_UP} when
	 * the budget ran out first
	 */
	static Result find(Pattern pattern, String text) {
		CountingSequence counted = new CountingSequence(text,
				Math.max(MIN_STEPS, STEPS_PER_CHARACTER * (long) text.length()));
		try {
			return pattern.matcher(counted).find() ? Result.FOUND : Result.NOT_FOUND;
		}
		catch (BudgetExceeded | StackOverflowError ex) {
			return Result.GAVE_UP;
		}
	}

	enum Result {

		FOUND, NOT_FOUND, GAVE_UP

	}

	/**
	 * Thrown from inside the regex engine when the budget runs out; carries no stack trace,
	 * since it is control flow.
	 */
	private static final class BudgetExceeded extends RuntimeException {

		private static final long serialVersionUID = 1L;

		BudgetExceeded() {
			super(null, null, false, false);
		}

	}

	private static final class CountingSequence implements CharSequence {

		private final String text;

		private long budget;

		CountingSequence(String text, long budget) {
			this.text = text;
			this.budget = budget;
		}

		@Override
		public char charAt(int index) {
			if (--this.budget < 0) {
				throw new BudgetExceeded();
			}
			return this.text.charAt(index);
		}

		@Override
		public int length() {
			return this.text.length();
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return this.text.subSequence(start, end);
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

}
