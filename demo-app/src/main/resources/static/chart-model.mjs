/*
 * What the chart shows, worked out from the timeline without drawing anything: which
 * seconds go where, the bands of faults in effect, the marks of actions, the labels and the
 * scales of both axes. Pure, so that Node checks it (src/test/js/chart-model.test.mjs).
 */
import { isNumber } from "./format.mjs";

export const WINDOW_SECONDS = 120;
export const AXIS_STEPS = 4;
// Below these the axes stop shrinking: 4 req/s and 10 ms are the finest scales worth reading.
const MIN_COUNT_AXIS = 4;
const MIN_P99_AXIS = 10;

/**
 * The timeline only carries fault ids; their types come from faults seen while active,
 * or from the id itself ("reset-peer-2" is a reset-peer) once they are gone.
 */
export function faultTypeOf(id, knownTypes) {
	const known = knownTypes && knownTypes.get(id);
	return known || String(id).replace(/-\d+$/, "");
}

/** The smallest 1, 2 or 5 times a power of ten that is at least value. */
export function niceStep(value) {
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
export function axisScale(maxVisible, floor) {
	const step = niceStep(Math.max(isNumber(maxVisible) ? maxVisible : 0, floor) / AXIS_STEPS);
	return { step, max: step * AXIS_STEPS };
}

/**
 * Places the timeline on a fixed window of seconds ending at its newest entry, and finds
 * the spans where faults were in effect, the seconds where an action acted, where each
 * fault first appears, and the scales of both axes for what is in the window. Seconds
 * the server did not report stay empty rather than shifting the rest.
 */
export function buildChartModel(timeline, knownTypes, slotCount = WINDOW_SECONDS) {
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
