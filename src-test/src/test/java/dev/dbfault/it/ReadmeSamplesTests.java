package dev.dbfault.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java sample in the README is a test that runs: each {@code ```java} block is, word
 * for word, a source file of {@code dev.dbfault.it.app.readme} without its package line,
 * and each of those files is shown in the README. A sample edited in one place and not the
 * other fails here; a sample that stops compiling or passing fails the build.
 */
class ReadmeSamplesTests {

	private static final Path README = Path.of("..", "README.md");

	private static final Path SAMPLES = Path.of("src", "test", "java", "dev", "dbfault", "it", "app", "readme");

	private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```$", Pattern.DOTALL);

	@Test
	void everyJavaSampleInTheReadmeIsATestSourceWordForWord() throws IOException {
		List<String> samples = readmeJavaBlocks();
		List<String> sources = sampleSources();
		assertThat(samples).as("Java samples in README.md").isNotEmpty();
		for (String sample : samples) {
			assertThat(sources).as("a file in %s holding the README sample starting %s", SAMPLES,
					sample.lines().limit(3).toList())
				.contains(sample);
		}
		assertThat(samples).as("every sample file in %s is shown in the README", SAMPLES).containsAll(sources);
	}

	@Test
	void theRecommendedPoolSettingsAreTheOnesTheSampleRunsWith() throws IOException {
		Matcher matcher = Pattern.compile("(?ms)^```properties\\n(spring\\.datasource.*?)^```$")
			.matcher(Files.readString(README));
		assertThat(matcher.find()).as("the README's recommended pool settings").isTrue();
		String sample = Files.readString(SAMPLES.resolve("CheckoutRecoveryTests.java"));
		for (String line : matcher.group(1).strip().split("\n")) {
			assertThat(sample).contains("\"" + line + "\"");
		}
	}

	private static List<String> readmeJavaBlocks() throws IOException {
		List<String> blocks = new ArrayList<>();
		Matcher matcher = JAVA_BLOCK.matcher(Files.readString(README));
		while (matcher.find()) {
			blocks.add(matcher.group(1).strip());
		}
		return blocks;
	}

	private static List<String> sampleSources() throws IOException {
		try (Stream<Path> files = Files.list(SAMPLES)) {
			List<String> sources = new ArrayList<>();
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				String source = Files.readString(file);
				assertThat(source).as(file.toString()).startsWith("package dev.dbfault.it.app.readme;\n\n");
				sources.add(source.substring("package dev.dbfault.it.app.readme;\n\n".length()).strip());
			}
			return sources;
		}
	}

}
