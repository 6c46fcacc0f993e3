"use strict";

/*
 * dbfault demo dashboard.
 *
 * Polls /api/dashboard once a second, drives the load generator (/api/load/*) and injects
 * or removes faults through the dbfault actuator endpoint. Everything lives in this one
 * namespace; the pure helpers are exposed on it so they can be checked without a browser.
 */
globalThis.dbfaultDashboard = (() => {
	const POLL_INTERVAL_MS = 1000;
	// Longer than the poll interval so a slow answer is not mistaken for an outage,
	// short enough that a hung server is reported within a few seconds.
	const REQUEST_TIMEOUT_MS = 4000;
	const MESSAGE_MS = 5000;
	const ERROR_MESSAGE_MS = 9000;
	const WINDOW_SECONDS = 120;
	const PROXY = "dataSource";
	const DASH = "–";
	const AXIS_STEPS = 4;
	// Below these the axes stop shrinking: 4 req/s and 10 ms are the finest scales worth reading.
	const MIN_COUNT_AXIS = 4;
	const MIN_P99_AXIS = 10;

	// One entry per button. Defaults are chosen so that each fault shows a visible effect
	// under the default load without needing any typing.
	const FAULT_GROUPS = [
		{
			title: "Connections",
			hint: "Kill or refuse database connections: expect a burst of failures, then the pool reconnects and successes return.",
			faults: [
				{ type: "reset", hint: "RST on every live connection — a spike of failures, then the pool reconnects" },
				{ type: "close", hint: "FIN on every live connection — the pool has to notice and replace them" },
				{ type: "refuse", hint: "new connections are refused; connections already pooled keep working" },
				{
					type: "down",
					hint: "the database died for duration: live connections reset, new ones refused",
					params: [{ name: "duration", value: "10s" }],
				},
				{ type: "terminate", hint: "FATAL 57P01 admin_shutdown on each connection, like a restarting server" },
				{
					type: "reset-peer",
					hint: "each connection is reset timeout after it meets the fault",
					params: [{ name: "timeout", value: "3s" }],
				},
			],
		},
		{
			title: "Network",
			hint: "Degrade the network below the protocol: watch p99 rise, or requests hang until a timeout fires.",
			faults: [
				{
					type: "blackhole",
					hint: "bytes vanish but sockets stay open — requests hang until timeouts fire",
					params: [{ name: "duration", value: "10s" }],
				},
				{ type: "stall-connect", hint: "new connections hang while connecting; pooled ones still work" },
				{ type: "latency", hint: "every response is late — watch p99 rise", params: [{ name: "latency", value: "300ms" }] },
				{
					type: "bandwidth",
					hint: "throughput capped at rate per second — bigger responses crawl",
					params: [{ name: "rate", value: "2KB" }],
				},
				{
					type: "timeout",
					hint: "data stops, and each connection is closed after timeout",
					params: [{ name: "timeout", value: "2s" }],
				},
				{
					type: "slicer",
					hint: "data cut into tiny pieces sent delay apart — slower, still correct",
					params: [
						{ name: "averageSize", value: "8B" },
						{ name: "delay", value: "2ms" },
					],
				},
				{
					type: "limit-data",
					hint: "each connection is closed once bytes have passed through it",
					params: [{ name: "bytes", value: "4KB" }],
				},
			],
		},
		{
			title: "SQL",
			hint: "Hit single statements chosen by a regex: only the matching work fails or slows down, the rest carries on.",
			faults: [
				{
					type: "sql-error",
					hint: "matching statements fail with sqlState (40001 = serialization failure); times caps how often",
					params: [
						{ name: "match", value: "(?i)insert into payments", wide: true },
						{ name: "sqlState", value: "40001" },
						{ name: "times", value: "", placeholder: "unlimited" },
					],
				},
				{
					type: "sql-latency",
					hint: "matching statements reach the database late — p99 rises for that work only",
					params: [
						{ name: "match", value: "(?i)^\\s*insert", wide: true },
						{ name: "latency", value: "500ms" },
					],
				},
				{
					type: "drop-on",
					hint: "connection dropped when a matching statement passes; after COMMIT the outcome is unknown to the app",
					params: [
						{ name: "match", value: "(?i)^\\s*commit", wide: true },
						{ name: "when", value: "after", choices: ["before", "after"] },
					],
				},
				{
					type: "drop-after-rows",
					hint: "connection dropped after rows rows of a result — readers fail mid-query",
					params: [{ name: "rows", value: "5" }],
				},
			],
		},
	];

	/* ------------------------------------------------------------------ pure helpers */

	function isNumber(value) {
		return typeof value === "number" && Number.isFinite(value);
	}

	/** A count as plain digits, so tests and people read the same thing. */
	function formatCount(value) {
		return isNumber(value) ? String(Math.round(value)) : "0";
	}

	/** Milliseconds with one decimal below 100 ms, where the decimal still means something. */
	function formatMillis(value) {
		if (!isNumber(value)) {
			return DASH;
		}
		return String(value >= 100 ? Math.round(value) : Math.round(value * 10) / 10);
	}

	/** "59s", "9m 59s", "1h 5m"; rounded down so a ten-minute fault starts at "9m 59s". */
	function formatTimeLeft(millis) {
		if (!isNumber(millis)) {
			return DASH;
		}
		const total = Math.max(0, Math.floor(millis / 1000));
		const hours = Math.floor(total / 3600);
		const minutes = Math.floor((total % 3600) / 60);
		const seconds = total % 60;
		if (hours > 0) {
			return `${hours}h ${minutes}m`;
		}
		if (minutes > 0) {
			return `${minutes}m ${seconds}s`;
		}
		return `${seconds}s`;
	}

	/** Multiples of 1024 with dbfault's own unit names (KB, MB), as typed into size parameters. */
	function formatBytes(bytes) {
		if (!isNumber(bytes)) {
			return DASH;
		}
		const units = ["B", "KB", "MB", "GB", "TB"];
		let value = bytes;
		let unit = 0;
		while (Math.abs(value) >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit += 1;
		}
		return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
	}

	/** "latency=200ms, direction=downstream"; parameters left unset are omitted. */
	function formatParams(parameters) {
		if (!parameters || typeof parameters !== "object") {
			return "";
		}
		return Object.entries(parameters)
			.filter(([, value]) => value !== null && value !== undefined && value !== "")
			.map(([name, value]) => `${name}=${typeof value === "object" ? JSON.stringify(value) : value}`)
			.join(", ");
	}

	/**
	 * The timeline only carries fault ids; their types come from faults seen while active,
	 * or from the id itself ("reset-peer-2" is a reset-peer) once they are gone.
	 */
	function faultTypeOf(id, knownTypes) {
		const known = knownTypes && knownTypes.get(id);
		return known || String(id).replace(/-\d+$/, "");
	}

	/** Only filled-in values are sent, so the endpoint applies its own defaults to the rest. */
	function faultBody(entries) {
		const body = {};
		for (const [name, raw] of entries) {
			const value = raw == null ? "" : String(raw).trim();
			if (value !== "") {
				body[name] = value;
			}
		}
		return body;
	}

	/** The smallest 1, 2 or 5 times a power of ten that is at least value. */
	function niceStep(value) {
		if (!(value > 0)) {
			return 1;
		}
		const magnitude = 10 ** Math.floor(Math.log10(value));
		for (const factor of [1, 2, 5, 10]) {
			if (factor * magnitude >= value - 1e-9) {
				return factor * magnitude;
			}
		}
		return 10 * magnitude;
	}

	/**
	 * An axis of four equal steps from zero that just holds the largest value visible, and
	 * no less than floor (so an idle chart still has a readable scale). It depends on the
	 * visible maximum alone, so it follows the data both ways: it grows when a spike enters
	 * the window and shrinks once the spike has scrolled out, and it only moves when that
	 * maximum crosses a step, not from frame to frame.
	 */
	function axisScale(maxVisible, floor) {
		const step = niceStep(Math.max(isNumber(maxVisible) ? maxVisible : 0, floor) / AXIS_STEPS);
		return { step, max: step * AXIS_STEPS };
	}

	/** Turns an error response into one line for the message area. */
	function errorText(status, payload) {
		if (payload && typeof payload === "object") {
			const text = payload.message || payload.error || payload.detail;
			if (text) {
				return String(text);
			}
		}
		else if (typeof payload === "string" && payload.trim() !== "" && payload.length < 300) {
			return payload.trim();
		}
		return `request failed (HTTP ${status})`;
	}

	/**
	 * Places the timeline on a fixed window of seconds ending at its newest entry, and finds
	 * the spans where faults were in effect, the seconds where an action acted, where each
	 * fault first appears, and the scales of both axes for what is in the window. Seconds
	 * the server did not report stay empty rather than shifting the rest.
	 */
	function buildChartModel(timeline, knownTypes, slotCount = WINDOW_SECONDS) {
		const entries = Array.isArray(timeline) ? timeline.filter((entry) => entry && isNumber(entry.t)) : [];
		const slots = new Array(slotCount).fill(null);
		const model = {
			slotCount, slots, runs: [], marks: [], starts: [], maxCount: 0, maxP99: 0, newest: null,
			countAxis: axisScale(0, MIN_COUNT_AXIS), p99Axis: axisScale(0, MIN_P99_AXIS),
		};
		if (entries.length === 0) {
			return model;
		}
		model.newest = entries[entries.length - 1].t;
		for (const entry of entries) {
			const index = slotCount - 1 - Math.round((model.newest - entry.t) / 1000);
			if (index >= 0 && index < slotCount) {
				slots[index] = entry;
			}
		}
		const seen = new Set();
		let run = null;
		slots.forEach((entry, index) => {
			const faults = entry && Array.isArray(entry.faults) ? entry.faults : [];
			if (entry) {
				model.maxCount = Math.max(model.maxCount, (entry.successes || 0) + (entry.failures || 0));
				if (isNumber(entry.p99Millis)) {
					model.maxP99 = Math.max(model.maxP99, entry.p99Millis);
				}
			}
			if (faults.length > 0) {
				if (run) {
					run.to = index + 1;
				}
				else {
					run = { from: index, to: index + 1 };
					model.runs.push(run);
				}
			}
			else {
				run = null;
			}
			// An action lasts no time at all: it gets a mark of its own, never a band.
			const acted = entry && Array.isArray(entry.acted) ? entry.acted : [];
			if (acted.length > 0) {
				model.marks.push({ slot: index, ids: acted });
			}
			const fresh = [...faults, ...acted].filter((id) => !seen.has(id));
			fresh.forEach((id) => seen.add(id));
			if (fresh.length > 0) {
				const types = [...new Set(fresh.map((id) => faultTypeOf(id, knownTypes)))];
				model.starts.push({ slot: index, ids: fresh, label: types.join(", ") });
			}
		});
		model.countAxis = axisScale(model.maxCount, MIN_COUNT_AXIS);
		model.p99Axis = axisScale(model.maxP99, MIN_P99_AXIS);
		return model;
	}

	/* ------------------------------------------------------------------ browser part */

	function start() {
		const el = {};
		for (const id of [
			"message", "connection", "load-form", "load-rate", "load-concurrency", "load-start", "load-stop",
			"load-status", "successes-total", "failures-total", "rps", "last-successes", "last-failures", "p50",
			"p99", "failures-by-type", "pool-active", "pool-idle", "pool-pending", "pool-total", "pool-max",
			"pool-bar", "proxy-name", "proxy-state", "proxy-live", "proxy-total", "proxy-bytes-up",
			"proxy-bytes-down", "proxy-bytes-up-human", "proxy-bytes-down-human", "active-faults", "recent-faults",
			"heal-all", "fault-groups", "timeline", "timeline-tooltip",
		]) {
			el[id] = document.getElementById(id);
		}

		const state = {
			knownTypes: new Map(),
			pollTimer: 0,
			polling: false,
			pollAgain: false,
			reachable: null,
			loadInputsTouched: false,
			loadInputsSynced: false,
			messageTimer: 0,
			failuresSignature: "",
			recentSignature: "",
		};

		/* ---------------------------------------------------------------- http */

		class RequestError extends Error {
			constructor(message, status, payload) {
				super(message);
				this.status = status;
				this.payload = payload;
			}
		}

		async function readBody(response) {
			const text = await response.text();
			if (text === "") {
				return null;
			}
			try {
				return JSON.parse(text);
			}
			catch {
				return text;
			}
		}

		async function request(method, url, body) {
			const controller = new AbortController();
			const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
			const init = { method, cache: "no-store", signal: controller.signal, headers: { Accept: "application/json" } };
			if (body !== undefined) {
				init.headers["Content-Type"] = "application/json";
				init.body = JSON.stringify(body);
			}
			try {
				let response;
				try {
					response = await fetch(url, init);
				}
				catch {
					throw new RequestError(controller.signal.aborted ? "service unreachable (no answer in time)"
						: "service unreachable", 0, null);
				}
				const payload = await readBody(response);
				if (!response.ok) {
					throw new RequestError(errorText(response.status, payload), response.status, payload);
				}
				return payload;
			}
			finally {
				clearTimeout(timer);
			}
		}

		/* ---------------------------------------------------------------- dom helpers */

		function h(tag, props = {}, ...children) {
			const node = document.createElement(tag);
			for (const [key, value] of Object.entries(props)) {
				if (value === null || value === undefined || value === false) {
					continue;
				}
				if (key === "class") {
					node.className = value;
				}
				else if (key === "text") {
					node.textContent = value;
				}
				else if (key === "dataset") {
					Object.assign(node.dataset, value);
				}
				else {
					node.setAttribute(key, value === true ? "" : String(value));
				}
			}
			// Strings become text nodes here, so server text can never turn into markup.
			node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
			return node;
		}

		// Long exception names may wrap between words of their camel case, never mid-word.
		function breakable(text) {
			const parts = String(text).replace(/([a-z0-9.$])([A-Z])/g, "$1\u0000$2").split("\u0000");
			return parts.flatMap((part, index) => (index === 0 ? [part] : [document.createElement("wbr"), part]));
		}

		// Skipping unchanged values keeps text selectable and avoids needless layout work.
		function setText(node, text) {
			const value = String(text);
			if (node && node.textContent !== value) {
				node.textContent = value;
			}
		}

		function setTitle(node, title) {
			if (node && node.title !== title) {
				node.title = title;
			}
		}

		/* ---------------------------------------------------------------- messages */

		function showMessage(text, kind = "info", sticky = false) {
			clearTimeout(state.messageTimer);
			el.message.textContent = text;
			el.message.className = `message ${kind}`;
			if (!sticky) {
				state.messageTimer = setTimeout(clearMessage, kind === "error" ? ERROR_MESSAGE_MS : MESSAGE_MS);
			}
		}

		function clearMessage() {
			clearTimeout(state.messageTimer);
			el.message.textContent = "";
			el.message.className = "message";
		}

		function plural(count, word) {
			return `${count} ${word}${count === 1 ? "" : "s"}`;
		}

		/* ---------------------------------------------------------------- rendering */

		function renderLoad(load) {
			const running = Boolean(load && load.running);
			const text = running ? `running at ${formatCount(load.rate)}/s` : "stopped";
			setText(el["load-status"], text);
			el["load-status"].classList.toggle("running", running);
			setTitle(el["load-status"], running && isNumber(load.concurrency)
				? `${plural(load.concurrency, "concurrent worker")}` : "");
			// Take the server's settings once, so a page opened during a run shows what is running,
			// but never overwrite what someone is typing.
			if (load && !state.loadInputsSynced && !state.loadInputsTouched) {
				if (isNumber(load.rate) && load.rate > 0) {
					el["load-rate"].value = String(load.rate);
				}
				if (isNumber(load.concurrency) && load.concurrency > 0) {
					el["load-concurrency"].value = String(load.concurrency);
				}
			}
			state.loadInputsSynced = true;
		}

		function renderNumbers(totals, lastSecond) {
			setText(el["successes-total"], formatCount(totals && totals.successes));
			setText(el["failures-total"], formatCount(totals && totals.failures));
			setText(el.rps, formatCount(lastSecond && lastSecond.requests));
			setText(el["last-successes"], formatCount(lastSecond && lastSecond.successes));
			setText(el["last-failures"], formatCount(lastSecond && lastSecond.failures));
			setText(el.p50, formatMillis(lastSecond && lastSecond.p50Millis));
			setText(el.p99, formatMillis(lastSecond && lastSecond.p99Millis));
			el["failures-total"].closest(".stat").classList.toggle("alarm", Boolean(lastSecond && lastSecond.failures > 0));
		}

		function renderFailuresByType(byType) {
			const tbody = el["failures-by-type"].tBodies[0];
			const rows = Object.entries(byType && typeof byType === "object" ? byType : {})
				.filter(([, count]) => isNumber(count))
				.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
			// Rebuilt only when something changed, so a selection in the table survives polling.
			const signature = JSON.stringify(rows);
			if (state.failuresSignature === signature) {
				return;
			}
			state.failuresSignature = signature;
			if (rows.length === 0) {
				tbody.replaceChildren(h("tr", { class: "empty" }, h("td", { colspan: 2, text: "no failures yet" })));
				return;
			}
			tbody.replaceChildren(...rows.map(([type, count]) => h("tr", { dataset: { type } },
				h("td", { class: "exception", title: type }, breakable(type)),
				h("td", { class: "num", text: formatCount(count) }))));
		}

		function renderPool(pool) {
			const value = (key) => (pool && isNumber(pool[key]) ? pool[key] : 0);
			setText(el["pool-active"], formatCount(value("active")));
			setText(el["pool-idle"], formatCount(value("idle")));
			setText(el["pool-pending"], formatCount(value("pending")));
			setText(el["pool-total"], formatCount(value("total")));
			setText(el["pool-max"], pool && isNumber(pool.max) ? formatCount(pool.max) : DASH);
			el["pool-pending"].closest(".metric").classList.toggle("alarm", value("pending") > 0);
			// The bar is scaled to the pool's maximum so an emptying pool is visible at a glance.
			const max = Math.max(value("max"), value("total"), 1);
			const [active, idle] = el["pool-bar"].children;
			active.style.width = `${(100 * value("active")) / max}%`;
			idle.style.width = `${(100 * value("idle")) / max}%`;
		}

		function renderProxy(proxy) {
			const value = (key) => (proxy && isNumber(proxy[key]) ? proxy[key] : 0);
			const proxyState = (proxy && proxy.state) || "unknown";
			setText(el["proxy-name"], proxy && proxy.name ? proxy.name : PROXY);
			setText(el["proxy-state"], proxyState);
			el["proxy-state"].dataset.state = proxyState;
			setText(el["proxy-live"], formatCount(value("live")));
			setText(el["proxy-total"], formatCount(value("total")));
			setText(el["proxy-bytes-up"], formatCount(value("bytesUpstream")));
			setText(el["proxy-bytes-down"], formatCount(value("bytesDownstream")));
			setText(el["proxy-bytes-up-human"], formatBytes(value("bytesUpstream")));
			setText(el["proxy-bytes-down-human"], formatBytes(value("bytesDownstream")));
			setTitle(el["proxy-bytes-up"], formatBytes(value("bytesUpstream")));
			setTitle(el["proxy-bytes-down"], formatBytes(value("bytesDownstream")));
		}

		function faultRow(id) {
			return h("tr", { dataset: { faultId: id } },
				h("td", { class: "fault-id" }),
				h("td", { class: "fault-type" }),
				h("td", { class: "fault-params" }),
				h("td", { class: "fault-fired num" }),
				h("td", { class: "fault-time-left num" }),
				h("td", { class: "actions" },
					h("button", { type: "button", class: "remove-fault", "aria-label": `remove ${id}`, text: "Remove" })));
		}

		function updateFaultRow(row, fault) {
			const [idCell, typeCell, paramsCell, firedCell, leftCell] = row.cells;
			const params = formatParams(fault.parameters);
			setText(idCell, fault.id);
			setText(typeCell, fault.type || faultTypeOf(fault.id, state.knownTypes));
			setText(paramsCell, params || DASH);
			setTitle(paramsCell, params);
			setText(firedCell, formatCount(fault.fired));
			setText(leftCell, formatTimeLeft(fault.timeLeftMillis));
			row.classList.toggle("inactive", Boolean(fault.state) && fault.state !== "active");
			setTitle(row, fault.state ? `state: ${fault.state}` : "");
		}

		function renderFaults(faults) {
			const tbody = el["active-faults"].tBodies[0];
			const list = (Array.isArray(faults) ? faults : []).filter((fault) => fault && fault.id != null);
			if (list.length === 0) {
				const only = tbody.rows.length === 1 ? tbody.rows[0] : null;
				if (!only || !only.classList.contains("empty")) {
					tbody.replaceChildren(h("tr", { class: "empty" }, h("td", { colspan: 6, text: "no faults" })));
				}
				return;
			}
			// Rows are kept and updated in place: rebuilding them every second would swallow a
			// click on a remove button that lands during a refresh.
			const existing = new Map();
			for (const row of tbody.rows) {
				if (row.dataset.faultId !== undefined) {
					existing.set(row.dataset.faultId, row);
				}
			}
			const rows = list.map((fault) => {
				const row = existing.get(String(fault.id)) || faultRow(String(fault.id));
				updateFaultRow(row, fault);
				return row;
			});
			rows.forEach((row, index) => {
				if (tbody.rows[index] !== row) {
					tbody.insertBefore(row, tbody.rows[index] || null);
				}
			});
			while (tbody.rows.length > rows.length) {
				tbody.rows[rows.length].remove();
			}
		}

		// Newest first, as the server sends them. The list is rebuilt only when a fault has
		// ended since the last poll, so text selected in it survives polling.
		function renderRecent(recent) {
			const list = (Array.isArray(recent) ? recent : []).filter((fault) => fault && fault.id != null);
			const signature = list.map((fault) => `${fault.id}@${fault.endedAt}`).join(" ");
			if (state.recentSignature === signature && el["recent-faults"].children.length > 0) {
				return;
			}
			state.recentSignature = signature;
			if (list.length === 0) {
				el["recent-faults"].replaceChildren(h("li", { class: "empty", text: "none yet" }));
				return;
			}
			el["recent-faults"].replaceChildren(...list.map((fault) => {
				const ended = isNumber(fault.endedAt) ? new Date(fault.endedAt) : null;
				const params = formatParams(fault.parameters);
				const title = params ? `${fault.id} (${params})` : String(fault.id);
				return h("li", { dataset: { faultId: String(fault.id), ending: fault.ending || "" }, title },
					h("time", { datetime: ended ? ended.toISOString() : null, text: ended ? ended.toLocaleTimeString() : DASH }),
					h("span", { class: "summary", text: fault.summary || String(fault.id) }));
			}));
		}

		function rememberFaultTypes(faults, timeline) {
			for (const fault of Array.isArray(faults) ? faults : []) {
				if (fault && fault.id != null && fault.type) {
					state.knownTypes.set(String(fault.id), fault.type);
				}
			}
			// Forget faults that have scrolled out of the chart, so the map cannot grow forever.
			if (state.knownTypes.size > 200) {
				const visible = new Set();
				for (const entry of Array.isArray(timeline) ? timeline : []) {
					(entry && Array.isArray(entry.faults) ? entry.faults : []).forEach((id) => visible.add(String(id)));
					(entry && Array.isArray(entry.acted) ? entry.acted : []).forEach((id) => visible.add(String(id)));
				}
				for (const id of [...state.knownTypes.keys()]) {
					if (!visible.has(id)) {
						state.knownTypes.delete(id);
					}
				}
			}
		}

		function render(data) {
			rememberFaultTypes([...(Array.isArray(data.faults) ? data.faults : []),
				...(Array.isArray(data.recent) ? data.recent : [])], data.timeline);
			renderLoad(data.load);
			renderNumbers(data.totals, data.lastSecond);
			renderFailuresByType(data.totals && data.totals.failuresByType);
			renderPool(data.pool);
			renderProxy(data.proxy);
			renderFaults(data.faults);
			renderRecent(data.recent);
			chart.update(buildChartModel(data.timeline, state.knownTypes));
		}

		function setReachable(reachable) {
			if (state.reachable === reachable) {
				return;
			}
			state.reachable = reachable;
			document.body.classList.toggle("stale", !reachable);
			setText(el.connection, reachable ? "live" : "unreachable");
			el.connection.dataset.state = reachable ? "live" : "down";
			if (reachable && el.message.textContent.startsWith("service unreachable")) {
				clearMessage();
			}
		}

		/* ---------------------------------------------------------------- polling */

		// One poll at a time; a refresh asked for during a poll runs right after it, so the
		// page never shows an answer older than the one before it.
		async function poll() {
			clearTimeout(state.pollTimer);
			if (state.polling) {
				state.pollAgain = true;
				return;
			}
			state.polling = true;
			const started = performance.now();
			let data = null;
			try {
				data = await request("GET", "/api/dashboard");
				setReachable(true);
			}
			catch (error) {
				setReachable(false);
				showMessage(error.status ? `service unreachable (${error.message})` : error.message, "error", true);
			}
			if (data && typeof data === "object") {
				try {
					render(data);
				}
				catch (error) {
					console.error("dashboard render failed", error);
				}
			}
			state.polling = false;
			if (state.pollAgain) {
				state.pollAgain = false;
				poll();
				return;
			}
			state.pollTimer = setTimeout(poll, Math.max(0, POLL_INTERVAL_MS - (performance.now() - started)));
		}

		/* ---------------------------------------------------------------- actions */

		function positiveNumber(input, integer) {
			const value = Number(input.value);
			const ok = input.value.trim() !== "" && Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
			input.setAttribute("aria-invalid", String(!ok));
			return ok ? value : null;
		}

		async function startLoad(event) {
			event.preventDefault();
			const rate = positiveNumber(el["load-rate"], false);
			const concurrency = positiveNumber(el["load-concurrency"], true);
			if (rate === null || concurrency === null) {
				showMessage(rate === null ? "rate must be a positive number of requests per second"
					: "concurrency must be a whole number of at least 1", "error");
				return;
			}
			try {
				const load = await request("POST", "/api/load/start", { rate, concurrency });
				renderLoad(load && typeof load === "object" ? load : { running: true, rate, concurrency });
				showMessage(`load started at ${rate}/s with ${plural(concurrency, "worker")}`, "success");
			}
			catch (error) {
				showMessage(error.message, "error");
			}
			poll();
		}

		async function stopLoad() {
			try {
				await request("POST", "/api/load/stop");
				renderLoad({ running: false });
				showMessage("load stopped", "success");
			}
			catch (error) {
				showMessage(error.message, "error");
			}
			poll();
		}

		async function inject(form) {
			const type = form.dataset.faultType;
			const inputs = [...form.querySelectorAll("[data-param]")];
			inputs.forEach((input) => input.removeAttribute("aria-invalid"));
			const body = faultBody(inputs.map((input) => [input.dataset.param, input.value]));
			try {
				const fault = await request("POST", `/actuator/dbfault/${encodeURIComponent(PROXY)}/${encodeURIComponent(type)}`, body);
				showMessage(`${fault && fault.id ? fault.id : type} injected`, "success");
			}
			catch (error) {
				const parameter = error.payload && error.payload.parameter;
				const culprit = parameter && inputs.find((input) => input.dataset.param === parameter);
				if (culprit) {
					culprit.setAttribute("aria-invalid", "true");
					culprit.focus();
				}
				showMessage(error.message, "error");
			}
			poll();
		}

		async function removeFault(button) {
			const row = button.closest("tr");
			const id = row && row.dataset.faultId;
			if (!id) {
				return;
			}
			button.disabled = true;
			try {
				await request("DELETE", `/actuator/dbfault/${encodeURIComponent(PROXY)}/${encodeURIComponent(id)}`);
				showMessage(`${id} removed`, "success");
			}
			catch (error) {
				showMessage(error.message, "error");
			}
			button.disabled = false;
			poll();
		}

		async function healAll() {
			try {
				const result = await request("DELETE", "/actuator/dbfault");
				const healed = result && isNumber(result.healed) ? result.healed : 0;
				showMessage(`healed ${plural(healed, "fault")}`, "success");
			}
			catch (error) {
				showMessage(error.message, "error");
			}
			poll();
		}

		/* ---------------------------------------------------------------- fault buttons */

		function paramControl(type, param) {
			const id = `param-${type}-${param.name}`;
			const common = { id, name: param.name, dataset: { param: param.name } };
			const control = param.choices
				? h("select", common, param.choices.map((choice) =>
					h("option", { value: choice, selected: choice === param.value, text: choice })))
				: h("input", {
					...common, type: "text", value: param.value, placeholder: param.placeholder || null,
					spellcheck: "false", autocomplete: "off",
				});
			return h("label", { class: `param${param.wide ? " wide" : ""}`, for: id },
				h("span", { class: "param-name", text: param.name }), control);
		}

		function faultForm(fault) {
			const params = fault.params || [];
			return h("form", { class: params.length > 0 ? "fault" : "fault no-params", dataset: { faultType: fault.type }, novalidate: true },
				h("button", { type: "submit", id: `fault-${fault.type}`, class: "fault-button", text: fault.type }),
				params.length > 0 ? h("div", { class: "params" }, params.map((param) => paramControl(fault.type, param))) : null,
				h("p", { class: "fault-hint", text: fault.hint }));
		}

		function buildFaultButtons() {
			el["fault-groups"].replaceChildren(...FAULT_GROUPS.map((group) =>
				h("section", { class: "fault-group" },
					h("h3", { text: group.title }),
					h("p", { class: "group-hint", text: group.hint }),
					group.faults.map(faultForm))));
		}

		/* ---------------------------------------------------------------- chart */

		function createChart(canvas, tooltip) {
			const LABEL_ROW_HEIGHT = 16;
			const LABEL_ROWS = 2;
			let model = buildChartModel([], null);
			let hover = -1;
			let pointerX = 0;
			let layout = null;

			function colors() {
				const style = getComputedStyle(document.documentElement);
				const get = (name) => style.getPropertyValue(name).trim();
				return {
					ok: get("--ok"), fail: get("--fail"), p99: get("--p99"), band: get("--fault-band"),
					bandEdge: get("--fault"), text: get("--muted"), grid: get("--grid"), label: get("--text"),
					labelBg: get("--panel"), hover: get("--hover"), mark: get("--fault-mark"),
				};
			}

			function measure() {
				const rect = canvas.getBoundingClientRect();
				const width = Math.max(1, Math.round(rect.width));
				const height = Math.max(1, Math.round(rect.height));
				const ratio = window.devicePixelRatio || 1;
				const pixelWidth = Math.round(width * ratio);
				const pixelHeight = Math.round(height * ratio);
				// Resizing the backing store clears it, so only do it when the size really changed.
				if (canvas.width !== pixelWidth || canvas.height !== pixelHeight) {
					canvas.width = pixelWidth;
					canvas.height = pixelHeight;
				}
				const ctx = canvas.getContext("2d");
				ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
				return { ctx, width, height };
			}

			function draw() {
				const { ctx, width, height } = measure();
				const c = colors();
				ctx.clearRect(0, 0, width, height);
				const bandTop = 4;
				const plot = { left: 40, right: width - 48, top: bandTop + LABEL_ROWS * LABEL_ROW_HEIGHT + 6, bottom: height - 22 };
				plot.width = Math.max(1, plot.right - plot.left);
				plot.height = Math.max(1, plot.bottom - plot.top);
				const slotWidth = plot.width / model.slotCount;
				layout = { plot, slotWidth };
				const x = (slot) => plot.left + slot * slotWidth;

				const { step: countStep, max: countMax } = model.countAxis;
				const { step: p99Step, max: p99Max } = model.p99Axis;
				const yCount = (value) => plot.bottom - (value / countMax) * plot.height;
				const yP99 = (value) => plot.bottom - (Math.min(value, p99Max) / p99Max) * plot.height;

				ctx.font = "11px system-ui, -apple-system, 'Segoe UI', sans-serif";
				ctx.textBaseline = "middle";

				// Fault bands go first so bars and the p99 line stay readable on top of them.
				for (const run of model.runs) {
					ctx.fillStyle = c.band;
					ctx.fillRect(x(run.from), bandTop, x(run.to) - x(run.from), plot.bottom - bandTop);
					ctx.fillStyle = c.bandEdge;
					ctx.fillRect(x(run.from), bandTop, 1, plot.bottom - bandTop);
					if (run.to < model.slotCount) {
						ctx.globalAlpha = 0.5;
						ctx.fillRect(x(run.to) - 1, bandTop, 1, plot.bottom - bandTop);
						ctx.globalAlpha = 1;
					}
				}

				ctx.strokeStyle = c.grid;
				ctx.lineWidth = 1;
				for (let tick = 0; tick <= AXIS_STEPS; tick += 1) {
					const y = Math.round(yCount(tick * countStep)) + 0.5;
					ctx.beginPath();
					ctx.moveTo(plot.left, y);
					ctx.lineTo(plot.right, y);
					ctx.stroke();
					ctx.fillStyle = c.text;
					ctx.textAlign = "right";
					ctx.fillText(String(tick * countStep), plot.left - 6, y);
					ctx.fillStyle = c.p99;
					ctx.textAlign = "left";
					ctx.fillText(String(tick * p99Step), plot.right + 6, y);
				}
				ctx.textAlign = "right";
				ctx.fillStyle = c.text;
				ctx.fillText("req/s", plot.left - 6, plot.top - 10);
				ctx.textAlign = "left";
				ctx.fillStyle = c.p99;
				ctx.fillText("p99 ms", plot.right + 6, plot.top - 10);

				if (hover >= 0 && model.slots[hover]) {
					ctx.fillStyle = c.hover;
					ctx.fillRect(x(hover), plot.top, slotWidth, plot.height);
				}

				const gap = slotWidth > 4 ? 1 : 0;
				model.slots.forEach((entry, slot) => {
					if (!entry) {
						return;
					}
					const successes = entry.successes || 0;
					const failures = entry.failures || 0;
					const left = x(slot) + gap / 2;
					const barWidth = Math.max(1, slotWidth - gap);
					ctx.fillStyle = c.ok;
					ctx.fillRect(left, yCount(successes), barWidth, plot.bottom - yCount(successes));
					if (failures > 0) {
						ctx.fillStyle = c.fail;
						ctx.fillRect(left, yCount(successes + failures), barWidth, yCount(successes) - yCount(successes + failures));
					}
				});

				ctx.strokeStyle = c.p99;
				ctx.lineWidth = 2;
				ctx.lineJoin = "round";
				ctx.beginPath();
				let drawing = false;
				model.slots.forEach((entry, slot) => {
					if (!entry || !isNumber(entry.p99Millis)) {
						drawing = false;
						return;
					}
					const px = x(slot) + slotWidth / 2;
					const py = yP99(entry.p99Millis);
					if (drawing) {
						ctx.lineTo(px, py);
					}
					else {
						ctx.moveTo(px, py);
						// A lone second between gaps would otherwise be invisible.
						ctx.lineTo(px + 0.1, py);
						drawing = true;
					}
				});
				ctx.stroke();

				drawMarks(ctx, c, x, slotWidth, bandTop, plot);

				ctx.fillStyle = c.text;
				ctx.textBaseline = "alphabetic";
				for (let ago = 0; ago < model.slotCount; ago += 30) {
					const slot = model.slotCount - 1 - ago;
					const px = Math.min(Math.max(x(slot) + slotWidth / 2, plot.left + 14), plot.right - 10);
					ctx.textAlign = "center";
					ctx.fillText(ago === 0 ? "now" : `−${ago}s`, px, height - 6);
				}

				drawStartLabels(ctx, c, x, bandTop, plot);

				if (model.newest === null) {
					ctx.fillStyle = c.text;
					ctx.textAlign = "center";
					ctx.textBaseline = "middle";
					ctx.font = "13px system-ui, -apple-system, 'Segoe UI', sans-serif";
					ctx.fillText("no data yet — start the load", plot.left + plot.width / 2, plot.top + plot.height / 2);
				}
			}

			// An action is a line through the second it acted in, over the bars so that a reset
			// in a busy second still shows, with a notch at the top like a pin.
			function drawMarks(ctx, c, x, slotWidth, bandTop, plot) {
				ctx.fillStyle = c.mark;
				for (const mark of model.marks) {
					const centre = Math.round(x(mark.slot) + slotWidth / 2);
					ctx.fillRect(centre - 1, bandTop, 2, plot.bottom - bandTop);
					ctx.beginPath();
					ctx.moveTo(centre - 5, plot.top - 6);
					ctx.lineTo(centre + 5, plot.top - 6);
					ctx.lineTo(centre, plot.top);
					ctx.closePath();
					ctx.fill();
				}
			}

			// Labels mark where each fault began; when they would overlap they move to the next
			// row, and past the last row they are allowed to overlap rather than disappear.
			function drawStartLabels(ctx, c, x, bandTop, plot) {
				const rowEnds = new Array(LABEL_ROWS).fill(-Infinity);
				ctx.textAlign = "left";
				ctx.textBaseline = "middle";
				ctx.font = "600 11px system-ui, -apple-system, 'Segoe UI', sans-serif";
				for (const start of model.starts) {
					const text = start.label;
					const textWidth = ctx.measureText(text).width + 8;
					const left = Math.min(x(start.slot), plot.right - textWidth);
					let row = rowEnds.findIndex((end) => end + 4 <= left);
					if (row < 0) {
						row = LABEL_ROWS - 1;
					}
					rowEnds[row] = left + textWidth;
					const top = bandTop + 1 + row * LABEL_ROW_HEIGHT;
					ctx.fillStyle = c.labelBg;
					ctx.globalAlpha = 0.85;
					ctx.fillRect(left, top, textWidth, LABEL_ROW_HEIGHT - 2);
					ctx.globalAlpha = 1;
					ctx.fillStyle = c.bandEdge;
					ctx.fillRect(left, top, 2, LABEL_ROW_HEIGHT - 2);
					ctx.fillStyle = c.label;
					ctx.fillText(text, left + 5, top + (LABEL_ROW_HEIGHT - 2) / 2 + 0.5);
				}
			}

			function showTooltip(slot) {
				const entry = slot >= 0 ? model.slots[slot] : null;
				if (!entry) {
					tooltip.hidden = true;
					return;
				}
				const ago = model.slotCount - 1 - slot;
				const faults = Array.isArray(entry.faults) && entry.faults.length > 0 ? entry.faults.join(", ") : "none";
				const acted = Array.isArray(entry.acted) && entry.acted.length > 0 ? entry.acted.join(", ") : null;
				tooltip.replaceChildren(
					h("strong", { text: `${new Date(entry.t).toLocaleTimeString()} (${ago === 0 ? "now" : `−${ago}s`})` }),
					h("span", { class: "ok", text: `${formatCount(entry.successes)} ok` }),
					h("span", { class: "fail", text: `${formatCount(entry.failures)} failed` }),
					h("span", { text: `p99 ${formatMillis(entry.p99Millis)} ms` }),
					h("span", { text: `faults: ${faults}` }),
					acted ? h("span", { class: "acted", text: `acted: ${acted}` }) : null);
				tooltip.hidden = false;
				const wrapWidth = canvas.clientWidth;
				const tipWidth = tooltip.offsetWidth;
				const left = pointerX + 14 + tipWidth > wrapWidth ? pointerX - 14 - tipWidth : pointerX + 14;
				tooltip.style.left = `${Math.max(0, left)}px`;
			}

			function onPointerMove(event) {
				if (!layout) {
					return;
				}
				pointerX = event.clientX - canvas.getBoundingClientRect().left;
				const slot = Math.floor((pointerX - layout.plot.left) / layout.slotWidth);
				const next = slot >= 0 && slot < model.slotCount ? slot : -1;
				if (next !== hover) {
					hover = next;
					draw();
				}
				showTooltip(hover);
			}

			function onPointerLeave() {
				hover = -1;
				tooltip.hidden = true;
				draw();
			}

			canvas.addEventListener("pointermove", onPointerMove);
			canvas.addEventListener("pointerleave", onPointerLeave);
			if (typeof ResizeObserver === "function") {
				new ResizeObserver(() => draw()).observe(canvas);
			}
			// Also catches devicePixelRatio changes (zoom, moving to another screen).
			window.addEventListener("resize", draw);

			return {
				update(next) {
					model = next;
					draw();
					// What the marks are is out of reach inside the canvas; said here, tests can read it.
					const acted = model.marks.flatMap((mark) => mark.ids).join(" ");
					if (canvas.dataset.acted !== acted) {
						canvas.dataset.acted = acted;
					}
					// The data moved under a resting pointer: describe the second now beneath it.
					if (hover >= 0) {
						showTooltip(hover);
					}
				},
				draw,
			};
		}

		/* ---------------------------------------------------------------- wiring */

		buildFaultButtons();
		const chart = createChart(el.timeline, el["timeline-tooltip"]);

		el["load-form"].addEventListener("submit", startLoad);
		el["load-stop"].addEventListener("click", stopLoad);
		for (const input of [el["load-rate"], el["load-concurrency"]]) {
			input.addEventListener("input", () => {
				state.loadInputsTouched = true;
				input.removeAttribute("aria-invalid");
			});
		}
		el["fault-groups"].addEventListener("submit", (event) => {
			event.preventDefault();
			inject(event.target);
		});
		el["fault-groups"].addEventListener("input", (event) => {
			if (event.target.dataset && event.target.dataset.param) {
				event.target.removeAttribute("aria-invalid");
			}
		});
		el["active-faults"].addEventListener("click", (event) => {
			const button = event.target.closest("button.remove-fault");
			if (button) {
				removeFault(button);
			}
		});
		el["heal-all"].addEventListener("click", healAll);

		poll();
	}

	if (typeof document !== "undefined") {
		if (document.readyState === "loading") {
			document.addEventListener("DOMContentLoaded", start);
		}
		else {
			start();
		}
	}

	return Object.freeze({
		FAULT_GROUPS,
		formatCount,
		formatMillis,
		formatTimeLeft,
		formatBytes,
		formatParams,
		faultTypeOf,
		faultBody,
		niceStep,
		axisScale,
		errorText,
		buildChartModel,
	});
})();
