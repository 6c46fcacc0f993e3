package dev.dbfault.core.internal.fault;

import dev.dbfault.core.internal.RegisteredFault;

/**
 * The PostgreSQL faults: they act on statements and results, through the connection's
 * protocol handler, which asks them as messages pass.
 */
final class StatementFault extends FaultBehaviour {

	StatementFault(RegisteredFault fault) {
		super(fault);
	}

}
