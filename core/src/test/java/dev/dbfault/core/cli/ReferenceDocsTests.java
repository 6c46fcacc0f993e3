package dev.dbfault.core.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.testdb.GeneratedDocs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The references in {@code docs/reference/} that the engine's own descriptions generate:
 * every fault type with its parameters (from the catalog, {@link FaultType}) and the command
 * line's {@code --help}. Each is checked in step here, and rewritten with
 * {@code -Ddbfault.docs.update=true}.
 */
class ReferenceDocsTests {

	private static final Path REFERENCE = Path.of("..", "docs", "reference");

	private static final List<FaultParameter> COMMON = List.of(FaultType.DIRECTION, FaultType.PROBABILITY,
			FaultType.PER, FaultType.TIMES, FaultType.AFTER, FaultType.DURATION, FaultType.START_AFTER, FaultType.SEED);

	private static final List<FaultParameter> TARGETS = List.of(FaultType.APPLICATION_NAME, FaultType.USER,
			FaultType.DATABASE, FaultType.BACKEND_PID, FaultType.IN_TRANSACTION, FaultType.STATEMENT_INDEX);

	@Test
	void theFaultReferenceIsTheCatalogs() {
		GeneratedDocs.assertInSync(REFERENCE.resolve("faults.md"), "fault types", faultTypes());
		GeneratedDocs.assertInSync(REFERENCE.resolve("faults.md"), "common options", parameterTable(COMMON));
		GeneratedDocs.assertInSync(REFERENCE.resolve("faults.md"), "targets", parameterTable(TARGETS));
	}

	@Test
	void theCommandLineReferenceIsItsHelp() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int status = FaultProxyMain.run(new String[] { "--help" }, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new CountDownLatch(1));
		assertThat(status).isZero();
		GeneratedDocs.assertInSync(REFERENCE.resolve("cli.md"), "help",
				"```\n" + out.toString(StandardCharsets.UTF_8).stripTrailing() + "\n```");
	}

	private static String faultTypes() {
		StringBuilder text = new StringBuilder();
		for (FaultType.Category category : FaultType.Category.values()) {
			text.append("\n## ").append(capitalized(category.description())).append("\n");
			for (FaultType type : FaultType.values()) {
				if (type.category() != category) {
					continue;
				}
				text.append("\n### `").append(type.id()).append("`\n\n").append(capitalized(type.description()))
					.append(". One event is ").append(article(type.event().noun())).append(".");
				if (type.isDirectional()) {
					text.append(" Acts ").append(type.defaultDirection().name().toLowerCase(Locale.ROOT))
						.append(" unless `direction` says otherwise.");
				}
				if (type.isPostgres()) {
					text.append(" Needs a PostgreSQL proxy.");
				}
				text.append("\n\n");
				if (!type.parameters().isEmpty()) {
					text.append(parameterTable(type.parameters())).append("\n");
				}
				List<String> options = new ArrayList<>();
				for (FaultParameter parameter : type.allParameters()) {
					if (!type.parameters().contains(parameter)) {
						options.add("`" + parameter.name() + "`");
					}
				}
				text.append("Also takes ").append(String.join(", ", options)).append(".\n");
			}
		}
		return text.toString();
	}

	private static String parameterTable(List<FaultParameter> parameters) {
		StringBuilder text = new StringBuilder("| parameter | kind | default | accepts | meaning |\n|---|---|---|---|---|\n");
		for (FaultParameter parameter : parameters) {
			Object value = parameter.defaultAsWritten();
			String defaultText = parameter.required() ? "required" : (value != null) ? "`" + value + "`" : "—";
			String example = (parameter.example() != null) ? " (e.g. `" + parameter.example() + "`)" : "";
			text.append("| `").append(parameter.name()).append("` | ")
				.append(parameter.kind().name().toLowerCase(Locale.ROOT)).append(" | ")
				.append(defaultText).append(" | ")
				.append(cell(parameter.range())).append(" | ")
				.append(cell(parameter.description())).append(example).append(" |\n");
		}
		return text.toString();
	}

	private static String cell(String text) {
		return text.replace("|", "\\|");
	}

	private static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private static String article(String noun) {
		return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
	}

}
