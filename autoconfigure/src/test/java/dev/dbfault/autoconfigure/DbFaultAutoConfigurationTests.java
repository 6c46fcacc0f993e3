package dev.dbfault.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.Protocol;
import dev.dbfault.core.TlsHandling;
import dev.dbfault.core.fault.FaultType;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.testdb.SpringBootLine;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How dbfault wires itself into an application's DataSources, one behaviour per test.
 */
@ExtendWith(OutputCaptureExtension.class)
class DbFaultAutoConfigurationTests {

	private static final TestDatabase database = TestDatabase.get();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SpringBootLine.dataSourceAutoConfiguration(), DbFaultAutoConfiguration.class))
		.withPropertyValues(database.springPropertyValues());

	private static int selectOne(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select 1")) {
			rs.next();
			return rs.getInt(1);
		}
	}

	private static String proxyUrl(FaultProxy proxy) {
		return database.jdbcUrl("127.0.0.1", proxy.listenAddress().getPort());
	}

	@Test
	void runWhenNotEnabledShouldLeaveTheApplicationAsItWas() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(DbFaultProxies.class);
			assertThat(context).doesNotHaveBean(DataSourceProxyBeanPostProcessor.class);
			assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo(database.jdbcUrl());
		});
	}

	@Test
	void runWhenDisabledExplicitlyShouldLeaveTheApplicationAsItWas() {
		this.runner.withPropertyValues("dbfault.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(DbFaultProxies.class);
			assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo(database.jdbcUrl());
		});
	}

	@Test
	void runWhenEnabledShouldRouteBootsHikariPoolThroughAProxyNamedAfterTheBean() {
		this.runner.withPropertyValues("dbfault.enabled=true").run((context) -> {
			DbFaultProxies proxies = context.getBean(DbFaultProxies.class);
			FaultProxy proxy = proxies.proxy("dataSource").orElseThrow();
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			assertThat(dataSource.getJdbcUrl()).isEqualTo(proxyUrl(proxy));
			assertThat(proxy.protocol()).isEqualTo(Protocol.POSTGRESQL);
			assertThat(proxy.upstreamAddress().getPort()).isEqualTo(database.port());
			assertThat(selectOne(dataSource)).isEqualTo(1);
			assertThat(proxy.stats().totalConnections()).isPositive();
			// the DataSource is not wrapped: HikariCP's own objects stay reachable
			assertThat(context.getBean(DataSource.class)).isSameAs(dataSource);
			assertThat(dataSource.unwrap(HikariDataSource.class)).isSameAs(dataSource);
		});
	}

	@Test
	void runWhenEnabledShouldRouteAUserDefinedHikariDataSource() {
		this.runner.withPropertyValues("dbfault.enabled=true")
			.withUserConfiguration(OrdersDataSourceConfiguration.class)
			.run((context) -> {
				FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("ordersDataSource").orElseThrow();
				HikariDataSource orders = context.getBean("ordersDataSource", HikariDataSource.class);
				assertThat(orders.getJdbcUrl()).isEqualTo(proxyUrl(proxy));
				assertThat(selectOne(orders)).isEqualTo(1);
			});
	}

	@Test
	void runWithTwoDataSourcesShouldGiveEachItsOwnProxy() {
		this.runner.withPropertyValues("dbfault.enabled=true")
			.withUserConfiguration(TwoDataSourcesConfiguration.class)
			.run((context) -> {
				DbFaultProxies proxies = context.getBean(DbFaultProxies.class);
				assertThat(proxies.proxyNames()).containsExactlyInAnyOrder("primaryDataSource", "reportingDataSource");
				assertThat(selectOne(context.getBean("primaryDataSource", DataSource.class))).isEqualTo(1);
				assertThat(selectOne(context.getBean("reportingDataSource", DataSource.class))).isEqualTo(1);
				assertThat(proxies.proxy("primaryDataSource").orElseThrow().stats().totalConnections()).isPositive();
				assertThat(proxies.proxy("reportingDataSource").orElseThrow().stats().totalConnections()).isPositive();
			});
	}

	@Test
	void runWithJdbcConnectionDetailsShouldRouteTheUrlTheyGive() {
		this.runner.withPropertyValues("dbfault.enabled=true", "spring.datasource.url=jdbc:postgresql://ignored:1/x")
			.withBean(ContainerLikeConnectionDetails.class, () -> new ContainerLikeConnectionDetails(database))
			.run((context) -> {
				FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
				assertThat(proxy.upstreamAddress().getPort()).isEqualTo(database.port());
				assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo(proxyUrl(proxy));
				assertThat(selectOne(context.getBean(DataSource.class))).isEqualTo(1);
			});
	}

	@Test
	void runWithAMultiHostUrlShouldStartAProxyPerHost() {
		String url = "jdbc:postgresql://127.0.0.1:" + database.port() + ",127.0.0.1:1/" + database.database()
				+ "?targetServerType=any";
		this.runner.withPropertyValues("dbfault.enabled=true", "spring.datasource.url=" + url).run((context) -> {
			DbFaultProxies proxies = context.getBean(DbFaultProxies.class);
			assertThat(proxies.proxyNames()).containsExactly("dataSource-1", "dataSource-2");
			FaultProxy first = proxies.proxy("dataSource-1").orElseThrow();
			FaultProxy second = proxies.proxy("dataSource-2").orElseThrow();
			assertThat(second.upstreamAddress().getPort()).isEqualTo(1);
			assertThat(context.getBean(HikariDataSource.class).getJdbcUrl())
				.isEqualTo("jdbc:postgresql://127.0.0.1:" + first.listenAddress().getPort() + ",127.0.0.1:"
						+ second.listenAddress().getPort() + "/" + database.database() + "?targetServerType=any");
			assertThat(selectOne(context.getBean(DataSource.class))).isEqualTo(1);
		});
	}

	@Test
	void runWithTheSocketTransportShouldNameTheProxyInTheDriversOwnUrl(CapturedOutput output) {
		this.runner.withPropertyValues("dbfault.enabled=true", "dbfault.transport=socket").run((context) -> {
			DbFaultProxies proxies = context.getBean(DbFaultProxies.class);
			FaultProxy proxy = proxies.proxy("dataSource").orElseThrow();
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			assertThat(dataSource.getJdbcUrl()).isEqualTo(database.jdbcUrlWith(
					"socketFactory=dev.dbfault.core.FaultSocketFactory", "socketFactoryArg=" + proxy.socketFactoryArg()));
			assertThat(proxies.dataSource("dataSource").orElseThrow().transport())
				.isEqualTo(DbFaultProperties.Transport.SOCKET);
			assertThat(selectOne(dataSource)).isEqualTo(1);
			assertThat(proxy.stats().liveConnections()).isPositive();
			assertThat(output).contains("acting in its own sockets (dbfault.transport=socket)");
			// the connections are the proxy's: a reset breaks one in use, and the pool recovers with a new one
			try (Connection held = dataSource.getConnection()) {
				proxy.resetConnections();
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> held.createStatement().execute("select 1"))
					.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08006"));
			}
			assertThat(selectOne(dataSource)).isEqualTo(1);
		});
	}

	@Test
	void runWithTheSocketTransportShouldKeepTheProxyForAUrlItCannotServeAndSaySo(CapturedOutput output) {
		String multiHost = "jdbc:postgresql://127.0.0.1:" + database.port() + ",127.0.0.1:1/" + database.database()
				+ "?targetServerType=any";
		this.runner.withPropertyValues("dbfault.enabled=true", "dbfault.transport=socket", "spring.datasource.url=" + multiHost)
			.run((context) -> {
				assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).doesNotContain("socketFactory");
				assertThat(output).contains("DataSource 'dataSource' keeps the fault proxy, since the socket transport"
						+ " serves URLs with one host, this one has 2");
			});
		String own = database.jdbcUrlWith("socketFactory=javax.net.DefaultSocketFactory");
		this.runner.withPropertyValues("dbfault.enabled=true", "dbfault.transport=socket", "spring.datasource.url=" + own)
			.run((context) -> {
				FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
				assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).startsWith(
						"jdbc:postgresql://127.0.0.1:" + proxy.listenAddress().getPort() + "/");
				assertThat(output).contains("keeps the fault proxy, since its URL names a socketFactory of its own");
			});
	}

	@Test
	void runWithAnUnknownTransportShouldFailNamingThePropertyAndTheChoices() {
		this.runner.withPropertyValues("dbfault.enabled=true", "dbfault.transport=zero-hop")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("dbfault.transport")
				.hasStackTraceContaining("zero-hop"));
	}

	@Test
	void runWithAnExcludedDataSourceShouldLeaveItAlone() {
		this.runner.withPropertyValues("dbfault.enabled=true", "dbfault.exclude=dataSource").run((context) -> {
			assertThat(context.getBean(DbFaultProxies.class).proxies()).isEmpty();
			assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo(database.jdbcUrl());
		});
	}

	@Test
	void runWithABindAddressShouldListenThere(CapturedOutput output) {
		this.runner.withPropertyValues("dbfault.enabled=true", "dbfault.bind-address=0.0.0.0").run((context) -> {
			FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
			assertThat(proxy.listenAddress().getAddress().isAnyLocalAddress()).isTrue();
		});
		assertThat(output).contains("dbfault.bind-address=0.0.0.0 is not a loopback address")
			.contains("any host that reaches this one can connect through them");
	}

	@Test
	void runWithTheDefaultBindAddressShouldNotWarn(CapturedOutput output) {
		this.runner.withPropertyValues("dbfault.enabled=true").run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("is not a loopback address");
	}

	@Test
	void runWithABindAddressThatIsNoAddressShouldFailNamingTheProperty() {
		// none needs a name server: what resolving a name does, the setter leaves to the JDK
		for (String address : new String[] { "", "x".repeat(300), "127.0.0.1:5432" }) {
			this.runner.withPropertyValues("dbfault.enabled=true", "dbfault.bind-address=" + address)
				.run((context) -> assertThat(context).as(address).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageStartingWith("dbfault.bind-address"));
		}
		assertThatIllegalArgumentException().isThrownBy(() -> DbFaultProperties.checkBindAddress("  "))
			.withMessage("dbfault.bind-address is empty: set an address of this machine, such as 127.0.0.1 (the default)");
	}

	@Test
	void runWithABindAddressOfNoInterfaceShouldFailNamingTheProperty() {
		this.runner.withPropertyValues("dbfault.enabled=true", "dbfault.bind-address=192.0.2.1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("dbfault.bind-address: dbfault proxy 'dataSource' cannot listen on /192.0.2.1:0"));
	}

	@Test
	void runWithPostgresqlSettingsShouldApplyThemToTheProxy() {
		this.runner.withPropertyValues("dbfault.enabled=true", "dbfault.postgresql.tls=decline").run((context) -> {
			FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
			assertThat(proxy.tls()).isEqualTo(TlsHandling.DECLINE);
		});
	}

	@Test
	void runWithABusyPollShouldApplyItToTheProxy() {
		this.runner.withPropertyValues("dbfault.enabled=true", "dbfault.busy-poll=0").run((context) -> {
			FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
			assertThat(proxy.busyPoll()).isZero();
		});
		this.runner.withPropertyValues("dbfault.enabled=true").run((context) -> {
			FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
			assertThat(proxy.busyPoll()).isEqualTo(FaultProxy.DEFAULT_BUSY_POLL);
		});
	}

	@Test
	void runWithABusyPollOutOfRangeShouldFailNamingTheProperty() {
		this.runner.withPropertyValues("dbfault.enabled=true", "dbfault.busy-poll=50ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("dbfault.busy-poll must be between 0 and 10ms, was PT0.05S"));
	}

	@Test
	void runWithAPoolAlreadyStartedShouldFailNamingTheDataSource() {
		this.runner.withPropertyValues("dbfault.enabled=true")
			.withUserConfiguration(StartedPoolConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("DataSource 'startedDataSource'")
				.hasStackTraceContaining("started before dbfault")
				.hasStackTraceContaining("dbfault.exclude=startedDataSource"));
	}

	@Test
	void runWithAUrlItCannotRouteShouldFailNamingTheDataSource() {
		this.runner.withPropertyValues("dbfault.enabled=true")
			.withBean("embeddedDataSource", SimpleDriverDataSource.class, () -> {
				SimpleDriverDataSource dataSource = new SimpleDriverDataSource();
				dataSource.setUrl("jdbc:h2:mem:test");
				return dataSource;
			})
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("DataSource 'embeddedDataSource'")
				.hasStackTraceContaining("embedded or in-memory")
				.hasStackTraceContaining("dbfault.exclude=embeddedDataSource")
				.hasStackTraceContaining("Replace.NONE"));
	}

	@Test
	void runWithADataSourceWithoutHikariShouldRouteItThroughItsUrlProperty() {
		this.runner.withPropertyValues("dbfault.enabled=true")
			.withClassLoader(new FilteredClassLoader(HikariDataSource.class))
			.withBean("plainDataSource", SimpleDriverDataSource.class, () -> {
				SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(),
						database.jdbcUrl(), database.username(), database.password());
				return dataSource;
			})
			.run((context) -> {
				FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("plainDataSource").orElseThrow();
				assertThat(context.getBean("plainDataSource", SimpleDriverDataSource.class).getUrl())
					.isEqualTo(proxyUrl(proxy));
				assertThat(selectOne(context.getBean("plainDataSource", DataSource.class))).isEqualTo(1);
			});
	}

	@Test
	void runWithStartupFaultsShouldInjectThemBeforeThePoolConnects() {
		this.runner
			.withPropertyValues("dbfault.enabled=true", "dbfault.startup-faults[0].type=refuse",
					"dbfault.startup-faults[0].parameters.times=1",
					"dbfault.startup-faults[1].type=latency", "dbfault.startup-faults[1].proxy=dataSource",
					"dbfault.startup-faults[1].parameters.latency=1ms")
			.run((context) -> {
				FaultProxy proxy = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
				assertThat(proxy.faults()).extracting((fault) -> fault.type())
					.containsExactly(FaultType.REFUSE, FaultType.LATENCY);
			});
	}

	@Test
	void runWithAnUnusableStartupFaultShouldFailNamingTheProperty() {
		this.runner
			.withPropertyValues("dbfault.enabled=true", "dbfault.startup-faults[0].type=latency",
					"dbfault.startup-faults[0].parameters.jitter=5ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("dbfault.startup-faults[0].parameters.latency: ")
				.hasStackTraceContaining("latency"));
	}

	@Test
	void runWithAStartupFaultForAnUnknownProxyShouldFailNamingIt() {
		this.runner
			.withPropertyValues("dbfault.enabled=true", "dbfault.startup-faults[0].type=blackhole",
					"dbfault.startup-faults[0].proxy=nosuch")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("dbfault.startup-faults[0].proxy: 'nosuch' names no routed DataSource")
				.hasStackTraceContaining("dataSource"));
	}

	@Test
	void closingTheContextShouldStopEveryProxy() {
		FaultProxy[] proxy = new FaultProxy[1];
		this.runner.withPropertyValues("dbfault.enabled=true").run((context) -> {
			proxy[0] = context.getBean(DbFaultProxies.class).proxy("dataSource").orElseThrow();
			selectOne(context.getBean(DataSource.class));
		});
		assertThat(proxy[0].state()).isEqualTo(FaultProxy.State.STOPPED);
		assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
			.doesNotContain("dbfault-proxy-dataSource");
	}

	@Test
	void aUserDefinedRegistryShouldTakePrecedence() {
		this.runner.withPropertyValues("dbfault.enabled=true")
			.withBean("customProxies", DbFaultProxies.class, () -> new DbFaultProxies(new DbFaultProperties()))
			.run((context) -> {
				assertThat(context).hasSingleBean(DbFaultProxies.class);
				assertThat(context.getBean(DbFaultProxies.class)).isSameAs(context.getBean("customProxies"));
				assertThat(context.getBean(DbFaultProxies.class).proxyNames()).containsExactly("dataSource");
			});
	}

	@Test
	void theAdvisorWarnsAboutSettingsThatPreventRecovery() {
		this.runner
			.withPropertyValues("dbfault.enabled=true", "spring.datasource.hikari.max-lifetime=1800000",
					"spring.datasource.hikari.keepalive-time=0",
					"dbfault.advisor.server-idle-timeout=10m")
			.run((context) -> assertThat(context.getBean(DbFaultProxies.class).advice()).extracting(Advice::setting)
				.containsExactly("socketTimeout", "connectionTimeout", "tcpKeepAlive", "maxLifetime"));
	}

	@Test
	void theAdvisorWarnsWhenAPartitionWouldHoldBorrowersForTheWholeConnectionTimeout() {
		this.runner
			.withPropertyValues("dbfault.enabled=true", "spring.datasource.hikari.data-source-properties.socketTimeout=5",
					"spring.datasource.hikari.keepalive-time=60000")
			.run((context) -> assertThat(context.getBean(DbFaultProxies.class).advice()).singleElement()
				.satisfies((advice) -> assertThat(advice.setting()).isEqualTo("connectionTimeout"))
				.satisfies((advice) -> assertThat(advice.message()).contains("connectionTimeout (30000 ms)",
						"validationTimeout 5000 ms each", "longer than socketTimeout (5 s)",
						"spring.datasource.hikari.connection-timeout")));
	}

	@Test
	void theAdvisorNeverSuggestsTheConnectionTimeoutAlreadySet() {
		// no socketTimeout (advised on its own): a 2 s connection timeout already fails borrowers fast
		this.runner
			.withPropertyValues("dbfault.enabled=true", "spring.datasource.hikari.connection-timeout=2000",
					"spring.datasource.hikari.validation-timeout=1000", "spring.datasource.hikari.keepalive-time=60000")
			.run((context) -> assertThat(context.getBean(DbFaultProxies.class).advice()).extracting(Advice::setting)
				.containsExactly("socketTimeout"));
		// a 1 s socketTimeout: the suggestion is below both, never the 2000 set
		this.runner
			.withPropertyValues("dbfault.enabled=true", "spring.datasource.hikari.data-source-properties.socketTimeout=1",
					"spring.datasource.hikari.connection-timeout=2000", "spring.datasource.hikari.validation-timeout=1000",
					"spring.datasource.hikari.keepalive-time=60000")
			.run((context) -> assertThat(context.getBean(DbFaultProxies.class).advice()).singleElement()
				.satisfies((advice) -> assertThat(advice.setting()).isEqualTo("connectionTimeout"))
				.satisfies((advice) -> assertThat(advice.message()).isEqualTo("a network partition holds every caller"
						+ " that borrows an idle connection for the pool's connectionTimeout (2000 ms): HikariCP validates"
						+ " idle connections one after another (validationTimeout 1000 ms each) until it runs out, longer"
						+ " than socketTimeout (1 s) holds a caller mid-statement; set"
						+ " spring.datasource.hikari.connection-timeout at or below socketTimeout (e.g. 1000) and"
						+ " validation-timeout below it (e.g. 500)")));
		// Spring Boot's defaults and no socketTimeout: 30 s is advised against, with a value that is not 30 s
		this.runner.withPropertyValues("dbfault.enabled=true", "spring.datasource.hikari.keepalive-time=60000")
			.run((context) -> assertThat(context.getBean(DbFaultProxies.class).advice())
				.filteredOn((advice) -> advice.setting().equals("connectionTimeout"))
				.singleElement()
				.satisfies((advice) -> assertThat(advice.message()).contains("connectionTimeout (30000 ms)",
						"set spring.datasource.hikari.connection-timeout to a few seconds (e.g. 2000) and"
								+ " validation-timeout below it (e.g. 1000), and socketTimeout at or above it")));
	}

	@Test
	void theAdvisorIsQuietWhenTheConnectionTimeoutIsWithinTheSocketTimeout() {
		this.runner
			.withPropertyValues("dbfault.enabled=true", "spring.datasource.hikari.data-source-properties.socketTimeout=5",
					"spring.datasource.hikari.keepalive-time=60000", "spring.datasource.hikari.connection-timeout=2000",
					"spring.datasource.hikari.validation-timeout=1000")
			.run((context) -> assertThat(context.getBean(DbFaultProxies.class).advice()).isEmpty());
	}

	@Test
	void theAdvisorNamesWhatLetsThePoolGetOverAnIncidentOnceItsFaultIsInjected() {
		String[] tuned = { "dbfault.enabled=true", "spring.datasource.hikari.data-source-properties.socketTimeout=5",
				"spring.datasource.hikari.keepalive-time=60000", "spring.datasource.hikari.connection-timeout=2000",
				"spring.datasource.hikari.validation-timeout=1000" };
		this.runner.withPropertyValues(tuned).run((context) -> {
			DbFaultProxies proxies = context.getBean(DbFaultProxies.class);
			FaultProxy proxy = proxies.proxy("dataSource").orElseThrow();
			assertThat(proxies.advice()).isEmpty();
			proxy.inject(Faults.readOnly());
			proxy.inject(Faults.readOnly().connections("all"));
			assertThat(proxies.advice()).singleElement().satisfies((advice) -> {
				assertThat(advice.setting()).isEqualTo("exceptionOverrideClassName");
				assertThat(advice.message()).contains("25006", "maxLifetime (1800 s)",
						"spring.datasource.hikari.exception-override-class-name", "MUST_EVICT");
			});
			proxy.inject(Faults.loginError().sqlState("28P01"));
			assertThat(proxies.advice()).extracting(Advice::setting)
				.containsExactly("exceptionOverrideClassName", "connectionTimeout");
			assertThat(proxies.advice().get(1).message()).contains("while logins fail (28P01)", "(2000 ms)");
		});
		this.runner.withPropertyValues(tuned)
			.withPropertyValues("spring.datasource.hikari.exception-override-class-name="
					+ KeepingExceptionOverride.class.getName())
			.run((context) -> {
				DbFaultProxies proxies = context.getBean(DbFaultProxies.class);
				proxies.proxy("dataSource").orElseThrow().inject(Faults.readOnly());
				assertThat(proxies.advice()).isEmpty();
			});
	}

	/** Named as Spring Boot's interfaces are: the post-processor matches their simple name, on either line. */
	interface FlywayConnectionDetails {

		String getJdbcUrl();

		String getUsername();

	}

	@Test
	void aMigrationsConnectionDetailsAnswerTheUrlThroughTheProxyOfTheDataSourceThatReachesTheSameDatabase() {
		this.runner.withPropertyValues("dbfault.enabled=true").run((context) -> {
			context.getBean(DataSource.class);
			DbFaultProxies proxies = context.getBean(DbFaultProxies.class);
			FaultProxy proxy = proxies.proxy("dataSource").orElseThrow();
			FlywayConnectionDetails details = new FlywayConnectionDetails() {

				@Override
				public String getJdbcUrl() {
					return database.jdbcUrl();
				}

				@Override
				public String getUsername() {
					return "migrator";
				}

			};
			Object wrapped = new MigrationConnectionDetailsPostProcessor(context.getBeanProvider(DbFaultProxies.class),
					context.getBeanProvider(DbFaultProperties.class))
				.postProcessAfterInitialization(details, "flywayConnectionDetails");
			assertThat(wrapped).isInstanceOf(FlywayConnectionDetails.class).isEqualTo(wrapped).isNotEqualTo(details);
			assertThat(wrapped.hashCode()).isEqualTo(wrapped.hashCode());
			FlywayConnectionDetails routed = (FlywayConnectionDetails) wrapped;
			assertThat(routed.getJdbcUrl()).isEqualTo(database.jdbcUrl("127.0.0.1", proxy.listenAddress().getPort()));
			assertThat(routed.getUsername()).isEqualTo("migrator");
			assertThat(proxies.proxyNames()).containsExactly("dataSource");
			// another database gets proxies of its own, one name per database; a URL dbfault cannot route is left alone
			assertThat(proxies.routeMigration("flyway", "other", "jdbc:postgresql://127.0.0.1:1/other"))
				.doesNotContain("127.0.0.1:1/");
			assertThat(proxies.routeMigration("flyway", "third", "jdbc:postgresql://127.0.0.1:2/third"))
				.doesNotContain("127.0.0.1:2/");
			assertThat(proxies.proxyNames()).containsExactly("dataSource", "flyway", "flyway-2");
			assertThat(proxies.routeMigration("flyway", "h2", "jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
		});
	}

	@Test
	void theAdvisorIsQuietWhenRecoveryIsPossible() {
		this.runner
			.withPropertyValues("dbfault.enabled=true",
					"spring.datasource.url=" + database.jdbcUrlWith("socketTimeout=30", "tcpKeepAlive=true"),
					"spring.datasource.hikari.max-lifetime=300000", "dbfault.advisor.server-idle-timeout=10m")
			.run((context) -> assertThat(context.getBean(DbFaultProxies.class).advice()).isEmpty());
	}

	@Test
	void theAdvisorReadsDriverSettingsFromThePoolToo() {
		this.runner
			.withPropertyValues("dbfault.enabled=true", "spring.datasource.hikari.data-source-properties.socketTimeout=30",
					"spring.datasource.hikari.keepalive-time=60000")
			.run((context) -> assertThat(context.getBean(DbFaultProxies.class).advice()).isEmpty());
	}

	@Test
	void theAdvisorCanBeSwitchedOff() {
		this.runner.withPropertyValues("dbfault.enabled=true", "dbfault.advisor.enabled=false")
			.run((context) -> assertThat(context.getBean(DbFaultProxies.class).advice()).isEmpty());
	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersDataSourceConfiguration {

		@Bean
		HikariDataSource ordersDataSource() {
			return TwoDataSourcesConfiguration.pool();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDataSourcesConfiguration {

		@Bean
		@Primary
		HikariDataSource primaryDataSource() {
			return pool();
		}

		@Bean
		HikariDataSource reportingDataSource() {
			return pool();
		}

		static HikariDataSource pool() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(database.jdbcUrl());
			dataSource.setUsername(database.username());
			dataSource.setPassword(database.password());
			dataSource.setMaximumPoolSize(2);
			return dataSource;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StartedPoolConfiguration {

		@Bean(destroyMethod = "close")
		HikariDataSource startedDataSource() {
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(database.jdbcUrl());
			config.setUsername(database.username());
			config.setPassword(database.password());
			return new HikariDataSource(config);
		}

	}

}
