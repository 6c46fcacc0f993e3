/*
 * The dashboard's chart model, checked without a browser: where bands, marks and labels go,
 * and how the axes follow what is in the window. Run by DashboardScriptTests through
 * `node --test`; the module is the page's own, imported as the browser does.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { axisScale, buildChartModel } from "../../main/resources/static/chart-model.mjs";

const NOW = 1_800_000_000_000;

/** One entry per second, the last one at NOW; each filled in by second(index). */
function timeline(seconds, second) {
	return Array.from({ length: seconds }, (_, index) => ({
		t: NOW - (seconds - 1 - index) * 1000,
		successes: 20,
		failures: 0,
		p99Millis: 12,
		faults: [],
		acted: [],
		...second(index),
	}));
}

/** The same history seen later: the window has moved on by this many seconds of calm. */
function later(entries, seconds) {
	const newest = entries[entries.length - 1].t;
	const calm = Array.from({ length: seconds }, (_, index) => ({
		t: newest + (index + 1) * 1000, successes: 20, failures: 0, p99Millis: 12, faults: [], acted: [],
	}));
	return [...entries, ...calm].slice(-entries.length);
}

test("an action gets a mark and a label at the second it acted, and no band", () => {
	const model = buildChartModel(timeline(120, (index) => (index === 100 ? { acted: ["reset-3"] } : {})), null);
	assert.deepEqual(model.marks, [{ slot: 100, ids: ["reset-3"] }]);
	assert.deepEqual(model.starts, [{ slot: 100, ids: ["reset-3"], label: "reset" }]);
	assert.deepEqual(model.runs, []);
});

test("a fault that lived for less than a second still shades its second", () => {
	const model = buildChartModel(timeline(120, (index) => (index === 80 ? { faults: ["sql-error-4"] } : {})), null);
	assert.deepEqual(model.runs, [{ from: 80, to: 81 }]);
	assert.deepEqual(model.starts, [{ slot: 80, ids: ["sql-error-4"], label: "sql-error" }]);
	assert.deepEqual(model.marks, []);
});

test("a condition shades every second it was in effect and is labelled once", () => {
	const model = buildChartModel(timeline(120, (index) => (index >= 50 && index < 60 ? { faults: ["latency-1"] } : {})),
		new Map([["latency-1", "latency"]]));
	assert.deepEqual(model.runs, [{ from: 50, to: 60 }]);
	assert.equal(model.starts.length, 1);
});

test("the p99 axis grows to hold a spike in the window", () => {
	const model = buildChartModel(timeline(120, (index) => (index === 100 ? { p99Millis: 5000 } : {})), null);
	assert.equal(model.maxP99, 5000);
	assert.ok(model.p99Axis.max >= 5000, `axis max ${model.p99Axis.max}`);
});

test("the p99 axis shrinks back once the spike has scrolled out of the window", () => {
	const spike = timeline(120, (index) => (index === 100 ? { p99Millis: 5000 } : {}));
	const calm = buildChartModel(later(spike, 101), null);
	assert.equal(calm.maxP99, 12);
	assert.deepEqual(calm.p99Axis, { step: 5, max: 20 });
});

test("the axes move only when the largest visible value crosses a step, not from second to second", () => {
	// p99 wobbles between 180 and 320 ms for two minutes, then calms down to 12 ms
	const wobbling = timeline(120, (index) => ({ p99Millis: index % 2 === 0 ? 180 : 320, successes: 15 + (index % 5) }));
	const scales = [];
	for (let seconds = 0; seconds <= 125; seconds += 1) {
		const model = buildChartModel(later(wobbling, seconds), null);
		scales.push(`${model.p99Axis.max}|${model.countAxis.max}`);
	}
	const changes = scales.filter((scale, index) => index > 0 && scale !== scales[index - 1]);
	// one change: when the last wobble leaves the window
	assert.deepEqual(scales[0], "400|20");
	assert.deepEqual(changes, ["20|20"]);
});

test("the count axis follows the window both ways", () => {
	const burst = timeline(120, (index) => (index === 110 ? { successes: 180, failures: 20 } : {}));
	assert.deepEqual(buildChartModel(burst, null).countAxis, { step: 50, max: 200 });
	assert.deepEqual(buildChartModel(later(burst, 111), null).countAxis, { step: 5, max: 20 });
});

test("an axis is four nice steps that hold the largest value, never finer than its floor", () => {
	assert.deepEqual(axisScale(0, 10), { step: 5, max: 20 });
	assert.deepEqual(axisScale(null, 4), { step: 1, max: 4 });
	assert.deepEqual(axisScale(310, 10), { step: 100, max: 400 });
	assert.deepEqual(axisScale(400, 10), { step: 100, max: 400 });
	assert.deepEqual(axisScale(401, 10), { step: 200, max: 800 });
	assert.deepEqual(axisScale(5000, 10), { step: 2000, max: 8000 });
});

test("an empty timeline has no marks and the finest axes", () => {
	const model = buildChartModel([], null);
	assert.equal(model.newest, null);
	assert.deepEqual(model.marks, []);
	assert.deepEqual(model.countAxis, { step: 1, max: 4 });
	assert.deepEqual(model.p99Axis, { step: 5, max: 20 });
});
