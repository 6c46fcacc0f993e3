/*
 * How the dashboard turns the fault catalog of GET /actuator/dbfault into buttons, checked
 * without a browser on a catalog written here, so that each rule is seen on its own. The
 * real catalog is checked against the running demo by DashboardButtonsTests and
 * DashboardCatalogTests. Run by DashboardScriptTests through `node --test`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { faultBody, faultGroups, fieldsOf, prefilledBody } from "../../main/resources/static/fault-catalog.mjs";

function parameter(name, kind, more = {}) {
	return { name, kind, defaultValue: null, required: false, choices: [], range: "", description: `the ${name}`, example: null, ...more };
}

// The common options as the endpoint lists them after a type's own parameters.
function common(action) {
	return [
		parameter("probability", "ratio", { defaultValue: 1.0 }),
		parameter("times", "count"),
		parameter("after", "count", { defaultValue: 0 }),
		...(action ? [] : [parameter("duration", "duration", { example: "10s" })]),
	];
}

function type(name, category, own = [], more = {}) {
	const action = Boolean(more.action);
	return { type: name, category, description: `what ${name} does`, action, postgresql: false, parameters: [...own, ...common(action)], ...more };
}

function catalog(types, protocol = "postgresql") {
	return { proxies: { dataSource: { name: "dataSource", protocol } }, faultTypes: types };
}

const names = (fields) => fields.map((field) => field.name);

test("groups follow the categories, known ones first in their order, each type in its own", () => {
	const groups = faultGroups(catalog([
		type("b-sql", "sql"), type("a-network", "network"), type("c-disk", "disk"), type("d-connections", "connections"),
		type("e-none", undefined),
	]), "dataSource", {});
	assert.deepEqual(groups.map((group) => [group.id, group.title, group.buttons.map((button) => button.type)]), [
		["connections", "Connections", ["d-connections"]],
		["network", "Network", ["a-network"]],
		["sql", "SQL", ["b-sql"]],
		["disk", "Disk", ["c-disk"]],
		["other", "Other", ["e-none"]],
	]);
	assert.equal(groups[3].hint, null);
	assert.ok(groups[0].hint.length > 0);
});

test("a button's hint is its type's description", () => {
	const [group] = faultGroups(catalog([type("latency", "network")]), "dataSource", {});
	assert.equal(group.buttons[0].hint, "what latency does");
});

test("required parameters and those with an example are shown, prefilled with the example", () => {
	const fields = fieldsOf(type("slicer", "network", [
		parameter("averageSize", "size", { required: true, example: "8B" }),
		parameter("sizeVariation", "size", { defaultValue: 0 }),
		parameter("delay", "duration", { defaultValue: "0ms", example: "2ms" }),
		parameter("rows", "count", { required: true }),
	]), {});
	assert.deepEqual(names(fields), ["averageSize", "delay", "rows"]);
	assert.deepEqual(fields.map((field) => field.value), ["8B", "2ms", ""]);
	assert.deepEqual(fields.map((field) => field.required), [true, false, true]);
});

test("duration is shown only on a condition that would otherwise have no field", () => {
	assert.deepEqual(fieldsOf(type("down", "connections"), {}).map((field) => [field.name, field.value]), [["duration", "10s"]]);
	const blackhole = type("blackhole", "network", [parameter("direction", "choice", { defaultValue: "both", choices: ["upstream", "downstream", "both"] })]);
	assert.deepEqual(names(fieldsOf(blackhole, {})), ["duration"]);
	assert.deepEqual(names(fieldsOf(type("latency", "network", [parameter("latency", "duration", { required: true, example: "300ms" })]), {})), ["latency"]);
	assert.deepEqual(fieldsOf(type("reset", "connections", [], { action: true }), {}), []);
});

test("a choice keeps its choices and is prefilled with its example", () => {
	const [when] = fieldsOf(type("drop-on", "sql", [
		parameter("when", "choice", { defaultValue: "before", choices: ["before", "after"], example: "after" }),
		parameter("mode", "choice", { defaultValue: "reset", choices: ["reset", "close"] }),
	]), {});
	assert.deepEqual([when.name, when.value, when.choices], ["when", "after", ["before", "after"]]);
});

test("the demo's own fields replace the prefill, add fields, and never add a parameter the type lacks", () => {
	const sqlError = type("sql-error", "sql", [
		parameter("match", "regex", { required: true, example: "(?i)^\\s*insert" }),
		parameter("sqlState", "sqlstate", { defaultValue: "40001" }),
	]);
	const fields = fieldsOf(sqlError, {
		"sql-error": { match: { value: "(?i)insert into payments" }, sqlState: {}, times: { value: "", placeholder: "unlimited" }, nonsense: {} },
	});
	assert.deepEqual(fields.map((field) => [field.name, field.value, field.placeholder]), [
		["match", "(?i)insert into payments", null],
		["sqlState", "40001", null],
		["times", "", "unlimited"],
	]);
	assert.equal(fields[0].wide, true);
	assert.deepEqual(prefilledBody({ fields }), { match: "(?i)insert into payments", sqlState: "40001" });
});

test("a size shown with its default keeps a unit, as the endpoint wants", () => {
	const [field] = fieldsOf(type("slicer", "network", [parameter("sizeVariation", "size", { defaultValue: 0 })]), { slicer: { sizeVariation: {} } });
	assert.equal(field.value, "0B");
});

test("PostgreSQL faults only for a PostgreSQL proxy", () => {
	const types = [type("latency", "network"), type("sql-error", "sql", [], { postgresql: true })];
	const offered = (answer) => faultGroups(answer, "dataSource", {}).flatMap((group) => group.buttons.map((button) => button.type));
	assert.deepEqual(offered(catalog(types, "postgresql")), ["latency", "sql-error"]);
	assert.deepEqual(offered(catalog(types, "tcp")), ["latency"]);
	assert.deepEqual(offered({ proxies: {}, faultTypes: types }), ["latency"]);
});

test("an answer with no catalog gives no buttons rather than an error", () => {
	assert.deepEqual(faultGroups(null, "dataSource"), []);
	assert.deepEqual(faultGroups({ faultTypes: [null, {}, { type: "" }] }, "dataSource"), []);
});

test("only filled-in values are sent", () => {
	assert.deepEqual(faultBody([["latency", " 300ms "], ["jitter", ""], ["times", null]]), { latency: "300ms" });
});
