package dev.dbfault.core;

import java.sql.Connection;
import java.sql.ResultSet;

import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTests {

	@Test
	void embeddedDatabaseAnswers() throws Exception {
		try (Connection c = TestDatabase.get().connect(); ResultSet rs = c.createStatement().executeQuery("select version()")) {
			assertThat(rs.next()).isTrue();
			System.out.println(rs.getString(1));
		}
	}
}
