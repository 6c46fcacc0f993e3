package dev.dbfault.core;

import dev.dbfault.core.testing.Transport;

/**
 * {@link DataFaultTests} on an in-process socket: the data faults pace, drop, cut and close
 * what the client's own thread reads and writes, with no relay.
 */
class DataFaultInProcessTests extends DataFaultTests {

	@Override
	Transport transport() {
		return Transport.IN_PROCESS;
	}

}
