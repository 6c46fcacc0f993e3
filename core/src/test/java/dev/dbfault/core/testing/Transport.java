package dev.dbfault.core.testing;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.FaultSocketFactory;
import dev.dbfault.testdb.TestDatabase;

/**
 * The two ways a JDBC driver reaches a proxy's faults, for suites that run on both.
 */
public enum Transport {

	/** Through the proxy's port: the relay. */
	PROXY,

	/** The driver's own sockets, from {@link FaultSocketFactory}: no relay. */
	IN_PROCESS;

	/**
	 * Returns the JDBC URL of the database whose connections the proxy's faults reach.
	 * @param database the database
	 * @param proxy the running proxy in front of it
	 * @return the URL
	 */
	public String url(TestDatabase database, FaultProxy proxy) {
		if (this == PROXY) {
			return database.jdbcUrl("127.0.0.1", proxy.listenAddress().getPort());
		}
		String url = database.jdbcUrl();
		return url + (url.contains("?") ? "&" : "?") + FaultSocketFactory.urlParameters(proxy);
	}

}
