package dev.dbfault.testdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.opentest4j.AssertionFailedError;

/**
 * Keeps a generated part of a documentation page in step with what it is generated from
 * (the fault catalog, the configuration metadata, the command line's help). The part lies
 * between two markers in the page, so the prose around it stays hand-written:
 *
 * <pre>
 * &lt;!-- generated: faults --&gt;
 * ...
 * &lt;!-- end generated: faults --&gt;
 * </pre>
 *
 * The test that generates it fails when the page holds something else, and rewrites the part
 * instead when run with {@code -Ddbfault.docs.update=true}.
 */
public final class GeneratedDocs {

	private static final String UPDATE = "dbfault.docs.update";

	private GeneratedDocs() {
	}

	/**
	 * Checks that the part named {@code name} of {@code page} is {@code generated}, or
	 * rewrites it under {@code -Ddbfault.docs.update=true}.
	 * @param page the Markdown page
	 * @param name the part's name, as in its markers
	 * @param generated what the part must hold
	 * @throws AssertionFailedError when the page is out of step, naming the page and how to
	 * bring it in step
	 */
	public static void assertInSync(Path page, String name, String generated) {
		String begin = "<!-- generated: " + name + " -->\n";
		String end = "<!-- end generated: " + name + " -->";
		try {
			String text = Files.readString(page);
			int from = text.indexOf(begin);
			int to = text.indexOf(end);
			if (from < 0 || to < from) {
				throw new AssertionFailedError(page + " has no part between '" + begin.strip() + "' and '" + end + "'");
			}
			String expected = generated.strip() + "\n";
			String actual = text.substring(from + begin.length(), to);
			if (actual.equals(expected)) {
				return;
			}
			if (Boolean.getBoolean(UPDATE)) {
				Files.writeString(page, text.substring(0, from + begin.length()) + expected + text.substring(to));
				return;
			}
			throw new AssertionFailedError(page + ": the part '" + name + "' is not what its source generates; run the "
					+ "test with -D" + UPDATE + "=true to rewrite it, and commit the page", expected, actual);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
