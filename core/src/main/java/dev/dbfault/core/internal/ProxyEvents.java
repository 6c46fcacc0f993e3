package dev.dbfault.core.internal;

import dev.dbfault.core.fault.ActiveFault.Removal;

/**
 * What a {@link ProxyServer} reports about its faults; called on the loop.
 */
public interface ProxyEvents {

	void injected(RegisteredFault fault);

	void fired(RegisteredFault fault);

	void removed(RegisteredFault fault, Removal reason);

}
