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

import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Add dbfault to your application" as the README writes it: the dependency it names is
 * this project's starter, and an application with exactly its properties block has the
 * endpoint (a POST with no body and no Content-Type injects) and a health component.
 */
class ReadmeSetupTests {

	private static final Path README = Path.of("..", "README.md");

	private static String block(String language, int index) throws IOException {
		Matcher matcher = Pattern.compile("(?ms)^```" + language + "\\n(.*?)^```$").matcher(Files.readString(README));
		List<String> blocks = new ArrayList<>();
		while (matcher.find()) {
			blocks.add(matcher.group(1));
		}
		return blocks.get(index);
	}

	@Test
	void theDependencyIsTheStarterAtThisVersion() throws IOException {
		String xml = block("xml", 0);
		String pom = Files.readString(Path.of("..", "starter", "pom.xml"));
		assertThat(xml).contains("<groupId>dev.dbfault</groupId>", "<artifactId>dbfault-spring-boot-starter</artifactId>");
		String version = xml.replaceAll("(?s).*<version>(.*?)</version>.*", "$1");
		assertThat(pom).contains("<artifactId>dbfault-spring-boot-starter</artifactId>").contains("<version>" + version + "</version>");
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

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
