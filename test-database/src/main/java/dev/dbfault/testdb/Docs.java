package dev.dbfault.testdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's documentation as the tests that keep it true read it: README.md first, then
 * CONTRIBUTING.md, then every page under {@code docs/}, in path order. Each module's tests
 * run in the module's folder, so the repository is its parent.
 */
public final class Docs {

	/** The repository's root: the parent of a module's folder, or of a {@code boot3/} module's parent. */
	private static final Path ROOT = Files.isDirectory(Path.of("..", "docs")) ? Path.of("..") : Path.of("..", "..");

	private Docs() {
	}

	/**
	 * Returns every documentation page and its text, README.md first.
	 * @return the pages by their path from the repository's root
	 */
	public static Map<Path, String> pages() {
		Map<Path, String> pages = new LinkedHashMap<>();
		try {
			for (String top : List.of("README.md", "CONTRIBUTING.md")) {
				pages.put(Path.of(top), Files.readString(ROOT.resolve(top)));
			}
			try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
				for (Path file : files.filter((path) -> path.toString().endsWith(".md")).sorted().toList()) {
					pages.put(ROOT.relativize(file), Files.readString(file));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return pages;
	}

	/**
	 * Returns the fenced code blocks of one language in every page, in page order.
	 * @param language the word after the opening fence, such as {@code java}
	 * @return the blocks' contents, without their fences
	 */
	public static List<String> blocks(String language) {
		List<String> blocks = new ArrayList<>();
		Pattern fence = Pattern.compile("(?ms)^```" + Pattern.quote(language) + "\\n(.*?)^```$");
		for (String text : pages().values()) {
			Matcher matcher = fence.matcher(text);
			while (matcher.find()) {
				blocks.add(matcher.group(1));
			}
		}
		return blocks;
	}

	/**
	 * Returns the path of a file of the repository, for reading it beside the pages.
	 * @param relative the path from the repository's root
	 * @return the path from the module's folder
	 */
	public static Path file(String relative) {
		return ROOT.resolve(relative);
	}

}
