package dev.dbfault.it.app.readme;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Tells HikariCP to replace a connection whose server refuses writes as read-only (25006),
 * such as a primary demoted by a failover. HikariCP evicts on broken-connection errors only
 * (class 08, 57P01 to 57P03 and a few more), so without this a connection left on a demoted
 * primary fails every write until {@code maxLifetime}. Set with
 * {@code spring.datasource.hikari.exception-override-class-name}.
 */
public class FailoverExceptionOverride implements SQLExceptionOverride {

	@java.lang.Override
	public Override adjudicate(SQLException ex) {
		return "25006".equals(ex.getSQLState()) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
	}

}
