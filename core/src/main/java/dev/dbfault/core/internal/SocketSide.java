package dev.dbfault.core.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One socket of a {@link Link} and the selection interest its two pipes want: reading for
 * the pipe it feeds, writing for the pipe that drains into it. Loop only.
 */
final class SocketSide extends ReadyHandler {

	private final Link link;

	private final SocketChannel channel;

	private SelectionKey key;

	private Pipe inbound;

	private Pipe outbound;

	private boolean wantRead;

	private boolean wantWrite;

	private boolean connecting;

	private int ops;

	SocketSide(Link link, SocketChannel channel) {
		this.link = link;
		this.channel = channel;
	}

	void pipes(Pipe inbound, Pipe outbound) {
		this.inbound = inbound;
		this.outbound = outbound;
	}

	SocketChannel channel() {
		return this.channel;
	}

	void register(Selector selector) throws ClosedChannelException {
		this.ops = interest();
		this.key = this.channel.register(selector, this.ops, this);
	}

	void wantRead(boolean wantRead) {
		if (this.wantRead != wantRead) {
			this.wantRead = wantRead;
			update();
		}
	}

	void wantWrite(boolean wantWrite) {
		if (this.wantWrite != wantWrite) {
			this.wantWrite = wantWrite;
			update();
		}
	}

	void connecting(boolean connecting) {
		this.connecting = connecting;
		update();
	}

	private int interest() {
		return (this.wantRead ? SelectionKey.OP_READ : 0) | (this.wantWrite ? SelectionKey.OP_WRITE : 0)
				| (this.connecting ? SelectionKey.OP_CONNECT : 0);
	}

	private void update() {
		int interest = interest();
		if (this.key != null && interest != this.ops && this.key.isValid()) {
			this.key.interestOps(interest);
			this.ops = interest;
		}
	}

	/**
	 * Closes the socket; with {@code reset}, abortively (SO_LINGER 0), so the peer gets a RST.
	 * @param reset whether to reset rather than close normally
	 */
	void close(boolean reset) {
		if (!this.channel.isOpen()) {
			return;
		}
		try {
			if (reset) {
				this.channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
			}
		}
		catch (IOException ex) {
			// not connected (yet): a plain close is all there is
		}
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// closing is all we wanted; the peer sees the socket go either way
		}
	}

	@Override
	public void handle(SelectionKey key) {
		int ready = key.readyOps();
		if ((ready & SelectionKey.OP_CONNECT) != 0) {
			this.link.finishConnect();
		}
		if ((ready & SelectionKey.OP_READ) != 0 && !this.link.isClosed() && this.inbound != null) {
			this.inbound.onReadable();
		}
		if ((ready & SelectionKey.OP_WRITE) != 0 && !this.link.isClosed() && this.outbound != null) {
			this.outbound.flush();
		}
	}

	@Override
	public void failed(Throwable ex) {
		this.link.reset();
	}

}
