package dev.dbfault.core.internal.text;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A {@code HOST:PORT} as a person writes it ({@code [::1]:5432} for IPv6), checked and
 * printed back the same way.
 *
 * @param host the host, without brackets; empty when written {@code :PORT}
 * @param port the port
 */
public record Address(String host, int port) {

	/**
	 * Reads {@code HOST:PORT}.
	 * @param field what the value is, for messages ({@code --upstream}, {@code listen})
	 * @param value the text
	 * @param portZeroAllowed whether port 0 (a free port) is allowed
	 * @param emptyHostAllowed whether {@code :PORT} is allowed
	 * @return the address
	 * @throws IllegalArgumentException naming the field and the value
	 */
	public static Address parse(String field, String value, boolean portZeroAllowed, boolean emptyHostAllowed) {
		int colon = value.lastIndexOf(':');
		if (colon < 0 || (colon == 0 && !emptyHostAllowed) || colon == value.length() - 1) {
			throw new IllegalArgumentException(field + " must be HOST:PORT, was '" + Values.shorten(value) + "'");
		}
		String host = value.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		int port;
		try {
			port = Integer.parseInt(value.substring(colon + 1));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(field + " port must be a number, was '" + Values.shorten(value) + "'");
		}
		int lowest = portZeroAllowed ? 0 : 1;
		if (port < lowest || port > 65535) {
			throw new IllegalArgumentException(field + " port must be between " + lowest + " and 65535, was " + port);
		}
		return new Address(host, port);
	}

	/**
	 * Returns a socket address as this class writes it: the IP when resolved, else the name.
	 * @param address the address
	 * @return the address
	 */
	public static Address of(InetSocketAddress address) {
		return new Address((address.getAddress() != null) ? address.getAddress().getHostAddress()
				: address.getHostString(), address.getPort());
	}

	/**
	 * Returns whether this names the given address: the same port, and the same host by name
	 * or by resolving it.
	 * @param address the address
	 * @return whether they are the same
	 */
	public boolean sameAs(InetSocketAddress address) {
		if (this.port != address.getPort()) {
			return false;
		}
		if (this.host.equalsIgnoreCase(address.getHostString())) {
			return true;
		}
		try {
			return address.getAddress() != null && InetAddress.getByName(this.host).equals(address.getAddress());
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return (this.host.contains(":") ? "[" + this.host + "]" : this.host) + ":" + this.port;
	}

}
