package dev.dbfault.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import javax.net.SocketFactory;

import dev.dbfault.core.internal.InProcessSocket;

/**
 * The in-process transport: sockets that talk straight to the database while a
 * {@link FaultProxy}'s faults act on them, on the JDBC driver's own thread. No relay, no
 * extra thread, nothing done per byte while no fault is in effect but reading the protocol.
 *
 * <p>Named in a PostgreSQL JDBC URL, with the proxy's name as its argument (the driver makes
 * one factory per connection with that string):
 * <pre>
 * jdbc:postgresql://127.0.0.1:5432/app?socketFactory=dev.dbfault.core.FaultSocketFactory&amp;socketFactoryArg=db
 * </pre>
 * The driver connects where its URL says; the proxy named must be running in the same JVM.
 * A name no running proxy has fails the connection with an {@link IOException} naming it and
 * the running ones; connections of a proxy that stops end as if the database had gone.
 */
public final class FaultSocketFactory extends SocketFactory {

	private final String proxy;

	/**
	 * Creates a factory for the sockets of one proxy.
	 * @param proxy the proxy's {@link FaultProxy#socketFactoryArg()}, usually its name
	 */
	public FaultSocketFactory(String proxy) {
		this.proxy = proxy;
	}

	/**
	 * Returns the JDBC URL parameters that route a PostgreSQL connection through the proxy's
	 * in-process transport, for appending after {@code ?} or {@code &}.
	 * @param proxy a running proxy
	 * @return the parameters
	 */
	public static String urlParameters(FaultProxy proxy) {
		String name = proxy.socketFactoryArg();
		if (name == null) {
			throw new IllegalStateException("Proxy '" + proxy.name() + "' is not running");
		}
		return "socketFactory=" + FaultSocketFactory.class.getName() + "&socketFactoryArg="
				+ URLEncoder.encode(name, StandardCharsets.UTF_8);
	}

	@Override
	public Socket createSocket() {
		return new InProcessSocket(() -> InProcessNames.find(this.proxy));
	}

	@Override
	public Socket createSocket(String host, int port) throws IOException {
		return connect(null, new InetSocketAddress(host, port));
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
		return connect(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
	}

	@Override
	public Socket createSocket(InetAddress host, int port) throws IOException {
		return connect(null, new InetSocketAddress(host, port));
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
			throws IOException {
		return connect(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
	}

	private Socket connect(InetSocketAddress local, InetSocketAddress remote) throws IOException {
		Socket socket = createSocket();
		try {
			if (local != null) {
				socket.bind(local);
			}
			socket.connect(remote);
			return socket;
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

}
