package dev.dbfault.core;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.FaultConflictException;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.FaultScenario;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Scenarios: the steps of an incident injected together, all or none, listed under the
 * scenario's id, renewed together like a lease and removed together.
 */
class ScenarioTests {

	private static final String FAILOVER = """
			{"id": "failover", "steps": [
			  {"type": "reset"},
			  {"type": "login-error", "duration": "10s"},
			  {"type": "read-only", "startAfter": "1h"}
			]}""";

	private TestDatabase database;

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		this.database = TestDatabase.get();
		this.proxy = FaultProxy.builder()
			.name("incident")
			.upstream(this.database.host(), this.database.port())
			.protocol(Protocol.POSTGRESQL)
			.start();
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
	}

	@Test
	void everyStepIsAFaultNamedByTheScenarioAndItsIndex() {
		List<ActiveFault> steps = this.proxy.inject(FaultScenario.parseJson(FAILOVER));
		assertThat(steps).extracting(ActiveFault::id).containsExactly("failover.0", "failover.1", "failover.2");
		assertThat(steps).allSatisfy((step) -> assertThat(step.scenario()).hasValue("failover"));
		assertThat(steps.get(0).state()).isEqualTo(ActiveFault.State.REMOVED);
		assertThat(steps.get(0).removal()).hasValue(ActiveFault.Removal.ACTED);
		assertThat(steps.get(1).state()).isEqualTo(ActiveFault.State.ACTIVE);
		assertThat(steps.get(2).state()).isEqualTo(ActiveFault.State.SCHEDULED);
		assertThat(this.proxy.faults()).extracting(ActiveFault::id).containsExactly("failover.1", "failover.2");
	}

	@Test
	void removingTheScenarioRemovesEveryStepInEffect() {
		this.proxy.inject(FaultScenario.parseJson(FAILOVER));
		List<ActiveFault> removed = this.proxy.removeScenario("failover");
		assertThat(removed).extracting(ActiveFault::id).containsExactly("failover.1", "failover.2");
		assertThat(removed).allSatisfy((step) -> assertThat(step.removal()).hasValue(ActiveFault.Removal.REMOVED));
		assertThat(this.proxy.faults()).isEmpty();
		assertThat(this.proxy.removeScenario("failover")).isEmpty();
	}

	@Test
	void theSameScenarioAgainRenewsTheStepsInEffectAndNeitherActsAgainNorAddsAny() throws SQLException {
		FaultScenario scenario = FaultScenario.of("lease", Faults.terminate().build(),
				Faults.latency(Duration.ofMillis(1)).duration(Duration.ofSeconds(30)).build());
		try (Connection open = connect()) {
			List<ActiveFault> first = this.proxy.inject(scenario);
			assertThat(first.get(0).fired()).isEqualTo(1);
			assertThat(open.isValid(2)).isFalse();
		}
		ActiveFault latency = this.proxy.fault("lease.1").orElseThrow();
		try (Connection open = connect()) {
			List<ActiveFault> renewed = this.proxy.inject(FaultScenario.of("lease", Faults.terminate().build(),
					Faults.latency(Duration.ofMillis(1)).duration(Duration.ofSeconds(30)).build()));
			assertThat(renewed).containsExactly(latency);
			assertThat(latency.timeLeft().orElseThrow()).isGreaterThan(Duration.ofSeconds(29));
			assertThat(open.isValid(2)).as("the terminate step acted once, at the first injection").isTrue();
		}
		assertThat(this.proxy.faults()).containsExactly(latency);
	}

	@Test
	void otherStepsUnderTheIdOfAScenarioInEffectAreAConflictAndChangeNothing() {
		this.proxy.inject(FaultScenario.parseJson(FAILOVER));
		List<ActiveFault> before = this.proxy.faults();
		assertThatExceptionOfType(FaultConflictException.class)
			.isThrownBy(() -> this.proxy.inject(FaultScenario.of("failover", Faults.refuse().build())))
			.withMessageContaining("Scenario 'failover' is in effect with other steps")
			.satisfies((ex) -> assertThat(ex.getId()).isEqualTo("failover"));
		assertThatExceptionOfType(FaultConflictException.class)
			.isThrownBy(() -> this.proxy.inject("failover", Faults.refuse().build()))
			.withMessageContaining("is the id of a scenario in effect");
		assertThat(this.proxy.faults()).isEqualTo(before);
	}

	@Test
	void aScenarioWhoseIdOrAStepsIdIsAFaultOfItsOwnIsAConflict() {
		this.proxy.inject("storm.1", Faults.refuse().build());
		assertThatExceptionOfType(FaultConflictException.class)
			.isThrownBy(() -> this.proxy.inject(FaultScenario.of("storm", Faults.latency(Duration.ofMillis(1)).build(),
					Faults.blackhole().build())))
			.withMessageContaining("Fault 'storm.1' is in effect on its own");
		assertThat(this.proxy.faults()).extracting(ActiveFault::id).containsExactly("storm.1");
	}

	@Test
	void aStepCannotBeRenewedAloneNorAScenarioIdOverlapAnother() {
		this.proxy.inject(FaultScenario.of("x.0", Faults.latency(Duration.ofMillis(1)).build()));
		assertThatExceptionOfType(FaultConflictException.class)
			.isThrownBy(() -> this.proxy.inject(FaultScenario.of("x", Faults.blackhole().build())))
			.withMessageContaining("Fault 'x.0.0' is a step of scenario 'x.0'");
		assertThatExceptionOfType(FaultConflictException.class)
			.isThrownBy(() -> this.proxy.inject("x.0.0", Faults.latency(Duration.ofMillis(1)).build()))
			.withMessageContaining("is a step of scenario 'x.0'");
		assertThat(this.proxy.faults()).extracting(ActiveFault::id).containsExactly("x.0.0");
	}

	@Test
	void aListenerThatFailsNeitherStopsAScenarioNorLeavesItHalfApplied() {
		this.proxy.addListener(new FaultProxyListener() {

			@Override
			public void faultInjected(FaultProxy proxy, ActiveFault fault) {
				throw new IllegalStateException("a listener's bug");
			}

		});
		List<ActiveFault> steps = this.proxy.inject(FaultScenario.parseJson(FAILOVER));
		assertThat(steps).hasSize(3);
		assertThat(this.proxy.faults()).extracting(ActiveFault::id).containsExactly("failover.1", "failover.2");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"{\"id\":\"s\",\"steps\":[{\"type\":\"reset\"},{\"type\":\"sql-error\",\"match\":\"x\",\"sqlState\":\"00000\"}]}|steps[1].sqlState",
			"{\"id\":\"s\",\"steps\":[{\"type\":\"latency\"}]}|steps[0].latency",
			"{\"id\":\"s\",\"steps\":[{\"type\":\"latency\",\"latency\":\"1ms\",\"jiter\":\"1ms\"}]}|steps[0].jiter",
			"{\"id\":\"s\",\"steps\":[{\"type\":\"no-such-fault\"}]}|steps[0].type",
			"{\"id\":\"s\",\"steps\":[{\"latency\":\"1ms\"}]}|steps[0].type",
			"{\"id\":\"s\",\"steps\":[{\"type\":\"reset\",\"id\":\"x\"}]}|steps[0].id",
			"{\"id\":\"s\",\"steps\":[{\"type\":\"reset\"},\"reset\"]}|steps[1]",
			"{\"id\":\"s\",\"steps\":[]}|steps",
			"{\"id\":\"s\",\"steps\":{\"type\":\"reset\"}}|steps",
			"{\"id\":\"s\"}|steps",
			"{\"steps\":[{\"type\":\"reset\"}]}|id",
			"{\"id\":7,\"steps\":[{\"type\":\"reset\"}]}|id",
			"{\"id\":\"has space\",\"steps\":[{\"type\":\"reset\"}]}|id",
			"{\"id\":\"s\",\"steps\":[{\"type\":\"reset\"}],\"duration\":\"1s\"}|duration",
			"{\"id\":\"s\",\"steps\":[{\"type\":\"reset\"},{\"type\":\"reset\",\"backendPid\":1}]}|steps[1].backendPid" })
	void aBadScenarioIsRefusedNamingTheStepAndParameterAndNothingIsApplied(String json, String parameter) {
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> this.proxy.inject(FaultScenario.parseJson(json)))
			.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo(parameter));
		assertThat(this.proxy.faults()).isEmpty();
	}

	@Test
	void generatedScenariosWithOneBrokenStepAreRefusedByThatStepsIndexAndApplyNothing() {
		SplittableRandom random = new SplittableRandom(20261207);
		for (int run = 0; run < 300; run++) {
			int size = 1 + random.nextInt(6);
			int broken = random.nextInt(size);
			List<Object> steps = new ArrayList<>();
			String expected = null;
			for (int i = 0; i < size; i++) {
				Map<String, Object> step = new LinkedHashMap<>();
				step.put("type", "latency");
				step.put("latency", (1 + random.nextInt(50)) + "ms");
				step.put("startAfter", random.nextInt(100) + "s");
				if (i == broken) {
					String[] names = { "latency", "startAfter", "probability", "times", "direction" };
					String name = names[random.nextInt(names.length)];
					Object[] bad = { "-1ms", "soon", 2.5, -3, "sideways", List.of(), Map.of() };
					step.put(name, bad[random.nextInt(bad.length)]);
					expected = "steps[" + i + "]." + name;
				}
				steps.add(step);
			}
			Map<String, Object> body = Map.of("id", "gen-" + run, "steps", steps);
			String want = expected;
			assertThatExceptionOfType(FaultParameterException.class)
				.isThrownBy(() -> this.proxy.inject(FaultScenario.parse(body)))
				.as("%s", body)
				.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo(want));
		}
		assertThat(this.proxy.faults()).isEmpty();
	}

	@Test
	void aScenarioTakesAtMostFiftyStepsAndAnIdThatLeavesRoomForTheirs() {
		List<Object> steps = new ArrayList<>();
		for (int i = 0; i <= FaultScenario.MAX_STEPS; i++) {
			steps.add(Map.of("type", "reset"));
		}
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> FaultScenario.parse(Map.of("id", "big", "steps", steps)))
			.withMessageContaining("at most 50 steps")
			.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo("steps"));
		assertThatExceptionOfType(FaultParameterException.class)
			.isThrownBy(() -> FaultScenario.of("x".repeat(61), Faults.reset().build()))
			.satisfies((ex) -> assertThat(ex.getParameter()).isEqualTo("id"));
		FaultScenario longest = FaultScenario.of("x".repeat(60), Faults.reset().build());
		assertThat(longest.stepId(FaultScenario.MAX_STEPS - 1)).hasSize(63);
	}

	@Test
	void aScenarioReadsBackAsItWasWritten() {
		FaultScenario scenario = FaultScenario.parseJson(FAILOVER);
		assertThat(FaultScenario.parse(scenario.toMap())).isEqualTo(scenario);
	}

	@Test
	void underABaseSeedEachStepGetsTheSameSeedInEveryRun() {
		List<Long> seeds = new ArrayList<>();
		for (int run = 0; run < 2; run++) {
			try (FaultProxy seeded = FaultProxy.builder()
				.name("seeded")
				.upstream(this.database.host(), this.database.port())
				.seed(42)
				.start()) {
				if (run == 1) {
					seeded.inject(Faults.latency(Duration.ofMillis(3)).build());
				}
				List<ActiveFault> steps = seeded.inject(FaultScenario.of("replay",
						Faults.latency(Duration.ofMillis(1)).probability(0.5).build(), Faults.blackhole().build()));
				seeds.add(steps.get(0).seed());
				seeds.add(steps.get(1).seed());
			}
		}
		assertThat(seeds.subList(2, 4)).isEqualTo(seeds.subList(0, 2));
		assertThat(seeds.get(0)).isNotEqualTo(seeds.get(1));
	}

	@Test
	void aStepThatTheProxyCannotCarryIsRefusedByIndexAndNothingIsApplied() {
		try (FaultProxy tcp = FaultProxy.builder()
			.name("tcp")
			.upstream(this.database.host(), this.database.port())
			.start()) {
			assertThatExceptionOfType(dev.dbfault.core.FaultNotSupportedException.class)
				.isThrownBy(() -> tcp.inject(FaultScenario.of("s", Faults.reset().build(), Faults.readOnly().build())))
				.withMessageStartingWith("step 1: read-only needs a proxy that speaks PostgreSQL");
			assertThat(tcp.faults()).isEmpty();
		}
	}

	private Connection connect() throws SQLException {
		Connection connection = java.sql.DriverManager.getConnection(
				this.database.jdbcUrl("127.0.0.1", this.proxy.listenAddress().getPort()), this.database.credentials());
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("select 1")) {
			rs.next();
		}
		return connection;
	}

}
