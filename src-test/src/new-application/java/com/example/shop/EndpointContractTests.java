package com.example.shop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

import dev.dbfault.test.AutoConfigureDbFault;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The actuator endpoint's contract as a new web application meets it over HTTP, with the
 * README's properties that open it. dbfault's build writes this file into the new application
 * of each Spring Boot line unchanged: both lines answer the same.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:readme-endpoint.properties")   // the README's, to open the endpoint
@AutoConfigureDbFault
class EndpointContractTests {

    static final EmbeddedPostgres postgres = start();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres") + "&socketTimeout=5");
    }

    final HttpClient http = HttpClient.newHttpClient();

    @Autowired Environment environment;
    @Autowired JdbcTemplate jdbc;

    @Test
    void listsTheProxyOfTheDataSource() {
        String body = expect("GET", "", null, 200);
        assertThat(body).contains("\"dataSource\"", "\"protocol\"", "postgresql");
        assertThat(body).doesNotContain("faultTypes");
        assertThat(expect("GET", "?include=faultTypes", null, 200)).contains("faultTypes", "sql-error", "drop-on");
        assertThat(expect("GET", "/dataSource", null, 200)).contains("\"dataSource\"");
    }

    @Test
    void aFaultIsInjectedListedAndRemoved() {
        String created = expect("POST", "/dataSource/latency", "{\"id\":\"slow\",\"latency\":\"50ms\"}", 200);
        assertThat(created).matches(field("id", "slow")).contains("50ms");
        assertThat(expect("GET", "/dataSource", null, 200)).matches(field("id", "slow"));
        expect("DELETE", "/dataSource/slow", null, 200);
        assertThat(expect("GET", "/dataSource", null, 200)).doesNotMatch(field("id", "slow"));
    }

    @Test
    void aScenarioIsInjectedAllOrNoneListedWithItsIdAndRemovedByIt() {
        String bad = "{\"id\":\"storm\",\"steps\":[{\"type\":\"latency\",\"latency\":\"5ms\"},{\"type\":\"login-error\",\"sqlState\":\"0\"}]}";
        assertThat(expect("POST", "/dataSource/scenario", bad, 400)).matches(field("parameter", "steps[1].sqlState"));
        assertThat(expect("GET", "/dataSource", null, 200)).contains("\"faults\":[]");
        String good = "{\"id\":\"storm\",\"steps\":[{\"type\":\"latency\",\"latency\":\"5ms\"},{\"type\":\"login-error\",\"sqlState\":\"53300\",\"startAfter\":\"1h\"}]}";
        assertThat(expect("POST", "/dataSource/scenario", good, 200)).matches(field("scenario", "storm"));
        String listed = expect("GET", "/dataSource", null, 200);
        assertThat(listed).matches(field("id", "storm.0")).matches(field("id", "storm.1")).matches(field("scenario", "storm"));
        expect("DELETE", "/dataSource/storm", null, 200);
        assertThat(expect("GET", "/dataSource", null, 200)).contains("\"faults\":[]");
    }

    @Test
    void anInjectedSqlErrorReachesTheApplicationAndTheJournal() {
        expect("POST", "/dataSource/sql-error", "{\"match\":\"(?i)^select 2\",\"sqlState\":\"40001\",\"times\":1}", 200);
        assertThatThrownBy(() -> jdbc.queryForObject("select 2", Integer.class))
            .isInstanceOf(CannotAcquireLockException.class);
        assertThat(jdbc.queryForObject("select 2", Integer.class)).isEqualTo(2);
        assertThat(expect("GET", "/dataSource/journal", null, 200)).contains("select 2", "40001");
    }

    @Test
    void badRequestsAreRefusedNamingWhatWasWrongAndApplyNothing() {
        assertThat(expect("POST", "/dataSource/latency", "{\"jiter\":\"1ms\"}", 400)).matches(field("parameter", "jiter"));
        assertThat(expect("POST", "/dataSource/latency", "{\"latency\":\"10\"}", 400)).matches(field("parameter", "latency"));
        assertThat(expect("POST", "/dataSource/latency", "{\"latency\":123}", 400)).matches(field("parameter", "latency"));
        assertThat(expect("POST", "/dataSource/sql-error", "{\"match\":\"(a\"}", 400)).matches(field("parameter", "match"));
        assertThat(expect("POST", "/dataSource/sql-error", "{\"match\":\"x\",\"sqlState\":\"00000\"}", 400)).matches(field("parameter", "sqlState"));
        assertThat(expect("POST", "/dataSource/reset", "{\"times\":0}", 400)).matches(field("parameter", "times"));
        assertThat(expect("POST", "/dataSource/latency", "[]", 400)).contains("object");
        assertThat(expect("POST", "/dataSource/latency", "{\"latency\":", 400)).contains("message");
        assertThat(expect("POST", "/dataSource/latency?latency=1s", null, 400)).contains("latency");
        assertThat(expect("GET", "?bogus=1", null, 400)).contains("bogus");
        assertThat(expect("GET", "/dataSource/journal?limit=x", null, 400)).matches(field("parameter", "limit"));
        assertThat(expect("POST", "/dataSource/nope", "{}", 404)).contains("nope", "latency");
        assertThat(expect("POST", "/nowhere/reset", "{}", 404)).contains("nowhere", "dataSource");
        expect("GET", "/nowhere", null, 404);
        expect("PUT", "", "{}", 405);
        assertThat(expect("GET", "/dataSource", null, 200)).contains("\"faults\":[]");
    }

    @Test
    void healingRemovesEveryFaultAndHealthShowsTheProxy() {
        expect("POST", "/dataSource/latency", "{\"latency\":\"20ms\"}", 200);
        expect("POST", "/dataSource/sql-error", "{\"match\":\"never\"}", 200);
        expect("DELETE", "", null, 200);
        assertThat(expect("GET", "/dataSource", null, 200)).contains("\"faults\":[]");
        HttpResponse<String> health = send("GET", "/actuator/health", null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("dbfault", "UP");
    }

    @AfterEach
    void heal() {
        expect("DELETE", "", null, 200);
    }

    String expect(String method, String path, String body, int status) {
        HttpResponse<String> response = send(method, "/actuator/dbfault" + path, body);
        assertThat(response.statusCode()).as(method + " " + path + " " + body + " answered " + response.body())
            .isEqualTo(status);
        return response.body();
    }

    HttpResponse<String> send(String method, String path, String body) {
        String base = "http://127.0.0.1:" + environment.getProperty("local.server.port");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
            .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    static Pattern field(String name, String value) {
        return Pattern.compile("(?s).*\"" + name + "\"\\s*:\\s*\"" + Pattern.quote(value) + "\".*");
    }

    static EmbeddedPostgres start() {
        try { return EmbeddedPostgres.start(); } catch (IOException ex) { throw new UncheckedIOException(ex); }
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }
}
