/*
 * The canvas of the last 120 seconds: bars of successes and failures, the p99 line, bands
 * where faults were in effect, marks where actions acted, and a tooltip per second. What
 * goes where is decided by chart-model.mjs; this only draws it.
 */
import { h } from "./dom.mjs";
import { formatCount, formatMillis, isNumber } from "./format.mjs";
import { AXIS_STEPS, buildChartModel } from "./chart-model.mjs";

/** Draws on canvas, explains a second in tooltip; update(model) shows a new chart model. */
export function createChart(canvas, tooltip) {
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
