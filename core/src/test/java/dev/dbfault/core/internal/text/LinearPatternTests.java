package dev.dbfault.core.internal.text;

import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Patterns are matched in time linear in the text, find what {@link Pattern} finds on the
 * syntax both read, and are refused with a reason when they need backtracking.
 */
class LinearPatternTests {

	@Test
	@Timeout(10)
	void aPatternThatWouldBacktrackWithoutEndIsMatchedInLinearTime() {
		// java.util.regex takes longer than the age of the universe on these
		String many = "a".repeat(100_000);
		assertThat(LinearPattern.of(Pattern.compile("(.*a){12}x")).find(many)).isFalse();
		assertThat(LinearPattern.of(Pattern.compile("(.*a){12}x")).find(many + "x")).isTrue();
		assertThat(LinearPattern.of(Pattern.compile("(.*.*)*X")).find(many)).isFalse();
		assertThat(LinearPattern.of(Pattern.compile("(a+)+$")).find(many + "b")).isFalse();
		for (int i = 0; i < 10_000; i++) {
			assertThat(LinearPattern.of(Pattern.compile("(.*.*)*X")).find("select * from orders where id = " + i))
				.isFalse();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "(?=select)x", "(?!commit)", "(?<=a)b", "(?<!a)b", "(a)\\1", "a*+", "a++b", "(?>ab|a)c",
			"\\Gx", "\\Z" })
	void aPatternThatNeedsBacktrackingIsRefusedWithTheReason(String pattern) {
		assertThatIllegalArgumentException().isThrownBy(() -> LinearPattern.of(Pattern.compile(pattern)))
			.withMessageNotContaining("Exception");
		assertThat(LinearPattern.whyNot(Pattern.compile(pattern))).isPresent();
	}

	@Test
	void aPatternWhoseRepetitionsExpandTooFarIsRefusedBeforeItIsBuilt() {
		assertThat(LinearPattern.expandedSize("(a{1000}){1000}")).isEqualTo(1_000_000);
		assertThat(LinearPattern.expandedSize("((a{100}){100}){100}")).isEqualTo(1_000_000);
		assertThat(LinearPattern.expandedSize("(?i)^\\s*insert into [a-z]{1,30}")).isLessThan(100);
		assertThat(LinearPattern.whyNot(Pattern.compile("(a{1000}){1000}")))
			.hasValueSatisfying((reason) -> assertThat(reason).contains("1000000", "at most 10000"));
		assertThat(LinearPattern.whyNot(Pattern.compile("(a|b|c|d|e|f|g){200}x"))).isEmpty();
		assertThat(LinearPattern.whyNot(Pattern.compile("x".repeat(1000)))).isEmpty();
	}

	@Test
	void lookaroundIsRefusedSayingSo() {
		assertThat(LinearPattern.whyNot(Pattern.compile("(?=select)x")))
			.hasValueSatisfying((reason) -> assertThat(reason).contains("lookaround", "linear time"));
	}

	@Test
	void javaFlagsAreKeptOrRefused() {
		assertThat(LinearPattern.of(Pattern.compile("^\\s*commit", Pattern.CASE_INSENSITIVE)).find("  COMMIT")).isTrue();
		assertThat(LinearPattern.of(Pattern.compile("a.b", Pattern.DOTALL)).find("a\nb")).isTrue();
		assertThat(LinearPattern.of(Pattern.compile("a.b")).find("a\nb")).isFalse();
		assertThat(LinearPattern.of(Pattern.compile("^b", Pattern.MULTILINE)).find("a\nb")).isTrue();
		assertThat(LinearPattern.of(Pattern.compile("a.b(", Pattern.LITERAL)).find("xa.b(y")).isTrue();
		assertThat(LinearPattern.whyNot(Pattern.compile("a b", Pattern.COMMENTS)))
			.hasValueSatisfying((reason) -> assertThat(reason).contains("COMMENTS"));
	}

	/**
	 * Generated patterns over a small grammar both engines read, generated texts: each
	 * pattern is found exactly where java.util.regex finds it.
	 */
	@Test
	void findsWhatJavaFindsOnGeneratedPatternsAndTexts() {
		Random random = new Random(20261207);
		for (int i = 0; i < 4_000; i++) {
			String pattern = pattern(random, 3);
			if (random.nextInt(6) == 0) {
				pattern = pattern + "|" + pattern(random, 1);
			}
			Pattern java = Pattern.compile(pattern);
			if (tooLarge(pattern)) {
				continue;
			}
			LinearPattern linear = LinearPattern.of(java);
			for (int j = 0; j < 20; j++) {
				String text = text(random);
				assertThat(linear.find(text)).as("'%s' in '%s'", pattern, text).isEqualTo(java.matcher(text).find());
			}
		}
	}

	/**
	 * The quick test of a pattern's first characters never changes RE2's answer, case folds
	 * outside ASCII included (RE2 folds {@code k} to the Kelvin sign, {@code s} to a long s).
	 */
	@Test
	void thePrefixTestAgreesWithTheAutomatonAlone() {
		Random random = new Random(7);
		for (int i = 0; i < 4_000; i++) {
			String pattern = pattern(random, 2);
			if (tooLarge(pattern)) {
				continue;
			}
			LinearPattern linear = LinearPattern.of(Pattern.compile(pattern));
			com.google.re2j.Pattern automaton = com.google.re2j.Pattern.compile(pattern);
			for (int j = 0; j < 20; j++) {
				String text = text(random, "abkKsS \t\n\u212a\u017f1");
				assertThat(linear.find(text)).as("'%s' in '%s'", pattern, text).isEqualTo(automaton.matcher(text).find());
			}
		}
	}

	/** A generated pattern refused for its size alone, which the size test covers. */
	private static boolean tooLarge(String pattern) {
		return LinearPattern.expandedSize(pattern) > LinearPattern.MAX_EXPANDED_SIZE;
	}

	private static String pattern(Random random, int depth) {
		int parts = 1 + random.nextInt(3);
		StringBuilder pattern = new StringBuilder();
		if (random.nextInt(3) == 0) {
			pattern.append('^');
			if (random.nextInt(3) == 0) {
				pattern.append("\\s*");
			}
		}
		for (int i = 0; i < parts; i++) {
			String atom = switch (random.nextInt((depth > 0) ? 11 : 9)) {
				case 9 -> "ab";
				case 10 -> random.nextBoolean() ? " c" : "s";
				case 0 -> "a";
				case 1 -> "k";
				case 2 -> ".";
				case 3 -> "[ab]";
				case 4 -> "\\d";
				case 5 -> "\\s";
				case 6 -> "[^a ]";
				case 7 -> "(" + pattern(random, depth - 1) + ")";
				default -> "(?:" + pattern(random, depth - 1) + "|" + pattern(random, depth - 1) + ")";
			};
			pattern.append(atom);
			pattern.append(switch (random.nextInt(8)) {
				case 0 -> "*";
				case 1 -> "+";
				case 2 -> "?";
				case 3 -> "{1,2}";
				case 4 -> "*?";
				default -> "";
			});
		}
		if (random.nextInt(6) == 0) {
			pattern.append('$');
		}
		// a flag group only at the very start: Java and RE2 scope one inside a pattern differently
		return ((depth >= 2 && random.nextInt(4) == 0) ? "(?i)" : "") + pattern;
	}

	private static String text(Random random) {
		return text(random, "abkKAB1 c\t");
	}

	private static String text(Random random, String alphabet) {
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(12);
		for (int i = 0; i < length; i++) {
			text.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return text.toString();
	}

}
