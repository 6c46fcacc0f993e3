package dev.dbfault.test;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.fault.JournalEntry;

import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;
import org.opentest4j.TestAbortedException;

/**
 * The exploration of one {@link DbFaultExplore} method: its run with no fault records the
 * statements, the plan says which statement meets which kind in which run, each run's
 * outcome is kept, and the report tells them all.
 */
final class Exploration {

	private static final Logger logger = System.getLogger("dev.dbfault");

	/** The id of the fault that records the statements of the run with no fault. */
	static final String RECORDER = "dbfault-explore";

	/** The id prefix of each run's fault. */
	private static final String VARIATION = "dbfault-explore-";

	/** The folder reports go to, unless the system property says another. */
	static final String REPORTS = "target/dbfault-explore";

	private final String name;

	private final DbFaultExplore settings;

	private final Pattern skip;

	/** The fault kinds, each once, in the order the annotation names them. */
	private final List<ExploreFault> kinds;

	private final Path report;

	private final long started = System.nanoTime();

	private List<ExploredStatement> statements = List.of();

	private final List<ExploreVariation> plan = new ArrayList<>();

	/** Each statement's outcome per kind, by statement number. */
	private final Map<Integer, Map<ExploreFault, String>> outcomes = new HashMap<>();

	/** What the run with no fault ended with, or {@code null} when it passed. */
	private String recordingFailure;

	private boolean recorded;

	/** The failed runs: each one's name, and the line that reproduces it or why it failed. */
	private final List<String[]> failures = new ArrayList<>();

	Exploration(Class<?> testClass, String method, DbFaultExplore settings) {
		this.name = testClass.getName() + "." + method;
		this.settings = settings;
		if (settings.maxVariants() < 1) {
			throw new IllegalArgumentException("@DbFaultExplore(maxVariants = " + settings.maxVariants() + ") on "
					+ this.name + ": maxVariants must be at least 1");
		}
		if (settings.faults().length == 0) {
			throw new IllegalArgumentException("@DbFaultExplore(faults = {}) on " + this.name
					+ ": name at least one fault kind");
		}
		this.kinds = List.copyOf(new java.util.LinkedHashSet<>(List.of(settings.faults())));
		try {
			Faults.sqlError("x", settings.sqlState()).build();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("@DbFaultExplore(sqlState = \"" + settings.sqlState() + "\") on "
					+ this.name + ": " + ex.getMessage(), ex);
		}
		try {
			this.skip = settings.skip().isEmpty() ? null : Pattern.compile(settings.skip());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("@DbFaultExplore(skip = \"" + settings.skip() + "\") on " + this.name
					+ " is not a regular expression: " + ex.getMessage(), ex);
		}
		String folder = System.getProperty("dbfault.explore.reports", REPORTS);
		this.report = Path.of(folder).resolve(testClass.getName() + "." + method + ".md").toAbsolutePath();
	}

	/**
	 * Runs the test with no fault, recording what each proxy's statements were.
	 */
	void record(ExploreProxies proxies, Invocation<Void> invocation) throws Throwable {
		proxies.settle();
		Map<FaultProxy, Long> marks = new LinkedHashMap<>();
		for (FaultProxy proxy : proxies.proxies()) {
			if (proxy.journalSize() == 0) {
				throw new IllegalStateException("@DbFaultExplore reads the statements from the journal of proxy '"
						+ proxy.name() + "', which keeps none: set dbfault.journal-size above 0");
			}
			marks.put(proxy, proxy.nextJournalSequence());
		}
		Map<FaultProxy, Map<Long, String>> callSites = new LinkedHashMap<>();
		Throwable failure = null;
		try {
			for (FaultProxy proxy : marks.keySet()) {
				callSites.put(proxy, CallSites.start(proxy));
				proxy.inject(RECORDER, Faults.sqlLatency("\\S", Duration.ZERO).build());
			}
			invocation.proceed();
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finally {
			for (FaultProxy proxy : marks.keySet()) {
				CallSites.stop(proxy);
				try {
					proxy.remove(RECORDER);
				}
				catch (RuntimeException ex) {
					if (failure == null) {
						failure = ex;
					}
					else {
						failure.addSuppressed(ex);
					}
				}
			}
		}
		// numbered and counted per proxy in the journal's order, then merged by time
		List<ExploredStatement> recorded = new ArrayList<>();
		for (Map.Entry<FaultProxy, Long> mark : marks.entrySet()) {
			FaultProxy proxy = mark.getKey();
			List<JournalEntry> journal = proxy.journal(RECORDER, mark.getValue() - 1, null);
			if (!journal.isEmpty() && journal.get(0).fired() > 1 && failure == null) {
				failure = new IllegalStateException("The journal of proxy '" + proxy.name() + "' kept the last "
						+ journal.size() + " of the " + journal.get(journal.size() - 1).fired()
						+ " statements the test caused: raise dbfault.journal-size to explore them all");
			}
			Map<Long, String> sites = callSites.getOrDefault(proxy, Map.of());
			Map<String, Integer> seen = new HashMap<>();
			for (JournalEntry entry : journal) {
				if (entry.statement() != null) {
					int occurrence = seen.merge(entry.statement(), 1, Integer::sum) - 1;
					recorded.add(new ExploredStatement(0, proxy.name(), entry.statement(), occurrence,
							sites.get(entry.fired()), entry.time()));
				}
			}
		}
		recorded.sort(java.util.Comparator.comparing(ExploredStatement::time));
		List<ExploredStatement> statements = new ArrayList<>();
		for (ExploredStatement statement : recorded) {
			statements.add(statement.numbered(statements.size() + 1));
		}
		this.statements = statements;
		this.recorded = true;
		if (failure != null) {
			this.recordingFailure = (failure instanceof TestAbortedException)
					? "The test was aborted with no fault (" + firstLine(failure) + "): nothing was explored."
					: "The test failed with no fault (" + firstLine(failure) + "): nothing was explored; make it pass first.";
			writeReport();
			throw failure;
		}
		plan();
		writeReport();
	}

	private static String firstLine(Throwable failure) {
		return String.valueOf(failure).lines().findFirst().orElse("");
	}

	private void plan() {
		Map<String, Integer> explored = new HashMap<>();
		long base = this.name.hashCode() * 0x9E3779B97F4A7C15L;
		for (ExploredStatement statement : this.statements) {
			Map<ExploreFault, String> outcome = outcome(statement);
			String reason = statement.notExplored();
			if (reason == null && this.skip != null && this.skip.matcher(statement.sql()).find()) {
				reason = "skip pattern";
			}
			if (reason == null && !this.settings.everyOccurrence()) {
				Integer first = explored.putIfAbsent(statement.shape(), statement.number());
				if (first != null) {
					reason = "as #" + first;
				}
			}
			for (ExploreFault kind : this.kinds) {
				if (reason != null) {
					outcome.put(kind, "skipped: " + reason);
				}
				else if (kind == ExploreFault.DROP_AFTER && !statement.writes()) {
					outcome.put(kind, "—");
				}
				else if (this.plan.size() >= this.settings.maxVariants()) {
					outcome.put(kind, "skipped: beyond maxVariants");
				}
				else {
					int index = this.plan.size() + 1;
					long seed = (base + index * 0xBF58476D1CE4E5B9L) & dev.dbfault.core.fault.FaultOptions.MAX_SEED;
					this.plan.add(new ExploreVariation(index, statement, kind, this.settings.sqlState(), seed));
					outcome.put(kind, "not run");
				}
			}
		}
	}

	private Map<ExploreFault, String> outcome(ExploredStatement statement) {
		return this.outcomes.computeIfAbsent(statement.number(), (number) -> new EnumMap<>(ExploreFault.class));
	}

	/**
	 * Returns the runs with a fault, once the run with no fault has passed.
	 * @return the runs, none if the run with no fault failed or never ran
	 */
	List<ExploreVariation> variations() {
		return List.copyOf(this.plan);
	}

	/**
	 * Runs the test with one fault on one statement.
	 */
	void run(ExploreProxies proxies, ExploreVariation variation, Invocation<Void> invocation) throws Throwable {
		try {
			runWith(proxies, variation, invocation);
		}
		finally {
			writeReport();
		}
	}

	private void runWith(ExploreProxies proxies, ExploreVariation variation, Invocation<Void> invocation)
			throws Throwable {
		proxies.settle();
		FaultProxy proxy = proxies.proxy(variation.statement().proxyName());
		String id = VARIATION + variation.index();
		Throwable failure = null;
		long fired = 0;
		try {
			proxy.inject(id, variation.fault());
			invocation.proceed();
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finally {
			try {
				fired = proxy.fault(id).or(() -> proxy.endedFault(id)).map(ActiveFault::fired).orElse(0L);
				proxy.remove(id);
			}
			catch (RuntimeException ex) {
				failure = join(failure, ex);
			}
		}
		if (fired > 0 && variation.kind() != ExploreFault.SQL_ERROR) {
			try {
				proxies.restore();
			}
			catch (RuntimeException | AssertionError ex) {
				failure = join(failure, ex);
			}
		}
		Map<ExploreFault, String> outcome = outcome(variation.statement());
		if (failure instanceof TestAbortedException) {
			outcome.put(variation.kind(), "aborted");
			throw failure;
		}
		if (fired == 0) {
			outcome.put(variation.kind(), (failure != null) ? "failed before the statement" : "not reached");
			if (failure != null) {
				this.failures.add(new String[] { variation.name(), "failed before its statement ran: " + firstLine(failure) });
				throw failure;
			}
			throw new TestAbortedException("Statement #" + variation.statement().number() + " `"
					+ variation.statement().sql() + "` did not run again in this run, so its fault never fired");
		}
		if (failure == null) {
			outcome.put(variation.kind(), "passed");
			return;
		}
		outcome.put(variation.kind(), "**failed**");
		String reproduce = variation.reproduction(proxies.reach(proxy));
		this.failures.add(new String[] { variation.name(), reproduce });
		throw new ExploreFailure(describe(variation, proxy) + " and the test failed: "
				+ failure.toString().stripTrailing() + "\nReproduce it in a plain test, injected as the test starts:\n    "
				+ reproduce + "\nReport: " + this.report, failure, this.report);
	}

	private static Throwable join(Throwable failure, Throwable more) {
		if (failure == null) {
			return more;
		}
		failure.addSuppressed(more);
		return failure;
	}

	private String describe(ExploreVariation variation, FaultProxy proxy) {
		ExploredStatement statement = variation.statement();
		return "Statement #" + statement.number() + " of " + this.statements.size() + " `" + statement.sql() + "`"
				+ ((statement.callSite() != null) ? " from " + statement.callSite() : "") + " on proxy '"
				+ proxy.name() + "' met " + variation.kind().id()
				+ ((variation.kind() == ExploreFault.SQL_ERROR) ? " " + variation.sqlState() : "") + " (seed "
				+ variation.seed() + ")";
	}

	/**
	 * Logs the report and writes it under {@code target/dbfault-explore/}, once every run
	 * has run.
	 */
	void report() {
		String text = writeReport();
		logger.log(Level.INFO, () -> "dbfault exploration of " + this.name + ":\n" + text);
	}

	/**
	 * Writes the report as it stands: after each run, so that the path a failure names holds
	 * this exploration's report even if the rest never runs.
	 */
	private String writeReport() {
		String text = reportText();
		try {
			Files.createDirectories(this.report.getParent());
			Files.writeString(this.report, text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			logger.log(Level.WARNING, () -> "Could not write the exploration report " + this.report + ": " + ex);
		}
		return text;
	}

	String reportText() {
		StringBuilder text = new StringBuilder("# Exploration of ").append(code(this.name)).append("\n\n");
		long millis = Duration.ofNanos(System.nanoTime() - this.started).toMillis();
		if (!this.recorded) {
			return text.append("The run with no fault did not finish: nothing was explored.\n").toString();
		}
		if (this.recordingFailure != null) {
			text.append(JournalEntry.printable(this.recordingFailure)).append("\n\n");
		}
		List<String> outcomes = this.outcomes.values().stream().flatMap((each) -> each.values().stream()).toList();
		long runs = 1 + outcomes.stream()
			.filter((outcome) -> !outcome.startsWith("skipped") && !outcome.equals("—") && !outcome.equals("not run"))
			.count();
		long failed = outcomes.stream().filter((outcome) -> outcome.contains("failed")).count();
		text.append(this.statements.size()).append(" statements, ").append(runs).append(" runs (")
			.append(runs - 1).append(" with a fault), ").append(failed).append(" failed, ")
			.append(millis).append(" ms.\n\n");
		boolean sites = this.statements.stream().anyMatch((statement) -> statement.callSite() != null);
		boolean proxies = this.statements.stream().map(ExploredStatement::proxyName).distinct().count() > 1;
		text.append("| # | statement |").append(sites ? " call site |" : "").append(proxies ? " proxy |" : "");
		for (ExploreFault kind : this.kinds) {
			text.append(' ').append(kind.id()).append(" |");
		}
		text.append("\n|---|---|").append(sites ? "---|" : "").append(proxies ? "---|" : "");
		text.append("---|".repeat(this.kinds.size())).append('\n');
		for (ExploredStatement statement : this.statements) {
			text.append("| ").append(statement.number()).append(" | ").append(cell(code(statement.sql()))).append(" |");
			if (sites) {
				text.append(' ').append((statement.callSite() != null) ? cell(statement.callSite()) : "").append(" |");
			}
			if (proxies) {
				text.append(' ').append(cell(statement.proxyName())).append(" |");
			}
			Map<ExploreFault, String> outcome = this.outcomes.getOrDefault(statement.number(), Map.of());
			for (ExploreFault kind : this.kinds) {
				text.append(' ').append(outcome.getOrDefault(kind, "")).append(" |");
			}
			text.append('\n');
		}
		if (!this.failures.isEmpty()) {
			text.append("\nFailed runs, each with the line that injects its fault in a plain test:\n");
			for (String[] failure : this.failures) {
				text.append("\n- ").append(code(failure[0])).append("\n\n").append(fenced(failure[1]).indent(2));
			}
		}
		return text.toString();
	}

	/** A table cell: a pipe would end it (inside a code span too, in GitHub's tables). */
	private static String cell(String text) {
		return text.replace("|", "\\|");
	}

	/** A code span that no backtick in the text can end, its control characters written out. */
	private static String code(String text) {
		String printable = JournalEntry.printable(text);
		String ticks = "`".repeat(longestRun(printable, '`') + 1);
		String pad = (printable.startsWith("`") || printable.endsWith("`")) ? " " : "";
		return ticks + pad + printable + pad + ticks;
	}

	/** A fenced block that no line of the text can end. */
	private static String fenced(String text) {
		String fence = "`".repeat(Math.max(3, longestRun(text, '`') + 1));
		return fence + "java\n" + JournalEntry.printable(text) + "\n" + fence;
	}

	private static int longestRun(String text, char c) {
		int longest = 0;
		int run = 0;
		for (int i = 0; i < text.length(); i++) {
			run = (text.charAt(i) == c) ? run + 1 : 0;
			longest = Math.max(longest, run);
		}
		return longest;
	}

	/**
	 * A run with a fault in which the test failed: names the statement, the fault, its seed
	 * and how to reproduce it.
	 */
	static final class ExploreFailure extends AssertionError {

		private static final long serialVersionUID = 1L;

		private final transient Path report;

		ExploreFailure(String message, Throwable cause, Path report) {
			super(message, cause);
			this.report = report;
		}

		/**
		 * Returns where the report of every run of the exploration is.
		 * @return the report's path
		 */
		Path report() {
			return this.report;
		}

	}

}
