package dev.dbfault.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Small TCP servers the memory and accuracy probes put behind the relays: one that holds
 * connections open, one that echoes, one that sends a fixed amount as fast as it can.
 */
final class TestServers {

	private TestServers() {
	}

	/**
	 * A server that accepts connections and keeps them, idle.
	 */
	static final class Hold implements AutoCloseable {

		private final ServerSocket server;

		private final List<Socket> held = new CopyOnWriteArrayList<>();

		Hold() throws IOException {
			this.server = new ServerSocket(0, 2048, InetAddress.getLoopbackAddress());
			Thread acceptor = new Thread(() -> {
				while (!this.server.isClosed()) {
					try {
						this.held.add(this.server.accept());
					}
					catch (IOException ex) {
						return;
					}
				}
			}, "bench-hold");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		int held() {
			return this.held.size();
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			for (Socket socket : this.held) {
				socket.close();
			}
			this.held.clear();
		}

	}

	/**
	 * A server that sends back what it receives, a thread per connection; after a delay, if
	 * given one.
	 */
	static final class Echo implements AutoCloseable {

		private final ServerSocket server;

		Echo() throws IOException {
			this(Duration.ZERO);
		}

		Echo(Duration delay) throws IOException {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			serve(this.server, (socket) -> {
				socket.setTcpNoDelay(true);
				InputStream in = socket.getInputStream();
				OutputStream out = socket.getOutputStream();
				byte[] buffer = new byte[8192];
				int read;
				while ((read = in.read(buffer)) >= 0) {
					long deadline = System.nanoTime() + delay.toNanos();
					for (long left; (left = deadline - System.nanoTime()) > 0;) {
						LockSupport.parkNanos(left);
					}
					out.write(buffer, 0, read);
				}
			});
		}

		int port() {
			return this.server.getLocalPort();
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

	/**
	 * A server that sends {@code bytes} bytes to each connection as fast as it can, then
	 * closes it.
	 */
	static final class Source implements AutoCloseable {

		private final ServerSocket server;

		Source(long bytes) throws IOException {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			serve(this.server, (socket) -> {
				OutputStream out = socket.getOutputStream();
				byte[] block = new byte[16 * 1024];
				for (long sent = 0; sent < bytes; sent += block.length) {
					out.write(block, 0, (int) Math.min(block.length, bytes - sent));
				}
				socket.shutdownOutput();
			});
		}

		int port() {
			return this.server.getLocalPort();
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

	private interface Handler {

		void handle(Socket socket) throws IOException;

	}

	private static void serve(ServerSocket server, Handler handler) {
		Thread acceptor = new Thread(() -> {
			while (!server.isClosed()) {
				try {
					Socket socket = server.accept();
					Thread worker = new Thread(() -> {
						try (socket) {
							handler.handle(socket);
						}
						catch (IOException ex) {
							// the client went away
						}
					}, "bench-server");
					worker.setDaemon(true);
					worker.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "bench-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	static void check(boolean condition, String message) {
		if (!condition) {
			throw new UncheckedIOException(new IOException(message));
		}
	}

}
