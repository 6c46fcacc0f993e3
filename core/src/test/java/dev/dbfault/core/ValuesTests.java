package dev.dbfault.core;

import java.time.Duration;

import dev.dbfault.core.internal.text.Values;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ValuesTests {

	@Test
	void parsesDurationsWithEveryUnit() {
		assertThat(Values.duration("500ns")).isEqualTo(Duration.ofNanos(500));
		assertThat(Values.duration("250us")).isEqualTo(Duration.ofNanos(250_000));
		assertThat(Values.duration("250ms")).isEqualTo(Duration.ofMillis(250));
		assertThat(Values.duration("2s")).isEqualTo(Duration.ofSeconds(2));
		assertThat(Values.duration("3m")).isEqualTo(Duration.ofMinutes(3));
		assertThat(Values.duration("1h")).isEqualTo(Duration.ofHours(1));
		assertThat(Values.duration("1d")).isEqualTo(Duration.ofDays(1));
		assertThat(Values.duration(" 10ms ")).isEqualTo(Duration.ofMillis(10));
		assertThat(Values.duration("0")).isZero();
		assertThat(Values.duration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
		assertThat(Values.duration(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(4));
		assertThat(Values.duration(12)).isEqualTo(Duration.ofMillis(12));
	}

	@Test
	void parsesSizesAsBinaryMultiples() {
		assertThat(Values.size("512B")).isEqualTo(512);
		assertThat(Values.size("64KB")).isEqualTo(64 * 1024);
		assertThat(Values.size("2mb")).isEqualTo(2 * 1024 * 1024);
		assertThat(Values.size("1GB")).isEqualTo(1L << 30);
		assertThat(Values.size(100)).isEqualTo(100);
	}

	@Test
	void explainsWhatItCannotParse() {
		assertThatIllegalArgumentException().isThrownBy(() -> Values.duration("2 seconds"))
			.withMessage("cannot parse '2 seconds' as a duration (use e.g. 250ms, 2s, 1m)");
		assertThatIllegalArgumentException().isThrownBy(() -> Values.size("1.5MB"))
			.withMessage("cannot parse '1.5MB' as a size (use e.g. 512B, 64KB, 1MB)");
		assertThatIllegalArgumentException().isThrownBy(() -> Values.count("many"))
			.withMessage("cannot parse 'many' as a whole number");
		assertThatIllegalArgumentException().isThrownBy(() -> Values.duration(1.5)).withMessageContaining("whole number");
	}

	@Test
	void formatsDurationsInTheirShortestExactForm() {
		assertThat(Values.format(Duration.ZERO)).isEqualTo("0ms");
		assertThat(Values.format(Duration.ofMillis(250))).isEqualTo("250ms");
		assertThat(Values.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
		assertThat(Values.format(Duration.ofSeconds(2))).isEqualTo("2s");
		assertThat(Values.format(Duration.ofMinutes(10))).isEqualTo("10m");
		assertThat(Values.format(Duration.ofHours(2))).isEqualTo("2h");
		assertThat(Values.format(Duration.ofNanos(1500))).isEqualTo("1500ns");
		assertThat(Values.format(Duration.ofNanos(3000))).isEqualTo("3us");
	}

	@Test
	void formatsAndParsesDurationsRoundTrip() {
		for (Duration duration : new Duration[] { Duration.ofMillis(7), Duration.ofSeconds(61), Duration.ofNanos(999) }) {
			assertThat(Values.duration(Values.format(duration))).isEqualTo(duration);
		}
	}

}
