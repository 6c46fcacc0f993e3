/*
 * dbfault demo dashboard: the page's entry point.
 *
 * Polls /api/dashboard once a second, drives the load generator (/api/load/*) and injects
 * or removes faults through the dbfault actuator endpoint, whose catalog of fault types
 * the buttons are made from. Each concern has its module; the pure ones (format,
 * chart-model, fault-catalog) touch no page, so Node checks them as they are.
 *
 * The modules are .mjs so that Node reads them as ES modules with no package.json and no
 * flag, whatever its version; the browser loads them as they are, with no build step.
 */
import { createApi } from "./api.mjs";
import { buildChartModel } from "./chart-model.mjs";
import { createChart } from "./chart.mjs";
import { breakable, h, setText, setTitle } from "./dom.mjs";
import { createFaultForms } from "./fault-forms.mjs";
import { createFaultsView } from "./faults-view.mjs";
import { DASH, formatBytes, formatCount, formatMillis, isNumber, plural } from "./format.mjs";

const POLL_INTERVAL_MS = 1000;
const MESSAGE_MS = 5000;
const ERROR_MESSAGE_MS = 9000;
const PROXY = "dataSource";

const el = {};
for (const id of [
	"message", "connection", "load-form", "load-rate", "load-concurrency", "load-start", "load-stop",
	"load-status", "successes-total", "failures-total", "rps", "last-successes", "last-failures", "p50",
	"p99", "failures-by-type", "pool-active", "pool-idle", "pool-pending", "pool-total", "pool-max",
	"pool-bar", "proxy-name", "proxy-state", "proxy-live", "proxy-total", "proxy-bytes-up",
	"proxy-bytes-down", "proxy-bytes-up-human", "proxy-bytes-down-human", "active-faults", "recent-faults", "fault-journal",
	"heal-all", "fault-groups", "timeline", "timeline-tooltip",
]) {
	el[id] = document.getElementById(id);
}

const state = {
	pollTimer: 0,
	polling: false,
	pollAgain: false,
	reachable: null,
	loadInputsTouched: false,
	loadInputsSynced: false,
	messageTimer: 0,
	failuresSignature: "",
};

const api = createApi();

/* -------------------------------------------------------------------- messages */

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

/* -------------------------------------------------------------------- rendering */

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

function render(data) {
	faults.render(data);
	renderLoad(data.load);
	renderNumbers(data.totals, data.lastSecond);
	renderFailuresByType(data.totals && data.totals.failuresByType);
	renderPool(data.pool);
	renderProxy(data.proxy);
	chart.update(buildChartModel(data.timeline, faults.knownTypes));
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

/* -------------------------------------------------------------------- polling */

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
		data = await api.dashboard();
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
	// The buttons wait for the catalog; a page opened while the service was down gets them
	// once it is back.
	forms.load();
	state.polling = false;
	if (state.pollAgain) {
		state.pollAgain = false;
		poll();
		return;
	}
	state.pollTimer = setTimeout(poll, Math.max(0, POLL_INTERVAL_MS - (performance.now() - started)));
}

/* -------------------------------------------------------------------- actions */

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
		const load = await api.startLoad(rate, concurrency);
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
		await api.stopLoad();
		renderLoad({ running: false });
		showMessage("load stopped", "success");
	}
	catch (error) {
		showMessage(error.message, "error");
	}
	poll();
}

async function healAll() {
	try {
		const result = await api.healAll();
		const healed = result && isNumber(result.healed) ? result.healed : 0;
		showMessage(`healed ${plural(healed, "fault")}`, "success");
	}
	catch (error) {
		showMessage(error.message, "error");
	}
	poll();
}

/* -------------------------------------------------------------------- wiring */

const forms = createFaultForms({ container: el["fault-groups"], api, proxy: PROXY, say: showMessage, refresh: poll });
const faults = createFaultsView({
	activeTable: el["active-faults"], recentList: el["recent-faults"], journalList: el["fault-journal"], api, proxy: PROXY, say: showMessage, refresh: poll,
});
const chart = createChart(el.timeline, el["timeline-tooltip"]);

el["load-form"].addEventListener("submit", startLoad);
el["load-stop"].addEventListener("click", stopLoad);
for (const input of [el["load-rate"], el["load-concurrency"]]) {
	input.addEventListener("input", () => {
		state.loadInputsTouched = true;
		input.removeAttribute("aria-invalid");
	});
}
el["heal-all"].addEventListener("click", healAll);

poll();
