package dev.dbfault.core.internal.fault;

import dev.dbfault.core.internal.Link;
import dev.dbfault.core.internal.RegisteredFault;
import dev.dbfault.core.internal.pg.PgTermination;

/**
 * {@code terminate}: every live connection gets FATAL 57P01 admin_shutdown and is closed, as
 * when the server shuts down or an administrator runs pg_terminate_backend.
 */
final class TerminateFault extends FaultBehaviour {

	TerminateFault(RegisteredFault fault) {
		super(fault);
	}

	@Override
	public void act(Link link) {
		if (this.fault.tryFire()) {
			PgTermination.terminate(link);
		}
	}

}
