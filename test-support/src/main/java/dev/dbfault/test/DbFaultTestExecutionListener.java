package dev.dbfault.test;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.JournalEntry;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Heals every fault before and after each test method whose context routes DataSources
 * through dbfault, so a fault cannot leak from one test into the next, even when tests
 * share a cached context; and when a test fails, adds to its failure what dbfault did
 * during it: each fault injected, with the seed that replays its choices, and the journal
 * entries of what fired where (a {@link DbFaultReport}, attached as a suppressed exception,
 * so that the test report shows it under the failure, and logged at WARN; a failed run of
 * a {@link DbFaultExplore} method adds where the report of every run is). Contexts
 * without dbfault are not touched, and none is loaded.
 */
public class DbFaultTestExecutionListener implements TestExecutionListener, Ordered {

	private static final Logger logger = System.getLogger("dev.dbfault");

	/** Where each proxy's journal stood when the test started, and when that was. */
	private static final String START = DbFaultTestExecutionListener.class.getName() + ".start";

	/** The most journal entries a report shows per proxy: the last ones. */
	static final int REPORTED_ENTRIES = 50;

	@Override
	public int getOrder() {
		// after the context is ready, before transactional and other listeners act
		return 1900;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		DbFaultProxies proxies = proxies(testContext);
		if (proxies == null) {
			return;
		}
		proxies.healAll();
		Map<String, Long> marks = new LinkedHashMap<>();
		for (FaultProxy proxy : proxies.proxies()) {
			marks.put(proxy.name(), proxy.nextJournalSequence());
		}
		testContext.setAttribute(START, new Start(Instant.now(), marks));
		testContext.getApplicationContext().getBeanProvider(DbFault.class).ifAvailable((dbFault) -> dbFault.testStarted(marks));
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		DbFaultProxies proxies = proxies(testContext);
		if (proxies == null) {
			return;
		}
		Object start = testContext.removeAttribute(START);
		Throwable failure = testContext.getTestException();
		java.nio.file.Path exploration = (failure instanceof Exploration.ExploreFailure explored) ? explored.report()
				: null;
		if (failure != null && start instanceof Start started) {
			String what = report(proxies.proxies(), started);
			String report = (what != null && exploration != null)
					? what + "\n  every run of the exploration: " + exploration : what;
			if (report != null) {
				failure.addSuppressed(new DbFaultReport(report));
				logger.log(Level.WARNING, () -> testContext.getTestMethod().getName() + " failed; " + report);
			}
		}
		testContext.getApplicationContext().getBeanProvider(DbFault.class).ifAvailable(DbFault::testFinished);
		proxies.healAll();
	}

	private static DbFaultProxies proxies(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return null;
		}
		return testContext.getApplicationContext().getBeanProvider(DbFaultProxies.class).getIfAvailable();
	}

	/**
	 * Describes the faults injected since the test started and what they fired on, or
	 * returns {@code null} when no fault was injected.
	 */
	static String report(List<FaultProxy> proxies, Start start) {
		StringBuilder text = new StringBuilder(
				"what dbfault did during the test (inject a fault again with \"seed\" set to its seed to replay its choices):");
		boolean any = false;
		for (FaultProxy proxy : proxies) {
			List<ActiveFault> faults = new ArrayList<>();
			for (ActiveFault fault : proxy.recentFaults()) {
				if (!fault.injectedAt().isBefore(start.time())) {
					faults.add(fault);
				}
			}
			long mark = start.marks().getOrDefault(proxy.name(), 1L);
			List<JournalEntry> entries = proxy.journal(null, mark - 1, null);
			if (faults.isEmpty() && entries.isEmpty()) {
				continue;
			}
			any = true;
			faults.sort(Comparator.comparing(ActiveFault::injectedAt));
			text.append("\n  proxy '").append(proxy.name()).append("':");
			for (ActiveFault fault : faults) {
				text.append("\n    fault ").append(fault.id()).append(' ').append(fault.type().id()).append(' ')
					.append(JournalEntry.printable(fault.spec().toMap().toString())).append(" seed ").append(fault.seed()).append(", fired ")
					.append(fault.fired()).append(fault.removal().map((removal) -> ", ended: "
							+ removal.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).orElse(""));
			}
			if (proxy.journalSize() == 0) {
				text.append("\n    journal: off (dbfault.journal-size=0)");
				continue;
			}
			if (entries.isEmpty()) {
				text.append("\n    journal: nothing fired");
				continue;
			}
			boolean lost = entries.get(0).sequence() > mark;
			text.append("\n    journal (").append(entries.size()).append(entries.size() == 1 ? " entry" : " entries");
			if (entries.size() > REPORTED_ENTRIES) {
				text.append(", the last ").append(REPORTED_ENTRIES).append(" shown; FaultProxy.journal() has them all");
				entries = entries.subList(entries.size() - REPORTED_ENTRIES, entries.size());
			}
			text.append("):");
			if (lost) {
				text.append("\n      (older entries of this test fell out of the journal: raise dbfault.journal-size)");
			}
			for (JournalEntry entry : entries) {
				text.append("\n      ").append(entry);
			}
		}
		return any ? text.toString() : null;
	}

	/**
	 * When a test started, and the next journal entry of each proxy then.
	 */
	record Start(Instant time, Map<String, Long> marks) {
	}

	/**
	 * What dbfault did during a failed test, attached to its failure.
	 */
	public static final class DbFaultReport extends RuntimeException {

		private static final long serialVersionUID = 1L;

		DbFaultReport(String report) {
			super(report, null, false, false);
		}

	}

}
