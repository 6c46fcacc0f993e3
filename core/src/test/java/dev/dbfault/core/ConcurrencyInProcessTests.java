package dev.dbfault.core;

import dev.dbfault.core.testing.Transport;

/**
 * {@link ConcurrencyTests} on in-process sockets: faults come and go from several threads
 * while the clients' own threads run the engine, and nothing deadlocks or corrupts a byte.
 */
class ConcurrencyInProcessTests extends ConcurrencyTests {

	@Override
	Transport transport() {
		return Transport.IN_PROCESS;
	}

}
