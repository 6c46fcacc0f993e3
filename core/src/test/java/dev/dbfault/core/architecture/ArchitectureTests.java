package dev.dbfault.core.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.dbfault.core.internal.text.LinearPattern;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The structure of the core jar: packages without cycles, the fault units written against
 * their narrow context only, no Spring anywhere.
 */
class ArchitectureTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.dbfault.core");

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("dev.dbfault.(**)").should().beFreeOfCycles().check(classes);
	}

	@Test
	void coreIsFreeOfSpring() {
		noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(classes);
	}

	@Test
	void coreUsesTheJdkAndRe2jOnlyAndRe2jInOnePlace() {
		classes().that()
			.resideInAPackage("dev.dbfault.core..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java..", "javax..", "com.sun.net.httpserver..", "dev.dbfault.core..",
					"com.google.re2j..")
			.check(classes);
		noClasses().that()
			.doNotHaveFullyQualifiedName(LinearPattern.class.getName())
			.should()
			.dependOnClassesThat()
			.resideInAPackage("com.google.re2j..")
			.check(classes);
	}

	@Test
	void faultUnitsSeeOnlyTheirContextAndTheModel() {
		noClasses().that()
			.resideInAPackage("dev.dbfault.core.internal.fault")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.dbfault.core.internal", "dev.dbfault.core.internal.pg", "dev.dbfault.core",
					"dev.dbfault.core.cli", "dev.dbfault.core.jdbc", "java.net..", "java.nio.channels..")
			.check(classes);
	}

	@Test
	void theFaultModelDoesNotKnowTheEngine() {
		noClasses().that()
			.resideInAPackage("dev.dbfault.core.fault")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.dbfault.core", "dev.dbfault.core.internal", "dev.dbfault.core.internal.fault",
					"dev.dbfault.core.internal.pg")
			.check(classes);
	}

	@Test
	void theToxiproxyApiDrivesProxiesThroughTheirPublicApiOnly() {
		noClasses().that()
			.resideInAPackage("dev.dbfault.core.toxiproxy")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.dbfault.core.internal", "dev.dbfault.core.internal.fault",
					"dev.dbfault.core.internal.pg")
			.check(classes);
		noClasses().that()
			.resideOutsideOfPackages("dev.dbfault.core.toxiproxy", "dev.dbfault.core.cli")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.dbfault.core.toxiproxy")
			.check(classes);
	}

	@Test
	void theProtocolLayerSeesNoFaultUnit() {
		noClasses().that()
			.resideInAPackage("dev.dbfault.core.internal.pg")
			.should()
			.dependOnClassesThat()
			.haveSimpleNameEndingWith("Fault")
			.check(classes);
	}

	@Test
	void aMainFileOver600LinesSaysWhyAtItsTop() throws IOException {
		List<String> unexplained;
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			unexplained = sources.filter((path) -> path.toString().endsWith(".java")).filter((path) -> {
				try {
					List<String> lines = Files.readAllLines(path);
					return lines.size() > 600
							&& lines.stream().limit(120).noneMatch((line) -> line.contains("Why this file is long:"));
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}).map(Path::toString).toList();
		}
		assertThat(unexplained).as("files over 600 lines with no 'Why this file is long:' in their class comment")
			.isEmpty();
	}

	@Test
	void coreMessagesNameNoSpringProperty() throws IOException {
		Pattern property = Pattern.compile("\"[^\"]*\\bdbfault\\.[a-z][a-z-]*(\\.[a-z-]+)*\\s*=?[^\"]*\"");
		List<String> found;
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			found = sources.filter((path) -> path.toString().endsWith(".java")).flatMap((path) -> {
				try {
					return Files.readAllLines(path).stream()
						.filter((line) -> !line.contains("dev.dbfault") && !line.contains("getLogger"))
						.filter((line) -> {
							Matcher matcher = property.matcher(line);
							return matcher.find();
						})
						.map((line) -> path + ": " + line.trim());
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}).toList();
		}
		assertThat(found).as("string literals in core naming a Spring Boot property (dbfault.*)").isEmpty();
	}

}
