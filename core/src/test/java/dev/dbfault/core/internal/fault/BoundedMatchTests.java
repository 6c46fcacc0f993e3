package dev.dbfault.core.internal.fault;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement match costs a bounded amount of work whatever the pattern.
 */
class BoundedMatchTests {

	@Test
	void findsAndMissesAsAPlainSearchDoes() {
		assertThat(BoundedMatch.find(Pattern.compile("(?i)insert into payments"), "INSERT INTO payments VALUES (1)"))
			.isEqualTo(BoundedMatch.Result.FOUND);
		assertThat(BoundedMatch.find(Pattern.compile("(?i)^\\s*commit"), "select 1")).isEqualTo(BoundedMatch.Result.NOT_FOUND);
	}

	@Test
	void aPatternThatBacktracksWithoutEndGivesUp() {
		String statement = "a".repeat(40);
		long start = System.nanoTime();
		assertThat(BoundedMatch.find(Pattern.compile("(.*a){12}x"), statement)).isEqualTo(BoundedMatch.Result.GAVE_UP);
		// unbounded, this search takes a second at 26 characters and grows as 40^12: years at
		// 40; bounded, a few milliseconds (the 5 s allowance is for a loaded machine)
		assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
	}

	@Test
	void aNestedQuantifierTheEngineShortCutsIsAnsweredWithinTheBudget() {
		assertThat(BoundedMatch.find(Pattern.compile("(a+)+$"), "a".repeat(40) + "b"))
			.isEqualTo(BoundedMatch.Result.NOT_FOUND);
	}

	@Test
	void aLongStatementGetsABudgetInProportion() {
		String statement = "x".repeat(2_000_000) + " commit";
		assertThat(BoundedMatch.find(Pattern.compile("(?i)commit"), statement)).isEqualTo(BoundedMatch.Result.FOUND);
	}

	@Test
	void aPatternThatRecursesTooDeeplyGivesUpInsteadOfKillingTheThread() {
		String statement = "ab".repeat(500_000);
		assertThat(BoundedMatch.find(Pattern.compile("(a|b)*c"), statement)).isIn(BoundedMatch.Result.GAVE_UP,
				BoundedMatch.Result.NOT_FOUND);
	}

}
