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

	/** System property that turns a missing Docker engine from a skip into a failure. */
	static final String REQUIRE_DOCKER_PROPERTY = "dbfault.test.require-docker";

	static final String NO_DOCKER = "No Docker engine answers here, so the Testcontainers PostgreSQL cannot start"
			+ " (start Docker, or run the embedded database: -Ddbfault.test.database=embedded)";

	static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	static void failIfDockerRequired() {
		if (Boolean.getBoolean(REQUIRE_DOCKER_PROPERTY)) {
			throw new IllegalStateException(NO_DOCKER + "; " + REQUIRE_DOCKER_PROPERTY + "=true makes that a failure");
		}
	}

	/**
	 * Aborts the calling test, with the reason, unless a Docker engine answers (or fails it
	 * when Docker is required).
	 */
	static void assumeDocker() {
		if (!dockerAvailable()) {
			failIfDockerRequired();
			throw new TestAbortedException(NO_DOCKER);
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
