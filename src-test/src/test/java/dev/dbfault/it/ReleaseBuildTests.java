package dev.dbfault.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a release publishes is declared, not remembered: the published modules (those that
 * attach sources and javadoc) each name their module; the BOM lists exactly them, at the
 * parent's version, with the parent's metadata; the files a release needs are there.
 */
class ReleaseBuildTests {

	private static final Path ROOT = Path.of("..");

	@Test
	void theBomListsEveryPublishedModuleAtTheParentsVersion() throws Exception {
		Element parent = pom(ROOT.resolve("pom.xml"));
		Element bom = pom(ROOT.resolve("bom/pom.xml"));
		String version = text(parent, "version");
		assertThat(text(bom, "version")).as("dbfault-bom's version").isEqualTo(version);
		Map<String, String> managed = new TreeMap<>();
		for (Element dependency : descendants(bom, "dependency")) {
			managed.put(text(dependency, "artifactId"), text(dependency, "version"));
		}
		Map<String, String> published = new TreeMap<>();
		publishedModules().forEach((module, pom) -> published.put(text(pom, "artifactId"), version));
		assertThat(published).as("published modules: core, and three per Spring Boot line").hasSize(7);
		assertThat(managed).as("what dbfault-bom manages").isEqualTo(published);
		for (String tag : List.of("url", "licenses", "scm", "developers")) {
			assertThat(child(bom, tag).getTextContent().strip()).as("dbfault-bom's <%s>", tag)
				.isEqualTo(child(parent, tag).getTextContent().strip());
		}
	}

	/**
	 * Each published jar names its module, once per Spring Boot line: a Spring Boot 3 jar holds
	 * the same packages as its Boot 4 counterpart, in place of it, so it has the same name.
	 */
	@Test
	void everyPublishedModuleNamesItsModuleAndShipsSourcesAndJavadoc() throws Exception {
		Map<String, String> boot4 = new TreeMap<>();
		Map<String, String> boot3 = new TreeMap<>();
		publishedModules().forEach((module, pom) -> {
			assertThat(text(pom, "name")).as("%s <name>", module).isNotBlank();
			assertThat(text(pom, "description")).as("%s <description>", module).isNotBlank();
			String name = text(child(pom, "properties"), "dbfault.module-name");
			assertThat(name).as("%s Automatic-Module-Name", module).matches("dev\\.dbfault(\\.[a-z]+)+");
			if (module.startsWith("boot3/")) {
				boot3.put(module.substring("boot3/".length()), name);
			}
			else {
				boot4.put(module, name);
			}
		});
		assertThat(boot4.values()).as("module names").doesNotHaveDuplicates();
		assertThat(boot3).as("the Spring Boot 3 line's module names").isNotEmpty()
			.allSatisfy((module, name) -> assertThat(name).as(module).isEqualTo(boot4.get(module)));
	}

	@Test
	void theFilesAReleaseNeedsAreThere() throws Exception {
		assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
		assertThat(Files.readString(ROOT.resolve("CHANGELOG.md"))).startsWith("# Changelog")
			.contains("## Unreleased — " + text(pom(ROOT.resolve("pom.xml")), "version").replace("-SNAPSHOT", ""));
		assertThat(ROOT.resolve("CONTRIBUTING.md")).isRegularFile();
	}

	/**
	 * The modules whose jars are published, by their path (the Spring Boot 3 line's under
	 * {@code boot3/}): each declares the sources plugin, or is a starter.
	 */
	private static Map<String, Element> publishedModules() throws Exception {
		Map<String, Element> published = new TreeMap<>();
		collectPublished("", published);
		return published;
	}

	private static void collectPublished(String directory, Map<String, Element> published) throws Exception {
		for (Element module : descendants(pom(ROOT.resolve(directory).resolve("pom.xml")), "module")) {
			String path = directory + module.getTextContent().strip();
			Path file = ROOT.resolve(path).resolve("pom.xml");
			String source = Files.readString(file);
			if (source.contains("<artifactId>maven-source-plugin</artifactId>")
					|| source.contains("<classifier>sources</classifier>")) {
				published.put(path, pom(file));
			}
			else if (source.contains("<modules>")) {
				collectPublished(path + "/", published);
			}
		}
	}

	private static Element pom(Path file) throws Exception {
		Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
		return document.getDocumentElement();
	}

	/** A direct child's text, or {@code null}. */
	private static String text(Element element, String tag) {
		Element child = child(element, tag);
		return (child != null) ? child.getTextContent().strip() : null;
	}

	private static Element child(Element element, String tag) {
		for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element child && child.getTagName().equals(tag)) {
				return child;
			}
		}
		return null;
	}

	private static List<Element> descendants(Element element, String tag) {
		NodeList nodes = element.getElementsByTagName(tag);
		List<Element> elements = new ArrayList<>();
		for (int i = 0; i < nodes.getLength(); i++) {
			elements.add((Element) nodes.item(i));
		}
		return elements;
	}

}
