package dev.dbfault.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A plain relay that records every byte of its connections each way, to capture real
 * protocol traffic for replay tests.
 */
public final class RecordingRelay implements AutoCloseable {

	private final ServerSocket server;

	private final ByteArrayOutputStream upstream = new ByteArrayOutputStream();

	private final ByteArrayOutputStream downstream = new ByteArrayOutputStream();

	private final Thread acceptor;

	public RecordingRelay(String host, int port) {
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.acceptor = new Thread(() -> {
			while (!this.server.isClosed()) {
				try {
					Socket client = this.server.accept();
					Socket target = new Socket(host, port);
					pump(client, target, this.upstream);
					pump(target, client, this.downstream);
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "test-recording-relay");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	private static void pump(Socket from, Socket to, ByteArrayOutputStream record) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[8192];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					synchronized (record) {
						record.write(buffer, 0, read);
					}
					out.write(buffer, 0, read);
				}
				to.shutdownOutput();
			}
			catch (IOException ex) {
				// one side went away; the other pump ends too
			}
		}, "test-recording-pump");
		thread.setDaemon(true);
		thread.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** Bytes the clients sent, all connections in order of arrival. */
	public byte[] upstreamBytes() {
		synchronized (this.upstream) {
			return this.upstream.toByteArray();
		}
	}

	/** Bytes the server sent. */
	public byte[] downstreamBytes() {
		synchronized (this.downstream) {
			return this.downstream.toByteArray();
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
	}

}
