package dev.dbfault.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.FaultSocketFactory;
import dev.dbfault.core.testing.Upstream.Peer;

/**
 * The application side of a connection through a proxy, with deadlines on every read.
 */
public final class Client implements AutoCloseable {

	private final Socket socket;

	private Client(Socket socket) {
		this.socket = socket;
	}

	public static Client connect(FaultProxy proxy) {
		return connect(proxy.listenAddress());
	}

	/**
	 * Connects to the proxy's upstream the way the given transport does: through its port,
	 * or with an in-process socket.
	 * @param proxy the proxy
	 * @param transport the transport
	 * @return the client
	 */
	public static Client connect(FaultProxy proxy, Transport transport) {
		if (transport == Transport.PROXY) {
			return connect(proxy);
		}
		Socket socket = new FaultSocketFactory(proxy.socketFactoryArg()).createSocket();
		try {
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress(proxy.upstreamAddress().getHostString(), proxy.upstreamAddress().getPort()),
					5000);
			return new Client(socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static Client connect(InetSocketAddress address) {
		Socket socket = new Socket();
		try {
			socket.setTcpNoDelay(true);
			socket.connect(address, 5000);
			return new Client(socket);
		}
		catch (IOException ex) {
			try {
				socket.close();
			}
			catch (IOException ignored) {
				// already failing
			}
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Connects and reports whether the connection was reset: during connect (a RST can beat
	 * the end of the handshake) or at the first read.
	 * @param address where to connect
	 * @param timeout how long to wait for the reset
	 * @return whether it was reset
	 */
	public static boolean connectionIsReset(InetSocketAddress address, Duration timeout) {
		Client client;
		try {
			client = connect(address);
		}
		catch (UncheckedIOException ex) {
			return ex.getCause() instanceof java.net.SocketException && ex.getCause().getMessage().contains("reset");
		}
		try (client) {
			return client.awaitEnd(timeout) == Peer.End.RESET;
		}
	}

	public Socket socket() {
		return this.socket;
	}

	public void send(byte[] data) {
		try {
			this.socket.getOutputStream().write(data);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public byte[] read(int length, Duration timeout) {
		return Upstream.Streams.readFully(this.socket, length, timeout);
	}

	/**
	 * Sends bytes and reads as many back (for an echo upstream).
	 * @param data the bytes
	 * @param timeout the deadline
	 * @return what came back
	 */
	public byte[] echo(byte[] data, Duration timeout) {
		send(data);
		return read(data.length, timeout);
	}

	public Peer.End awaitEnd(Duration timeout) {
		return Upstream.Streams.awaitEnd(this.socket, timeout);
	}

	public void shutdownOutput() {
		try {
			this.socket.shutdownOutput();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
