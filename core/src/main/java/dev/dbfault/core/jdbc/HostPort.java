package dev.dbfault.core.jdbc;

import java.util.Objects;

/**
 * A host and port as written in a JDBC URL; IPv6 literals are kept without brackets.
 *
 * @param host the host name or address
 * @param port the port
 */
public record HostPort(String host, int port) {

	public HostPort {
		Objects.requireNonNull(host, "host");
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
		}
	}

	/**
	 * Returns the host as it must appear in a URL: IPv6 literals in brackets.
	 * @return the host for a URL
	 */
	public String urlHost() {
		return this.host.contains(":") ? "[" + this.host + "]" : this.host;
	}

	@Override
	public String toString() {
		return urlHost() + ":" + this.port;
	}

}
