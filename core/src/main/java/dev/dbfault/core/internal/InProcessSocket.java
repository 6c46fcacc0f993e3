package dev.dbfault.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The socket a JDBC driver gets from the in-process transport: a real socket to the
 * database, whose bytes pass the proxy's fault engine on the driver's own thread (an
 * {@link InProcessConnection}). Socket options go to the real socket; the read timeout is
 * kept here, since faults that hold data wait for it too.
 */
public final class InProcessSocket extends Socket {

	private final Supplier<ProxyServer> server;

	private final Socket socket = new Socket();

	private final InputStream input = new Input();

	private final OutputStream output = new Output();

	private volatile InProcessConnection connection;

	private volatile int timeout;

	private volatile boolean closed;

	private boolean inputShut;

	/**
	 * Creates an unconnected socket whose connections the given proxy runs.
	 * @param server finds the proxy when the socket connects, or throws an
	 * {@link IllegalStateException} saying why there is none (the connect then fails with an
	 * {@link IOException} with its message)
	 */
	public InProcessSocket(Supplier<ProxyServer> server) {
		this.server = server;
	}

	@Override
	public void connect(SocketAddress endpoint) throws IOException {
		connect(endpoint, 0);
	}

	@Override
	public void connect(SocketAddress endpoint, int timeout) throws IOException {
		Objects.requireNonNull(endpoint, "endpoint");
		if (timeout < 0) {
			throw new IllegalArgumentException("connect: timeout can't be negative");
		}
		if (this.closed) {
			throw new SocketException("Socket is closed");
		}
		if (this.connection != null) {
			throw new SocketException("already connected");
		}
		ProxyServer proxy;
		try {
			proxy = this.server.get();
		}
		catch (IllegalStateException ex) {
			throw new IOException(ex.getMessage());
		}
		InProcessConnection opened;
		try {
			opened = proxy.openInProcess("in-process", this.socket);
		}
		catch (IllegalStateException ex) {
			// stopped meanwhile: nothing answers any more
			throw new ConnectException("Connection refused (dbfault proxy '" + proxy.name() + "' stopped)");
		}
		if (opened == null) {
			throw new ConnectException("Connection refused");
		}
		this.connection = opened;
		opened.connect(endpoint, timeout);
	}

	private InProcessConnection connected() throws SocketException {
		if (this.closed) {
			throw new SocketException("Socket is closed");
		}
		InProcessConnection current = this.connection;
		if (current == null) {
			throw new SocketException("Socket is not connected");
		}
		return current;
	}

	@Override
	public void bind(SocketAddress bindpoint) throws IOException {
		this.socket.bind(bindpoint);
	}

	@Override
	public InputStream getInputStream() throws IOException {
		connected();
		if (this.inputShut) {
			throw new SocketException("Socket input is shutdown");
		}
		return this.input;
	}

	@Override
	public OutputStream getOutputStream() throws IOException {
		connected();
		return this.output;
	}

	@Override
	public void setSoTimeout(int timeout) throws SocketException {
		if (this.closed) {
			throw new SocketException("Socket is closed");
		}
		if (timeout < 0) {
			throw new IllegalArgumentException("timeout < 0");
		}
		this.timeout = timeout;
	}

	@Override
	public int getSoTimeout() throws SocketException {
		if (this.closed) {
			throw new SocketException("Socket is closed");
		}
		return this.timeout;
	}

	@Override
	public void setTcpNoDelay(boolean on) throws SocketException {
		this.socket.setTcpNoDelay(on);
	}

	@Override
	public boolean getTcpNoDelay() throws SocketException {
		return this.socket.getTcpNoDelay();
	}

	@Override
	public void setKeepAlive(boolean on) throws SocketException {
		this.socket.setKeepAlive(on);
	}

	@Override
	public boolean getKeepAlive() throws SocketException {
		return this.socket.getKeepAlive();
	}

	@Override
	public void setSoLinger(boolean on, int linger) throws SocketException {
		this.socket.setSoLinger(on, linger);
	}

	@Override
	public int getSoLinger() throws SocketException {
		return this.socket.getSoLinger();
	}

	@Override
	public void setReceiveBufferSize(int size) throws SocketException {
		this.socket.setReceiveBufferSize(size);
	}

	@Override
	public int getReceiveBufferSize() throws SocketException {
		return this.socket.getReceiveBufferSize();
	}

	@Override
	public void setSendBufferSize(int size) throws SocketException {
		this.socket.setSendBufferSize(size);
	}

	@Override
	public int getSendBufferSize() throws SocketException {
		return this.socket.getSendBufferSize();
	}

	@Override
	public void setReuseAddress(boolean on) throws SocketException {
		this.socket.setReuseAddress(on);
	}

	@Override
	public boolean getReuseAddress() throws SocketException {
		return this.socket.getReuseAddress();
	}

	@Override
	public void setTrafficClass(int tc) throws SocketException {
		this.socket.setTrafficClass(tc);
	}

	@Override
	public int getTrafficClass() throws SocketException {
		return this.socket.getTrafficClass();
	}

	@Override
	public void setOOBInline(boolean on) throws SocketException {
		this.socket.setOOBInline(on);
	}

	@Override
	public boolean getOOBInline() throws SocketException {
		return this.socket.getOOBInline();
	}

	@Override
	public void sendUrgentData(int data) throws IOException {
		this.socket.sendUrgentData(data);
	}

	@Override
	public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
		this.socket.setOption(name, value);
		return this;
	}

	@Override
	public <T> T getOption(SocketOption<T> name) throws IOException {
		return this.socket.getOption(name);
	}

	@Override
	public Set<SocketOption<?>> supportedOptions() {
		return this.socket.supportedOptions();
	}

	@Override
	public InetAddress getInetAddress() {
		return this.socket.getInetAddress();
	}

	@Override
	public InetAddress getLocalAddress() {
		return this.socket.getLocalAddress();
	}

	@Override
	public int getPort() {
		return this.socket.getPort();
	}

	@Override
	public int getLocalPort() {
		return this.socket.getLocalPort();
	}

	@Override
	public SocketAddress getRemoteSocketAddress() {
		return this.socket.getRemoteSocketAddress();
	}

	@Override
	public SocketAddress getLocalSocketAddress() {
		return this.socket.getLocalSocketAddress();
	}

	@Override
	public boolean isConnected() {
		return this.connection != null && this.socket.isConnected();
	}

	@Override
	public boolean isBound() {
		return this.socket.isBound();
	}

	@Override
	public boolean isClosed() {
		return this.closed;
	}

	@Override
	public boolean isInputShutdown() {
		return this.inputShut;
	}

	@Override
	public boolean isOutputShutdown() {
		return this.socket.isOutputShutdown();
	}

	@Override
	public void shutdownInput() throws IOException {
		connected();
		this.inputShut = true;
	}

	@Override
	public void shutdownOutput() throws IOException {
		connected().shutdownOutput();
	}

	@Override
	public void close() throws IOException {
		if (this.closed) {
			return;
		}
		this.closed = true;
		InProcessConnection current = this.connection;
		if (current != null) {
			current.closeByDriver();
		}
		else {
			this.socket.close();
		}
	}

	@Override
	public String toString() {
		return "dbfault in-process " + this.socket;
	}

	private final class Input extends InputStream {

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int read = read(one, 0, 1);
			return (read < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] bytes, int offset, int length) throws IOException {
			Objects.checkFromIndexSize(offset, length, bytes.length);
			InProcessConnection current = connected();
			if (InProcessSocket.this.inputShut) {
				return -1;
			}
			return current.read(bytes, offset, length, InProcessSocket.this.timeout);
		}

		@Override
		public int available() throws IOException {
			return connected().available();
		}

		@Override
		public void close() throws IOException {
			InProcessSocket.this.close();
		}

	}

	private final class Output extends OutputStream {

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			Objects.checkFromIndexSize(offset, length, bytes.length);
			connected().write(bytes, offset, length);
		}

		@Override
		public void close() throws IOException {
			InProcessSocket.this.close();
		}

	}

}
