package dev.dbfault.core.internal.fault;

import dev.dbfault.core.internal.RegisteredFault;

/**
 * A fault that acts on the data flowing through a connection: it sees every chunk in
 * {@link #onChunk}.
 */
abstract class DataFault extends FaultBehaviour {

	DataFault(RegisteredFault fault) {
		super(fault);
	}

	@Override
	public final boolean handlesChunks() {
		return true;
	}

}
