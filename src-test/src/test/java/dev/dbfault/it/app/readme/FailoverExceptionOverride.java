package dev.dbfault.it.app.readme;

import java.sql.SQLException;
import java.util.Set;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Tells HikariCP to replace a connection whose server is no longer the primary: 25006 (a
 * write refused by a read-only server, such as a primary demoted by a failover) and 57P03
 * (the server is starting up or recovering). HikariCP evicts on broken-connection errors
 * only, so without this a connection left on a demoted primary fails every write until
 * {@code maxLifetime}. Set with
 * {@code spring.datasource.hikari.exception-override-class-name}.
 */
public class FailoverExceptionOverride implements SQLExceptionOverride {

	private static final Set<String> NOT_PRIMARY = Set.of("25006", "57P03");

	@java.lang.Override
	public Override adjudicate(SQLException ex) {
		return NOT_PRIMARY.contains(ex.getSQLState()) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
	}

}
