package dev.dbfault.test;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.FaultProxyListener;
import dev.dbfault.core.fault.ActiveFault;

/**
 * Where the statements of a {@link DbFaultExplore} test's run with no fault came from. On
 * the in-process transport the driver meets each statement on the thread that issued it,
 * so the first frame of that thread's stack outside the JDK, the driver, the pool, Spring,
 * JUnit and dbfault is the application's or the test's line that issued it; through the
 * relay no such frame is on the relay's thread, and the call site stays unknown.
 */
final class CallSites implements FaultProxyListener {

	private static final CallSites INSTANCE = new CallSites();

	/** The proxies this listens to: a proxy takes a listener for good, so each gets it once. */
	private static final Set<FaultProxy> LISTENED = Collections
		.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

	/** The call sites of the recordings under way: by proxy, then by firing of its recorder. */
	private static final Map<FaultProxy, Map<Long, String>> recordings = new ConcurrentHashMap<>();

	private static final List<String> FRAMEWORKS = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "jakarta.",
			"org.postgresql.", "com.zaxxer.", "org.springframework.", "dev.dbfault.core.", "dev.dbfault.autoconfigure.",
			"dev.dbfault.test.", "org.junit.", "org.opentest4j.", "org.apache.maven.", "org.gradle.", "org.assertj.",
			"org.awaitility.", "net.bytebuddy.", "org.aspectj.", "io.micrometer.", "reactor.", "org.hibernate.",
			"kotlin.", "com.intellij.", "org.eclipse.");

	private CallSites() {
	}

	/**
	 * Starts noting where the statements through a proxy come from.
	 * @param proxy the proxy
	 * @return the call sites, by firing of the proxy's recorder, as they are noted
	 */
	static Map<Long, String> start(FaultProxy proxy) {
		if (LISTENED.add(proxy)) {
			proxy.addListener(INSTANCE);
		}
		Map<Long, String> sites = new ConcurrentHashMap<>();
		recordings.put(proxy, sites);
		return sites;
	}

	static void stop(FaultProxy proxy) {
		recordings.remove(proxy);
	}

	@Override
	public void faultFired(FaultProxy proxy, ActiveFault fault) {
		Map<Long, String> sites = recordings.get(proxy);
		if (sites == null || !Exploration.RECORDER.equals(fault.id())) {
			return;
		}
		String site = StackWalker.getInstance()
			.walk((frames) -> frames.filter((frame) -> !framework(frame.getClassName()))
				.findFirst()
				.map(CallSites::describe)
				.orElse(null));
		if (site != null) {
			sites.put(fault.fired(), site);
		}
	}

	private static boolean framework(String className) {
		if (className.contains("$$")) {
			return true;
		}
		for (String prefix : FRAMEWORKS) {
			if (className.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	private static String describe(StackWalker.StackFrame frame) {
		String type = frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1);
		String method = frame.getMethodName();
		if (method.startsWith("lambda$")) {
			int end = method.indexOf('$', 7);
			method = method.substring(7, (end > 7) ? end : method.length());
		}
		return type + "." + method + ":" + frame.getLineNumber();
	}

}
