package dev.dbfault.autoconfigure;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dbfault.testdb.Docs;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * "Add dbfault to your application" as the README writes it: the dependencies it names are
 * this project's starter and, in test scope, its test support, declared as the demo app
 * declares them; and an application with exactly its properties block has the endpoint (a
 * POST with no body and no Content-Type injects) and a health component.
 */
class ReadmeSetupTests {

	private static final Path README = Path.of("..", "README.md");

	private static final Pattern DEPENDENCY = Pattern.compile("(?s)<dependency>(.*?)</dependency>");

	private static String block(String language, int index) throws IOException {
		Matcher matcher = Pattern.compile("(?ms)^```" + language + "\\n(.*?)^```$").matcher(Files.readString(README));
		List<String> blocks = new ArrayList<>();
		while (matcher.find()) {
			blocks.add(matcher.group(1));
		}
		return blocks.get(index);
	}

	@Test
	void theDependenciesAreTheStarterAndTheTestSupportInTestScopeAtThisVersion() throws IOException {
		List<Dependency> readme = dependencies(block("xml", 0));
		String version = Dependency.tag(Files.readString(Path.of("..", "pom.xml")), "version");
		assertThat(readme).containsExactly(new Dependency("dev.dbfault", "dbfault-spring-boot-starter", version, null),
				new Dependency("dev.dbfault", "dbfault-spring-boot-test", version, "test"));
		for (String module : List.of("starter", "test-support")) {
			String pom = Files.readString(Path.of("..", module, "pom.xml"));
			assertThat(readme).extracting(Dependency::artifactId).contains(Dependency.tag(pom, "artifactId", 1));
		}
	}

	@Test
	void theDemoAppDeclaresTheReadmesDependenciesWithTheSameScopes() throws IOException {
		List<Dependency> demo = dependencies(Files.readString(Path.of("..", "demo-app", "pom.xml"))).stream()
			.filter((dependency) -> "dev.dbfault".equals(dependency.groupId()))
			// the suites' database and documentation helpers, not something an application adds
			.filter((dependency) -> !"dbfault-test-database".equals(dependency.artifactId()))
			.toList();
		assertThat(demo).extracting(Dependency::artifactId, Dependency::scope)
			.containsExactlyElementsOf(dependencies(block("xml", 0)).stream()
				.map((dependency) -> tuple(dependency.artifactId(), dependency.scope()))
				.toList());
	}

	@Test
	void anApplicationWithTheReadmePropertiesHasTheEndpointAndAHealthComponent() throws Exception {
		Properties readme = new Properties();
		readme.load(new StringReader(block("properties", 0)));
		assertThat(readme).containsKey("dbfault.enabled");
		List<String> properties = new ArrayList<>();
		readme.forEach((name, value) -> properties.add(name + "=" + value));
		TestDatabase database = TestDatabase.get();
		properties.addAll(List.of("server.port=0", "server.address=127.0.0.1"));
		properties.addAll(List.of(database.springPropertyValues()));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.properties(properties.toArray(String[]::new))
			.run()) {
			String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
			HttpClient http = HttpClient.newHttpClient();
			HttpResponse<String> reset = http.send(
					HttpRequest.newBuilder(URI.create(base + "/actuator/dbfault/dataSource/reset"))
						.POST(HttpRequest.BodyPublishers.noBody())
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
			HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			Map<String, Object> json = JsonParserFactory.getJsonParser().parseMap(health.body());
			assertThat(json).as(health.body()).containsKey("components");
			assertThat(((Map<?, ?>) json.get("components")).containsKey("dbfault")).as(health.body()).isTrue();
		}
	}

	@Test
	void theReadmesToxiproxyPropertiesAnswerToxiproxysApiWithTheDataSourcesProxy() throws Exception {
		Properties readme = new Properties();
		String block = Docs.blocks("properties").stream()
			.filter((candidate) -> candidate.startsWith("dbfault.toxiproxy-api"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no Toxiproxy properties block in the documentation"));
		readme.load(new StringReader(block));
		assertThat(readme).containsEntry("dbfault.toxiproxy-api.enabled", "true");
		List<String> properties = new ArrayList<>();
		readme.forEach((name, value) -> properties.add(name + "=" + value));
		// the README's port, 8474, may be taken on a build machine: the test takes a free one
		properties.addAll(List.of("dbfault.enabled=true", "dbfault.toxiproxy-api.port=0", "server.port=0",
				"server.address=127.0.0.1"));
		properties.addAll(List.of(TestDatabase.get().springPropertyValues()));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.properties(properties.toArray(String[]::new))
			.run()) {
			String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.dbfault.toxiproxy-api.port");
			HttpResponse<String> proxies = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(base + "/proxies")).build(), HttpResponse.BodyHandlers.ofString());
			assertThat(proxies.statusCode()).isEqualTo(200);
			assertThat(JsonParserFactory.getJsonParser().parseMap(proxies.body())).containsOnlyKeys("dataSource");
		}
	}

	private static List<Dependency> dependencies(String xml) {
		Matcher matcher = DEPENDENCY.matcher(xml);
		List<Dependency> dependencies = new ArrayList<>();
		while (matcher.find()) {
			String dependency = matcher.group(1);
			dependencies.add(new Dependency(Dependency.tag(dependency, "groupId"), Dependency.tag(dependency, "artifactId"),
					Dependency.tag(dependency, "version"), Dependency.tag(dependency, "scope")));
		}
		return dependencies;
	}

	record Dependency(String groupId, String artifactId, String version, String scope) {

		static String tag(String xml, String name) {
			return tag(xml, name, 0);
		}

		/**
		 * Returns the text of the {@code index}th element of that name, or {@code null}.
		 */
		static String tag(String xml, String name, int index) {
			Matcher matcher = Pattern.compile("<" + name + ">(.*?)</" + name + ">").matcher(xml);
			for (int i = 0; matcher.find(); i++) {
				if (i == index) {
					return matcher.group(1).strip();
				}
			}
			return null;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
