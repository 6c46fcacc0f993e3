/*
 * The HTTP calls the dashboard makes: the demo's own /api (numbers, load generator) and the
 * dbfault actuator endpoint (the fault catalog, injecting, removing, healing). Only fetch is
 * needed, so Node can drive a running demo with it as the page does.
 */
import { errorText } from "./format.mjs";

// Longer than the poll interval so a slow answer is not mistaken for an outage,
// short enough that a hung server is reported within a few seconds.
const REQUEST_TIMEOUT_MS = 4000;

/** A refused or failed request; status is 0 when the service did not answer at all. */
export class RequestError extends Error {
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

/**
 * The calls, against the page's own origin by default; base is for callers outside the
 * page (Node in the tests), which have no origin to be relative to.
 */
export function createApi(base = "") {
	const path = (...segments) => segments.map(encodeURIComponent).join("/");
	return Object.freeze({
		dashboard: () => request("GET", `${base}/api/dashboard`),
		startLoad: (rate, concurrency) => request("POST", `${base}/api/load/start`, { rate, concurrency }),
		stopLoad: () => request("POST", `${base}/api/load/stop`),
		/**
		 * The proxies and the fault types with their parameters: what the buttons are made of.
		 * The fault types come only when asked for: they are most of the answer.
		 */
		catalog: () => request("GET", `${base}/actuator/dbfault?include=faultTypes`),
		inject: (proxy, type, body) => request("POST", `${base}/actuator/dbfault/${path(proxy, type)}`, body),
		remove: (proxy, id) => request("DELETE", `${base}/actuator/dbfault/${path(proxy, id)}`),
		healAll: () => request("DELETE", `${base}/actuator/dbfault`),
	});
}
