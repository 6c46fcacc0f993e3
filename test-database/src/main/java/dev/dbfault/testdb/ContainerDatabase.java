package dev.dbfault.testdb;

import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts the Testcontainers variant of {@link TestDatabase}. Kept apart so that the
 * Testcontainers classes load only when that kind is selected.
 */
final class ContainerDatabase {

	/** System property naming the PostgreSQL image; the official image when unset. */
	static final String IMAGE_PROPERTY = "dbfault.test.postgres-image";

	private ContainerDatabase() {
	}

	/**
	 * Returns the image the Testcontainers suites use: {@code dbfault.test.postgres-image},
	 * else the official {@code postgres:17}.
	 * @return the image, declared compatible with {@code postgres}
	 */
	static DockerImageName image() {
		return DockerImageName.parse(System.getProperty(IMAGE_PROPERTY, "postgres:17"))
			.asCompatibleSubstituteFor("postgres");
	}

	/**
	 * Aborts the calling test, with the reason, unless a Docker engine answers.
	 */
	static void assumeDocker() {
		boolean available;
		try {
			available = DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			available = false;
		}
		if (!available) {
			throw new TestAbortedException("No Docker engine answers here, so the Testcontainers PostgreSQL cannot start "
					+ "(see shared/testcontainers or run Docker locally)");
		}
	}

	static TestDatabase start() {
		assumeDocker();
		PostgreSQLContainer container = new PostgreSQLContainer(image());
		container.start();
		Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "dbfault-postgres-container-stop"));
		return new TestDatabase("testcontainers", container.getHost(), container.getMappedPort(5432),
				container.getDatabaseName(), container.getUsername(), container.getPassword(), "");
	}

}
