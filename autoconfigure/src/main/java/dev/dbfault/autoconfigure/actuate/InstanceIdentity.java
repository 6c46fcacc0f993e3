package dev.dbfault.autoconfigure.actuate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

import org.springframework.core.env.Environment;

/**
 * Which instance of an application answers: its application name ({@value #UNNAMED} when
 * it has none, as Spring Boot names its context), an instance id
 * ({@code dbfault.instance-id}, else host name and server port) and when it started. Read
 * when asked, since the server port is known only once the server runs.
 */
final class InstanceIdentity {

	/** The name of an application without {@code spring.application.name}: Spring Boot's context id. */
	static final String UNNAMED = "application";

	private final Environment environment;

	private final Instant startedAt;

	/** Looked up once, on first use: a host name lookup may be slow where DNS is. */
	private volatile String hostName;

	InstanceIdentity(Environment environment, Instant startedAt) {
		this.environment = environment;
		this.startedAt = startedAt;
	}

	DbFaultEndpoint.InstanceDescriptor describe() {
		String id = this.environment.getProperty("dbfault.instance-id");
		if (id == null || id.isBlank()) {
			String port = this.environment.getProperty("local.server.port",
					this.environment.getProperty("server.port", "8080"));
			id = hostName() + ":" + port;
		}
		// unnamed, an application is "application", as Spring Boot names its context
		String application = this.environment.getProperty("spring.application.name");
		return new DbFaultEndpoint.InstanceDescriptor((application != null && !application.isBlank()) ? application
				: UNNAMED, id, this.startedAt.toString());
	}

	private String hostName() {
		String name = this.hostName;
		if (name == null) {
			try {
				name = InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				name = "localhost";
			}
			this.hostName = name;
		}
		return name;
	}

}
