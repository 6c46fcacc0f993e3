package dev.dbfault.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real TCP server on 127.0.0.1 for proxy tests. In echo mode each connection sends back
 * what it receives; in manual mode the test drives each accepted connection through
 * {@link Peer}. Every accepted connection is recorded, so a test can tell what the server
 * side saw (data, an end of stream, a reset).
 */
public final class Upstream implements AutoCloseable {

	private final ServerSocket server;

	private final boolean echo;

	private final Thread acceptor;

	private final BlockingQueue<Peer> accepted = new LinkedBlockingQueue<>();

	private final List<Peer> all = new CopyOnWriteArrayList<>();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private Upstream(boolean echo) {
		try {
			this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.echo = echo;
		this.acceptor = new Thread(this::acceptLoop, "test-upstream-accept");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	/** An upstream that echoes every byte back. */
	public static Upstream echo() {
		return new Upstream(true);
	}

	/** An upstream whose connections the test reads and writes itself. */
	public static Upstream manual() {
		return new Upstream(false);
	}

	public int port() {
		return this.server.getLocalPort();
	}

	public InetSocketAddress address() {
		return new InetSocketAddress("127.0.0.1", port());
	}

	/**
	 * Waits for the next accepted connection.
	 * @param timeout the deadline
	 * @return the connection's server side
	 * @throws AssertionError if none arrives in time
	 */
	public Peer awaitConnection(Duration timeout) {
		try {
			Peer peer = this.accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (peer == null) {
				throw new AssertionError("No connection reached the upstream within " + timeout);
			}
			return peer;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Returns whether a connection arrives within the given time, without taking it.
	 * @param within how long to watch
	 * @return whether one arrived
	 */
	public boolean connectionArrives(Duration within) {
		long deadline = System.nanoTime() + within.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.accepted.isEmpty()) {
				return true;
			}
			sleep(5);
		}
		return !this.accepted.isEmpty();
	}

	/** Every connection accepted so far. */
	public List<Peer> connections() {
		return new ArrayList<>(this.all);
	}

	private void acceptLoop() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				socket.setTcpNoDelay(true);
				Peer peer = new Peer(socket);
				this.all.add(peer);
				if (this.echo) {
					Thread thread = new Thread(peer::echoLoop, "test-upstream-echo");
					thread.setDaemon(true);
					this.threads.add(thread);
					thread.start();
				}
				this.accepted.add(peer);
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		for (Peer peer : this.all) {
			peer.close();
		}
		join(this.acceptor);
		this.threads.forEach(Upstream::join);
	}

	private static void join(Thread thread) {
		try {
			thread.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * The server side of one connection.
	 */
	public static final class Peer {

		/** How the stream of a connection ended, as its reader saw it. */
		public enum End {

			/** Still open. */
			OPEN,

			/** An orderly end of stream (FIN). */
			EOF,

			/** A reset (RST) or another socket error. */
			RESET

		}

		private final Socket socket;

		private final long acceptedAt = System.nanoTime();

		private volatile End end = End.OPEN;

		private volatile long bytesReceived;

		Peer(Socket socket) {
			this.socket = socket;
		}

		public Socket socket() {
			return this.socket;
		}

		public long acceptedAt() {
			return this.acceptedAt;
		}

		public long bytesReceived() {
			return this.bytesReceived;
		}

		/** How the stream ended, as the echo loop or the last read saw it. */
		public End end() {
			return this.end;
		}

		void echoLoop() {
			byte[] buffer = new byte[16 * 1024];
			try {
				InputStream in = this.socket.getInputStream();
				OutputStream out = this.socket.getOutputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					this.bytesReceived += read;
					out.write(buffer, 0, read);
				}
				this.end = End.EOF;
				this.socket.shutdownOutput();
			}
			catch (IOException ex) {
				if (this.end == End.OPEN) {
					this.end = End.RESET;
				}
			}
		}

		/**
		 * Reads exactly {@code length} bytes.
		 * @param length how many
		 * @param timeout the deadline for all of them
		 * @return the bytes
		 */
		public byte[] read(int length, Duration timeout) {
			return Streams.readFully(this.socket, length, timeout);
		}

		public void write(byte[] data) {
			try {
				this.socket.getOutputStream().write(data);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Reads until the stream ends and says how: an end of stream or a reset.
		 * @param timeout the deadline
		 * @return how it ended; {@link End#OPEN} if it did not end in time
		 */
		public End awaitEnd(Duration timeout) {
			End result = Streams.awaitEnd(this.socket, timeout);
			if (result != End.OPEN) {
				this.end = result;
			}
			return result;
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

	}

	/**
	 * Blocking socket helpers with deadlines.
	 */
	public static final class Streams {

		private Streams() {
		}

		public static byte[] readFully(Socket socket, int length, Duration timeout) {
			byte[] data = new byte[length];
			int offset = 0;
			long deadline = System.nanoTime() + timeout.toNanos();
			try {
				InputStream in = socket.getInputStream();
				while (offset < length) {
					long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
					if (left <= 0) {
						throw new AssertionError("Read " + offset + " of " + length + " bytes within " + timeout);
					}
					socket.setSoTimeout((int) Math.max(1, left));
					int read = in.read(data, offset, length - offset);
					if (read < 0) {
						throw new AssertionError("Stream ended after " + offset + " of " + length + " bytes");
					}
					offset += read;
				}
				return data;
			}
			catch (SocketTimeoutException ex) {
				throw new AssertionError("Read " + offset + " of " + length + " bytes within " + timeout);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Reads and discards until the stream ends.
		 * @param socket the socket
		 * @param timeout the deadline
		 * @return EOF or RESET, or OPEN when nothing ended in time
		 */
		public static Peer.End awaitEnd(Socket socket, Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			byte[] buffer = new byte[8192];
			try {
				InputStream in = socket.getInputStream();
				while (true) {
					long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
					if (left <= 0) {
						return Peer.End.OPEN;
					}
					socket.setSoTimeout((int) Math.max(1, left));
					try {
						if (in.read(buffer) < 0) {
							return Peer.End.EOF;
						}
					}
					catch (SocketTimeoutException ex) {
						return Peer.End.OPEN;
					}
				}
			}
			catch (SocketException ex) {
				return Peer.End.RESET;
			}
			catch (IOException ex) {
				return Peer.End.RESET;
			}
		}

	}

}
