package dev.dbfault.core;

import dev.dbfault.core.testing.Transport;

/**
 * {@link HikariEvictionTests} on the in-process transport: the driver's own sockets, no relay.
 */
class HikariEvictionInProcessTests extends HikariEvictionTests {

	@Override
	Transport transport() {
		return Transport.IN_PROCESS;
	}

}
