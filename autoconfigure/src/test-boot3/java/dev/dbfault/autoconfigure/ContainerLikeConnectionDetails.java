package dev.dbfault.autoconfigure;

import dev.dbfault.testdb.TestDatabase;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;

/**
 * Connection details as a Testcontainers {@code @ServiceConnection} gives them, of this
 * Spring Boot line's type.
 */
class ContainerLikeConnectionDetails implements JdbcConnectionDetails {

	private final TestDatabase database;

	ContainerLikeConnectionDetails(TestDatabase database) {
		this.database = database;
	}

	@Override
	public String getJdbcUrl() {
		return this.database.jdbcUrl();
	}

	@Override
	public @Nullable String getUsername() {
		return this.database.username();
	}

	@Override
	public @Nullable String getPassword() {
		return this.database.password();
	}

}
