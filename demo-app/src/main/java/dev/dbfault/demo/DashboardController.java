package dev.dbfault.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbfault.autoconfigure.DbFaultProxies;
import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.ProxyStats;
import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.JournalEntry;

import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the dashboard polls and the load controls it uses.
 */
@RestController
class DashboardController {

	/** How many journal entries the dashboard shows. */
	static final int JOURNAL_SHOWN = 12;

	private final LoadGenerator load;

	private final HikariDataSource pool;

	private final FaultsView faults;

	DashboardController(LoadGenerator load, HikariDataSource pool, FaultsView faults) {
		this.load = load;
		this.pool = pool;
		this.faults = faults;
	}

	@GetMapping("/api/dashboard")
	Map<String, Object> dashboard() {
		LoadGenerator.Snapshot snapshot = this.load.snapshot();
		Map<String, Object> dashboard = new LinkedHashMap<>();
		dashboard.put("time", System.currentTimeMillis());
		dashboard.put("load", load(snapshot));
		dashboard.put("totals", Map.of("successes", snapshot.successes(), "failures", snapshot.failures(),
				"failuresByType", snapshot.failuresByType()));
		LoadGenerator.Second last = snapshot.lastSecond();
		Map<String, Object> lastSecond = new LinkedHashMap<>();
		lastSecond.put("requests", last.successes + last.failures);
		lastSecond.put("successes", last.successes);
		lastSecond.put("failures", last.failures);
		lastSecond.put("p50Millis", last.p50);
		lastSecond.put("p99Millis", last.p99);
		dashboard.put("lastSecond", lastSecond);
		dashboard.put("pool", pool());
		DbFaultProxies registry = this.faults.registry();
		FaultProxy proxy = (registry != null) ? registry.proxy("dataSource").orElse(null) : null;
		dashboard.put("proxy", (proxy != null) ? proxy(proxy) : null);
		dashboard.put("faults", (proxy != null) ? proxy.faults().stream().map(DashboardController::fault).toList()
				: List.of());
		List<Map<String, Object>> timeline = new ArrayList<>();
		for (LoadGenerator.Second second : snapshot.timeline()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("t", second.start);
			entry.put("successes", second.successes);
			entry.put("failures", second.failures);
			entry.put("p99Millis", second.p99);
			entry.put("faults", second.faults);
			entry.put("acted", second.acted);
			timeline.add(entry);
		}
		dashboard.put("timeline", timeline);
		dashboard.put("recent", this.faults.recent().stream().map(DashboardController::ended).toList());
		dashboard.put("journal", (proxy != null) ? journal(proxy) : List.of());
		return dashboard;
	}

	@PostMapping("/api/load/start")
	Map<String, Object> start(@RequestBody LoadRequest request) {
		this.load.start((request.rate() != null) ? request.rate() : 20,
				(request.concurrency() != null) ? request.concurrency() : 4);
		return load(this.load.snapshot());
	}

	@PostMapping("/api/load/stop")
	Map<String, Object> stop() {
		this.load.stop();
		return load(this.load.snapshot());
	}

	@ExceptionHandler({ HttpMessageNotReadableException.class, HttpMediaTypeNotSupportedException.class })
	ResponseEntity<Map<String, Object>> unreadable(Exception ex) {
		return ResponseEntity.badRequest()
			.body(Map.of("status", 400, "message",
					"send a JSON body with Content-Type: application/json, such as {\"rate\":20,\"concurrency\":4}"
							+ " (rate: orders per second, 1 to 1000; concurrency: worker threads)"));
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<Map<String, Object>> badRequest(IllegalArgumentException ex) {
		return ResponseEntity.badRequest().body(Map.of("status", 400, "message", ex.getMessage()));
	}

	private static Map<String, Object> load(LoadGenerator.Snapshot snapshot) {
		return Map.of("running", snapshot.running(), "rate", snapshot.rate(), "concurrency", snapshot.concurrency());
	}

	private Map<String, Object> pool() {
		HikariPoolMXBean bean = this.pool.getHikariPoolMXBean();
		Map<String, Object> pool = new LinkedHashMap<>();
		pool.put("active", (bean != null) ? bean.getActiveConnections() : 0);
		pool.put("idle", (bean != null) ? bean.getIdleConnections() : 0);
		pool.put("pending", (bean != null) ? bean.getThreadsAwaitingConnection() : 0);
		pool.put("total", (bean != null) ? bean.getTotalConnections() : 0);
		pool.put("max", this.pool.getMaximumPoolSize());
		return pool;
	}

	private static Map<String, Object> proxy(FaultProxy proxy) {
		ProxyStats stats = proxy.stats();
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("name", proxy.name());
		view.put("state", proxy.state().name().toLowerCase(java.util.Locale.ROOT));
		view.put("live", stats.liveConnections());
		view.put("total", stats.totalConnections());
		view.put("bytesUpstream", stats.bytesUpstream());
		view.put("bytesDownstream", stats.bytesDownstream());
		return view;
	}

	/** The journal's last entries, newest first. */
	private static List<Map<String, Object>> journal(FaultProxy proxy) {
		List<JournalEntry> entries = proxy.journal(null, proxy.nextJournalSequence() - 1 - JOURNAL_SHOWN, null);
		List<Map<String, Object>> view = new ArrayList<>();
		for (int i = entries.size() - 1; i >= 0 && view.size() < JOURNAL_SHOWN; i--) {
			JournalEntry entry = entries.get(i);
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("sequence", entry.sequence());
			item.put("time", entry.time().toEpochMilli());
			item.put("fault", entry.faultId());
			item.put("type", entry.type().id());
			item.put("seed", entry.seed());
			item.put("connection", (entry.connection() != null) ? entry.connection().toString() : null);
			item.put("statement", entry.statement());
			item.put("action", (entry.events() > 1) ? entry.action() + " (" + entry.events() + " times)" : entry.action());
			view.add(item);
		}
		return view;
	}

	private static Map<String, Object> fault(ActiveFault fault) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", fault.id());
		view.put("type", fault.type().id());
		view.put("parameters", fault.spec().toMap());
		view.put("state", fault.state().name().toLowerCase(java.util.Locale.ROOT));
		view.put("fired", fault.fired());
		view.put("timeLeftMillis", fault.timeLeft().map((left) -> left.toMillis()).orElse(null));
		return view;
	}

	private static Map<String, Object> ended(FaultHistory.EndedFault fault) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", fault.id());
		view.put("proxy", fault.proxy());
		view.put("type", fault.type().id());
		view.put("parameters", fault.parameters());
		view.put("fired", fault.fired());
		view.put("ending", fault.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
		view.put("injectedAt", fault.injectedAt().toEpochMilli());
		view.put("endedAt", fault.endedAt().toEpochMilli());
		view.put("summary", fault.summary());
		return view;
	}

	record LoadRequest(Integer rate, Integer concurrency) {

	}

}
