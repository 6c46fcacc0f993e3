package dev.dbfault.core;

import dev.dbfault.core.testing.Transport;

/**
 * {@link PostgresFaultTests} on the in-process transport: the driver's own sockets, no relay.
 */
class PostgresFaultInProcessTests extends PostgresFaultTests {

	@Override
	Transport transport() {
		return Transport.IN_PROCESS;
	}

}
