package dev.dbfault.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.dbfault.core.fault.FaultParameter;
import dev.dbfault.core.fault.FaultType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * A {@code dbfault.*} setting an application cannot start with reads as Spring Boot's own
 * configuration failures do: the "APPLICATION FAILED TO START" banner names the property,
 * its value, the reason and the fix, with no stack of bean creation failures.
 */
@ExtendWith(OutputCaptureExtension.class)
class DbFaultFailureAnalyzerTests {

	@Test
	void aStartupFaultParameterBootCannotUseIsNamedInTheBanner(CapturedOutput output) {
		start("--dbfault.startup-faults[0].type=latency", "--dbfault.startup-faults[0].parameters.latency=soon");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: dbfault.startup-faults[0].parameters.latency")
			.contains("Value: \"soon\"")
			.contains("Reason: ")
			.contains("Action:")
			.contains("Set dbfault.startup-faults[0].parameters.latency to duration (0ms to 1d): delay added to each"
					+ " chunk of data.");
	}

	@Test
	void aParameterTheFaultDoesNotTakeIsNamedWithTheOnesItTakes(CapturedOutput output) {
		start("--dbfault.startup-faults[0].type=refuse", "--dbfault.startup-faults[0].parameters.latency=2s");
		assertThat(output).contains("Property: dbfault.startup-faults[0].parameters.latency")
			.contains("Remove dbfault.startup-faults[0].parameters.latency: a refuse fault takes [");
	}

	@Test
	void aStartupFaultWithNoTypeOrAnUnknownOneIsNamedInTheBanner(CapturedOutput output) {
		start("--dbfault.startup-faults[0].proxy=dataSource");
		assertThat(output).contains("Property: dbfault.startup-faults[0].type").contains("Value: (not set)")
			.contains("a startup fault needs a type");
		start("--dbfault.startup-faults[0].type=reboot");
		assertThat(output).contains("Value: \"reboot\"").contains("Unknown fault type 'reboot'")
			.contains("Set dbfault.startup-faults[0].type to one of the known fault types");
	}

	@Test
	void aStartupFaultForNoRoutedProxyIsNamedInTheBanner(CapturedOutput output) {
		start("--dbfault.startup-faults[0].type=refuse", "--dbfault.startup-faults[0].proxy=orders");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: dbfault.startup-faults[0].proxy")
			.contains("Value: \"orders\"")
			// this application has no DataSource at all
			.contains("dbfault routes no DataSource: check that the application has one");
	}

	@Test
	void aToxiproxyApiPortInUseIsNamedInTheBanner(CapturedOutput output) throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			start("--dbfault.toxiproxy-api.enabled=true", "--dbfault.toxiproxy-api.port=" + taken.getLocalPort());
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("Property: dbfault.toxiproxy-api.port")
				.contains("Value: \"" + taken.getLocalPort() + "\"")
				.contains("Set dbfault.toxiproxy-api.port to another port, or 0 for a free one");
		}
	}

	@Test
	void aBindAddressOfNoInterfaceIsNamedInTheBanner(CapturedOutput output) {
		// 192.0.2.1 is documentation's own address: no machine has it
		start("--dbfault.bind-address=192.0.2.1", "--dbfault.toxiproxy-api.enabled=true",
				"--dbfault.toxiproxy-api.port=0");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: dbfault.bind-address")
			.contains("Value: \"192.0.2.1\"")
			.contains("Toxiproxy API cannot listen on 192.0.2.1")
			.contains("Set dbfault.bind-address to an address of this machine");
	}

	@Test
	void aBindAddressThatIsNoAddressIsNamedInBootsBindingBanner(CapturedOutput output) {
		start("--dbfault.bind-address=127.0.0.1:5432");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: dbfault.bind-address")
			.contains("dbfault.bind-address=127.0.0.1:5432 is neither an IP address nor a host name this machine resolves");
	}

	@Test
	void aLongValueIsShortenedInTheBanner(CapturedOutput output) {
		start("--dbfault.startup-faults[0].type=sql-error", "--dbfault.startup-faults[0].parameters.match=" + "x".repeat(5000));
		assertThat(output).contains("Property: dbfault.startup-faults[0].parameters.match")
			.contains("…\" (5000 characters)")
			.doesNotContain("x".repeat(201));
	}

	/**
	 * Every parameter of every fault type, given a value of the wrong kind, stops the
	 * application with the property and the value named.
	 */
	@Test
	void everyParameterGivenAValueItCannotTakeNamesItsPropertyAndValue() {
		List<String> checked = new ArrayList<>();
		int strictly = 0;
		for (FaultType type : FaultType.values()) {
			for (FaultParameter parameter : type.allParameters()) {
				for (String bad : badValues(parameter)) {
					DbFaultProperties properties = new DbFaultProperties();
					DbFaultProperties.StartupFault fault = new DbFaultProperties.StartupFault();
					fault.setType(type.id());
					Map<String, String> parameters = new java.util.LinkedHashMap<>();
					boolean complete = true;
					// the required parameters at valid values, so that the bad one is the one refused
					for (FaultParameter required : type.parameters()) {
						if (required.required() && !required.name().equals(parameter.name())) {
							complete &= required.example() != null;
							parameters.put(required.name(), String.valueOf(required.example()));
						}
					}
					parameters.put(parameter.name(), bad);
					fault.setParameters(parameters);
					properties.setStartupFaults(List.of(fault));
					String property = "dbfault.startup-faults[0].parameters." + parameter.name();
					boolean strict = complete;
					assertThatExceptionOfType(DbFaultConfigurationException.class)
						.as("%s %s=%s", type.id(), parameter.name(), bad)
						.isThrownBy(() -> new DbFaultProxies(properties))
						.satisfies((ex) -> {
							if (strict) {
								assertThat(ex.getProperty()).isEqualTo(property);
								assertThat(ex.getValue()).isEqualTo(bad);
							}
							assertThat(ex.getProperty()).startsWith("dbfault.startup-faults[0].parameters.");
							assertThat(ex.getReason()).isNotBlank();
							assertThat(ex.getAction()).contains(ex.getProperty());
						});
					strictly += strict ? 1 : 0;
					checked.add(type.id() + "." + parameter.name());
				}
			}
		}
		assertThat(checked).hasSizeGreaterThan(100);
		assertThat(strictly).as("cases whose required parameters all have an example").isEqualTo(checked.size());
	}

	private static List<String> badValues(FaultParameter parameter) {
		return switch (parameter.kind()) {
			case DURATION -> List.of("soon", "-5s", "400d");
			case SIZE -> List.of("lots", "-1B", "99999TB");
			case COUNT -> List.of("many", "-1", "1e99");
			case RATIO -> List.of("half", "1.5", "-0.1");
			case REGEX -> List.of("(", "x".repeat(100_000));
			case TEXT -> List.of("x".repeat(100_000));
			case SQLSTATE -> List.of("4000", "00000", "abcde!");
			case CHOICE -> List.of("none-of-them");
		};
	}

	private static void start(String... arguments) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] args = new String[arguments.length + 1];
		args[0] = "--dbfault.enabled=true";
		System.arraycopy(arguments, 0, args, 1, arguments.length);
		assertThatRuntimeException().isThrownBy(() -> application.run(args).close());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DbFaultAutoConfiguration.class,
			dev.dbfault.autoconfigure.toxiproxy.DbFaultToxiproxyApiAutoConfiguration.class })
	static class Application {

	}

}
