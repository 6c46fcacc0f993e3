package dev.dbfault.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.dbfault.core.fault.FaultScenario;
import dev.dbfault.testdb.Docs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation (README.md, CONTRIBUTING.md, docs/) stays true: every Java sample in it
 * is a test that runs — each {@code ```java} block is, word for word, a source file of
 * {@code dev.dbfault.it.app.readme} without its package line, and each of those files is
 * shown somewhere — and every relative link leads to a file, and every anchor to a heading.
 */
class DocumentationTests {

	private static final Path SAMPLES = Path.of("src", "test", "java", "dev", "dbfault", "it", "app", "readme");

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	@Test
	void everyJavaSampleIsATestSourceWordForWord() throws IOException {
		List<String> samples = Docs.blocks("java").stream().map(String::strip).toList();
		List<String> sources = sampleSources();
		assertThat(samples).as("Java samples in the documentation").isNotEmpty();
		for (String sample : samples) {
			assertThat(sources).as("a file in %s holding the sample starting %s", SAMPLES,
					sample.lines().limit(3).toList())
				.contains(sample);
		}
		assertThat(samples).as("every sample file in %s is shown in the documentation", SAMPLES).containsAll(sources);
	}

	@Test
	void everyIncidentRecipePageShowsItsScenarioFileAndTheCommandThatInjectsItAsRun() throws IOException {
		Path recipes = Docs.file("docs/incidents");
		String index = Files.readString(recipes.resolve("README.md"));
		List<Path> files;
		try (Stream<Path> listed = Files.list(recipes)) {
			files = listed.filter((path) -> path.toString().endsWith(".json")).sorted().toList();
		}
		assertThat(files).extracting((path) -> path.getFileName().toString())
			.contains("failover.json", "planned-restart.json", "credential-rotation.json", "connection-storm.json",
					"slow-disk.json");
		Pattern command = Pattern.compile("`curl -XPOST -d '([^']+)' localhost:8080/actuator/dbfault/dataSource/scenario`");
		for (Path file : files) {
			String name = file.getFileName().toString().replace(".json", "");
			String json = Files.readString(file);
			FaultScenario scenario = FaultScenario.parseJson(json);
			assertThat(scenario.id()).as("the id of " + file).isEqualTo(name);
			String page = Files.readString(recipes.resolve(name + ".md"));
			assertThat(page).as(name + ".md shows its file").contains("```json\n" + json.strip() + "\n```");
			Matcher matcher = command.matcher(page);
			assertThat(matcher.find()).as(name + ".md gives the command").isTrue();
			assertThat(FaultScenario.parseJson(matcher.group(1))).as(name + ".md's command").isEqualTo(scenario);
			assertThat(page).contains("`curl -XDELETE localhost:8080/actuator/dbfault/dataSource/" + name + "`");
			assertThat(index).as("the recipes' index links " + name).contains("](" + name + ".md)");
		}
	}

	@Test
	void theReadmesFirstTestIsItsFirstJavaSample() throws IOException {
		String first = Docs.blocks("java").get(0);   // README.md's first, as README.md comes first
		assertThat(first.strip()).isEqualTo(source(SAMPLES.resolve("FirstRecoveryTests.java")));
		assertThat(first).as("the first test uses shipped classes only").doesNotContain("dev.dbfault.it");
	}

	@Test
	void theRecommendedPoolSettingsAreTheOnesTheSampleRunsWith() throws IOException {
		List<String> blocks = Docs.blocks("properties").stream()
			.filter((block) -> block.startsWith("spring.datasource"))
			.toList();
		assertThat(blocks).as("the recommended pool settings").isNotEmpty();
		String sample = Files.readString(SAMPLES.resolve("CheckoutRecoveryTests.java"));
		for (String block : blocks) {
			for (String line : block.strip().split("\n")) {
				assertThat(sample).contains("\"" + line + "\"");
			}
		}
	}

	@Test
	void everyRelativeLinkLeadsToAFileAndEveryAnchorToAHeading() {
		List<String> broken = new ArrayList<>();
		for (Map.Entry<Path, String> page : Docs.pages().entrySet()) {
			Matcher matcher = LINK.matcher(withoutCode(page.getValue()));
			while (matcher.find()) {
				String link = matcher.group(1);
				if (link.matches("[a-z]+:.*")) {
					continue;
				}
				String file = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
				String anchor = link.contains("#") ? link.substring(link.indexOf('#') + 1) : null;
				Path target = file.isEmpty() ? page.getKey()
						: Path.of(page.getKey().toString()).resolveSibling(file).normalize();
				if (!Files.exists(Docs.file(target.toString()))) {
					broken.add(page.getKey() + ": " + link + " (no file " + target + ")");
				}
				else if (anchor != null && !anchors(Docs.file(target.toString())).contains(anchor)) {
					broken.add(page.getKey() + ": " + link + " (no heading #" + anchor + " in " + target + ")");
				}
			}
		}
		assertThat(broken).as("broken links").isEmpty();
	}

	@Test
	void everyVersionOfDbfaultTheDocumentationNamesIsThisOne() throws IOException {
		Matcher project = Pattern.compile("<version>(.*?)</version>").matcher(Files.readString(Docs.file("pom.xml")));
		assertThat(project.find()).isTrue();
		Pattern named = Pattern.compile("dbfault-[a-z-]+[:-](\\d+\\.\\d+\\.\\d+[\\w.-]*?)(?:\\.jar|[`\\s)])"
				+ "|<artifactId>dbfault-[a-z-]+</artifactId>\\s*<version>(.*?)</version>");
		List<String> namedVersions = new ArrayList<>();
		for (Map.Entry<Path, String> page : Docs.pages().entrySet()) {
			Matcher matcher = named.matcher(page.getValue());
			while (matcher.find()) {
				String version = (matcher.group(1) != null) ? matcher.group(1) : matcher.group(2);
				namedVersions.add(page.getKey() + ": " + version);
				assertThat(version).as("%s: %s", page.getKey(), matcher.group()).isEqualTo(project.group(1));
			}
		}
		assertThat(namedVersions).as("versions named in the documentation").hasSizeGreaterThanOrEqualTo(4);
	}

	private static Set<String> anchors(Path page) {
		Set<String> anchors = new HashSet<>();
		try {
			for (String line : withoutCode(Files.readString(page)).split("\n")) {
				if (line.startsWith("#")) {
					String heading = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
					anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return anchors;
	}

	private static String withoutCode(String markdown) {
		return markdown.replaceAll("(?ms)^```.*?^```$", "");
	}

	private static List<String> sampleSources() throws IOException {
		try (Stream<Path> files = Files.list(SAMPLES)) {
			List<String> sources = new ArrayList<>();
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				sources.add(source(file));
			}
			return sources;
		}
	}

	private static String source(Path file) throws IOException {
		String source = Files.readString(file);
		assertThat(source).as(file.toString()).startsWith("package dev.dbfault.it.app.readme;\n\n");
		return source.substring("package dev.dbfault.it.app.readme;\n\n".length()).strip();
	}

}
