package dev.dbfault.core;

import dev.dbfault.core.testing.Transport;

/**
 * {@link JdbcFaultTests} on the in-process transport: the driver's own sockets, no relay.
 */
class JdbcFaultInProcessTests extends JdbcFaultTests {

	@Override
	Transport transport() {
		return Transport.IN_PROCESS;
	}

}
