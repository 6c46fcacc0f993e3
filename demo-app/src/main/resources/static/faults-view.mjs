/*
 * The faults in effect (a table with a remove button per row) and the ones recently ended
 * (newest first, with what each did), as /api/dashboard reports them.
 */
import { h, setText, setTitle } from "./dom.mjs";
import { DASH, formatCount, formatParams, formatTimeLeft, isNumber } from "./format.mjs";
import { faultTypeOf } from "./chart-model.mjs";

// Past this many remembered ids, those no longer on the chart are forgotten.
const KNOWN_TYPES_LIMIT = 200;

/**
 * Wires the view: remove buttons call api.remove on proxy, say(text, kind) reports, and
 * refresh() polls at once. knownTypes maps fault ids to their types for the chart.
 */
export function createFaultsView({ activeTable, recentList, journalList, api, proxy, say, refresh }) {
	const knownTypes = new Map();
	let recentSignature = "";
	let journalSignature = "";

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
		setText(typeCell, fault.type || faultTypeOf(fault.id, knownTypes));
		setText(paramsCell, params || DASH);
		setTitle(paramsCell, params);
		setText(firedCell, formatCount(fault.fired));
		setText(leftCell, formatTimeLeft(fault.timeLeftMillis));
		row.classList.toggle("inactive", Boolean(fault.state) && fault.state !== "active");
		setTitle(row, fault.state ? `state: ${fault.state}` : "");
	}

	function renderFaults(faults) {
		const tbody = activeTable.tBodies[0];
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
		if (recentSignature === signature && recentList.children.length > 0) {
			return;
		}
		recentSignature = signature;
		if (list.length === 0) {
			recentList.replaceChildren(h("li", { class: "empty", text: "none yet" }));
			return;
		}
		recentList.replaceChildren(...list.map((fault) => {
			const ended = isNumber(fault.endedAt) ? new Date(fault.endedAt) : null;
			const params = formatParams(fault.parameters);
			const title = params ? `${fault.id} (${params})` : String(fault.id);
			return h("li", { dataset: { faultId: String(fault.id), ending: fault.ending || "" }, title },
				h("time", { datetime: ended ? ended.toISOString() : null, text: ended ? ended.toLocaleTimeString() : DASH }),
				h("span", { class: "summary", text: fault.summary || String(fault.id) }));
		}));
	}

	// The journal's last entries, newest first; rebuilt only when something new fired.
	function renderJournal(journal) {
		if (!journalList) {
			return;
		}
		const list = (Array.isArray(journal) ? journal : []).filter((entry) => entry && entry.sequence != null);
		const signature = list.length > 0 ? String(list[0].sequence) : "";
		if (journalSignature === signature && journalList.children.length > 0) {
			return;
		}
		journalSignature = signature;
		if (list.length === 0) {
			journalList.replaceChildren(h("li", { class: "empty", text: "nothing fired yet" }));
			return;
		}
		journalList.replaceChildren(...list.map((entry) => {
			const at = isNumber(entry.time) ? new Date(entry.time) : null;
			const statement = entry.statement ? ` \u2014 ${entry.statement}` : "";
			const text = `${entry.fault} on ${entry.connection || "the proxy"}: ${entry.action}${statement}`;
			return h("li", { dataset: { sequence: String(entry.sequence) }, title: `seed ${entry.seed}` },
				h("time", { datetime: at ? at.toISOString() : null, text: at ? at.toLocaleTimeString() : DASH }),
				h("span", { class: "summary", text }));
		}));
	}

	function rememberFaultTypes(faults, timeline) {
		for (const fault of faults) {
			if (fault && fault.id != null && fault.type) {
				knownTypes.set(String(fault.id), fault.type);
			}
		}
		// Forget faults that have scrolled out of the chart, so the map cannot grow forever.
		if (knownTypes.size > KNOWN_TYPES_LIMIT) {
			const visible = new Set();
			for (const entry of Array.isArray(timeline) ? timeline : []) {
				(entry && Array.isArray(entry.faults) ? entry.faults : []).forEach((id) => visible.add(String(id)));
				(entry && Array.isArray(entry.acted) ? entry.acted : []).forEach((id) => visible.add(String(id)));
			}
			for (const id of [...knownTypes.keys()]) {
				if (!visible.has(id)) {
					knownTypes.delete(id);
				}
			}
		}
	}

	async function removeFault(button) {
		const row = button.closest("tr");
		const id = row && row.dataset.faultId;
		if (!id) {
			return;
		}
		button.disabled = true;
		try {
			await api.remove(proxy, id);
			say(`${id} removed`, "success");
		}
		catch (error) {
			say(error.message, "error");
		}
		button.disabled = false;
		refresh();
	}

	activeTable.addEventListener("click", (event) => {
		const button = event.target.closest("button.remove-fault");
		if (button) {
			removeFault(button);
		}
	});

	return {
		knownTypes,
		/** Shows what one poll of /api/dashboard says about faults. */
		render(data) {
			const faults = Array.isArray(data.faults) ? data.faults : [];
			const recent = Array.isArray(data.recent) ? data.recent : [];
			rememberFaultTypes([...faults, ...recent], data.timeline);
			renderFaults(faults);
			renderRecent(recent);
			renderJournal(data.journal);
		},
	};
}
