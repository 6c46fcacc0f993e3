/*
 * How the dashboard writes numbers, times, sizes and errors. Pure: no page, no network, so
 * that Node can check it as it is.
 */

export const DASH = "–";

export function isNumber(value) {
	return typeof value === "number" && Number.isFinite(value);
}

/** A count as plain digits, so tests and people read the same thing. */
export function formatCount(value) {
	return isNumber(value) ? String(Math.round(value)) : "0";
}

/** Milliseconds with one decimal below 100 ms, where the decimal still means something. */
export function formatMillis(value) {
	if (!isNumber(value)) {
		return DASH;
	}
	return String(value >= 100 ? Math.round(value) : Math.round(value * 10) / 10);
}

/** "59s", "9m 59s", "1h 5m"; rounded down so a ten-minute fault starts at "9m 59s". */
export function formatTimeLeft(millis) {
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
export function formatBytes(bytes) {
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
export function formatParams(parameters) {
	if (!parameters || typeof parameters !== "object") {
		return "";
	}
	return Object.entries(parameters)
		.filter(([, value]) => value !== null && value !== undefined && value !== "")
		.map(([name, value]) => `${name}=${typeof value === "object" ? JSON.stringify(value) : value}`)
		.join(", ");
}

export function plural(count, word) {
	return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Turns an error response into one line for the message area. */
export function errorText(status, payload) {
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
