package dev.dbfault.core;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.dbfault.core.fault.JournalEntry;
import dev.dbfault.core.internal.ProxyServer;

/**
 * The running proxies of this JVM, by the name their in-process sockets give
 * ({@link FaultProxy#socketFactoryArg()}): a proxy's name, or its name with {@code @2},
 * {@code @3}, ... while another running proxy has it. Thread-safe.
 */
final class InProcessNames {

	/** How much of an unknown name a message repeats. */
	private static final int SHOWN = 200;

	private static final Map<String, FaultProxy> running = new ConcurrentHashMap<>();

	private InProcessNames() {
	}

	/**
	 * Gives a proxy that starts the first free name for it.
	 * @param proxy the proxy
	 * @return its name for in-process sockets
	 */
	static String register(FaultProxy proxy) {
		synchronized (running) {
			String key = proxy.name();
			for (int n = 2; running.containsKey(key); n++) {
				key = proxy.name() + "@" + n;
			}
			running.put(key, proxy);
			return key;
		}
	}

	/**
	 * Forgets a stopped proxy's name, so that a later proxy may take it.
	 * @param key the name it was given
	 * @param proxy the proxy
	 */
	static void unregister(String key, FaultProxy proxy) {
		running.remove(key, proxy);
	}

	/**
	 * Finds the running proxy an in-process socket names.
	 * @param name the {@code socketFactoryArg}
	 * @return the proxy's server
	 * @throws IllegalStateException naming it and the running proxies, if none has the name
	 */
	static ProxyServer find(String name) {
		FaultProxy proxy = (name != null) ? running.get(name) : null;
		ProxyServer server = (proxy != null) ? proxy.server() : null;
		if (server == null) {
			throw new IllegalStateException(((name == null || name.isEmpty())
					? "dbfault: socketFactoryArg is missing; it names the fault proxy to connect through"
					: "dbfault: no fault proxy named '" + JournalEntry.printable(name.substring(0, Math.min(name.length(), SHOWN)))
							+ ((name.length() > SHOWN) ? "…" : "") + "' runs in this JVM")
					+ " (running: " + new TreeSet<>(running.keySet()) + ")");
		}
		return server;
	}

}
