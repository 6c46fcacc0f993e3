package dev.dbfault.it.support;

import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/**
 * Runs every {@code postgres} container of this module on the image named by
 * {@code -Ddbfault.test.postgres-image} (a locally built image where no registry can be
 * reached), so that a test written as a user writes it, {@code new
 * PostgreSQLContainer("postgres:17")}, runs as written. Without the property, images are
 * left as they are. Named in {@code testcontainers.properties}.
 */
public class PostgresImageSubstitutor extends ImageNameSubstitutor {

	@Override
	public DockerImageName apply(DockerImageName original) {
		String substitute = System.getProperty("dbfault.test.postgres-image");
		if (substitute == null || substitute.isBlank() || !original.getRepository().equals("postgres")) {
			return original;
		}
		return DockerImageName.parse(substitute).asCompatibleSubstituteFor("postgres");
	}

	@Override
	protected String getDescription() {
		return "postgres images from -Ddbfault.test.postgres-image";
	}

}
