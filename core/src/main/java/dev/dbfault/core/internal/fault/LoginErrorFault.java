package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.LoginError;

/**
 * {@code login-error}: a connection that has not logged in is answered, when its startup
 * packet arrives, with a FATAL ErrorResponse carrying {@code sqlState}, and closed, as a
 * PostgreSQL server that is starting up, full, or refusing the credentials answers it; one
 * that has logged in is untouched. Removing the fault lets a connection still waiting to send
 * its startup log in.
 */
final class LoginErrorFault implements FaultUnit.Attaching {

	private final FaultContext fault;

	private final String sqlState;

	private final String message;

	LoginErrorFault(LoginError spec, FaultContext fault) {
		this.fault = fault;
		this.sqlState = spec.sqlState();
		this.message = spec.message();
	}

	@Override
	public String effect() {
		return "FATAL " + this.sqlState + " at login";
	}

	@Override
	public void attach(ProxiedConnection connection) {
		if (!connection.identity().isLoggedIn()) {
			connection.failLogin(this.fault, this.sqlState, this.message);
		}
	}

	@Override
	public void detach(ProxiedConnection connection) {
		connection.failLogin(this.fault, null, null);
	}

}
