package dev.dbfault.core.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Counts what a test may leak: threads of dbfault proxies and open sockets of this JVM
 * (read from {@code /proc/self/fd}, so Linux only).
 */
public final class Resources {

	private Resources() {
	}

	/**
	 * Returns the names of live threads that belong to dbfault proxies.
	 * @return the thread names
	 */
	public static Set<String> proxyThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith("dbfault-"))
			.collect(Collectors.toSet());
	}

	/**
	 * Returns how many sockets this process has open.
	 * @return the count
	 */
	public static int openSockets() {
		File[] fds = new File("/proc/self/fd").listFiles();
		int sockets = 0;
		if (fds != null) {
			for (File fd : fds) {
				try {
					if (Files.readSymbolicLink(Path.of(fd.getPath())).toString().startsWith("socket:")) {
						sockets++;
					}
				}
				catch (IOException ex) {
					// the descriptor closed while listing
				}
			}
		}
		return sockets;
	}

}
