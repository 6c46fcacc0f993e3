package dev.dbfault.core;

import dev.dbfault.core.testing.Transport;

/**
 * {@link PostgresTlsTests} on the in-process transport: the driver's TLS runs above the
 * in-process socket, as it runs above the relay.
 */
class PostgresTlsInProcessTests extends PostgresTlsTests {

	@Override
	Transport transport() {
		return Transport.IN_PROCESS;
	}

}
