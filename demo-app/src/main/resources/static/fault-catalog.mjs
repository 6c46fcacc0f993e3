/*
 * The fault buttons, made from the catalog GET /actuator/dbfault?include=faultTypes returns:
 * a group per category, a button per fault type, a field per parameter worth showing. Nothing here
 * lists the fault types, so a type added to dbfault gets its button with no change to the
 * dashboard. Pure, so that Node checks it against the running demo's catalog.
 */

// Presentation only, keyed by the catalog's category ids, in the order the groups appear.
// A category the catalog gains later gets a group after these, titled by its id.
export const CATEGORIES = [
	{
		id: "connections",
		title: "Connections",
		hint: "Kill or refuse database connections: expect a burst of failures, then the pool reconnects and successes return.",
	},
	{
		id: "network",
		title: "Network",
		hint: "Degrade the network below the protocol: watch p99 rise, or requests hang until a timeout fires.",
	},
	{
		id: "sql",
		title: "SQL",
		hint: "Hit single statements chosen by a regex: only the matching work fails or slows down, the rest carries on.",
	},
];

// What the catalog cannot know about this demo, by fault type and parameter. An entry
// shows its field even where the rule below would not; its value replaces the catalog's
// prefill, its placeholder is shown while the field is empty. Parameters the catalog does
// not list for the type are ignored: the catalog decides what exists.
export const DEMO_FIELDS = Object.freeze({
	"sql-error": {
		// Payments only: orders go on being written, so failures show beside successes.
		match: { value: "(?i)insert into payments" },
		// The failures table names the exception each SQLSTATE becomes: worth trying others.
		sqlState: {},
		// 1 fails a single statement, and the fault is listed as used up.
		times: { value: "", placeholder: "unlimited" },
	},
});

// The common option that removes a fault after a while; see fieldsOf for when it is shown.
const LIFETIME = "duration";

// The group of a type whose catalog entry has no category.
const NO_CATEGORY = "other";

function hasExample(parameter) {
	return typeof parameter.example === "string" && parameter.example !== "";
}

/** The catalog's example, else its default as written in requests, else nothing. */
function prefill(parameter) {
	if (hasExample(parameter)) {
		return parameter.example;
	}
	const value = parameter.defaultValue;
	if (value === null || value === undefined) {
		return "";
	}
	// Sizes come as numbers of bytes, and a size typed without its unit is refused.
	return parameter.kind === "size" && typeof value === "number" ? `${value}B` : String(value);
}

function field(parameter, demo) {
	const choices = Array.isArray(parameter.choices) && parameter.choices.length > 0
		? parameter.choices.map(String) : null;
	const about = [parameter.description, parameter.range].filter((text) => typeof text === "string" && text !== "");
	return {
		name: parameter.name,
		value: demo && "value" in demo ? String(demo.value) : prefill(parameter),
		placeholder: (demo && demo.placeholder) || null,
		choices,
		required: Boolean(parameter.required),
		// A regular expression or a message needs room to be read whole.
		wide: parameter.kind === "regex" || parameter.kind === "text",
		title: about.join(" — "),
	};
}

/**
 * The fields of a type's button, in the catalog's order, prefilled so that a click shows
 * the fault at once with nothing typed. Shown: what a request needs (required parameters),
 * what the catalog gives an example for, and what DEMO_FIELDS names.
 *
 * The common option duration has an example (10s) on every condition, yet most buttons
 * leave it out: a condition with a knob of its own stays until removed, as dbfault's
 * default is. It is shown only on a condition that would otherwise have no field at all
 * (down, blackhole, refuse, stall-connect): those have nothing to tune and cut off all
 * they act on, every byte or every new connection, so the button gives them a lifetime
 * and the demo recovers by itself.
 */
export function fieldsOf(type, overrides = DEMO_FIELDS) {
	const demo = (type && Object.hasOwn(overrides, type.type) && overrides[type.type]) || {};
	const parameters = (Array.isArray(type && type.parameters) ? type.parameters : [])
		.filter((parameter) => parameter && typeof parameter.name === "string" && parameter.name !== "");
	const wanted = (parameter) => parameter.required || hasExample(parameter) || Object.hasOwn(demo, parameter.name);
	const others = parameters.filter((parameter) => parameter.name !== LIFETIME && wanted(parameter));
	const lifetime = parameters.find((parameter) => parameter.name === LIFETIME);
	const withLifetime = lifetime && (Object.hasOwn(demo, LIFETIME) || lifetime.required
		|| (others.length === 0 && hasExample(lifetime)));
	return parameters
		.filter((parameter) => others.includes(parameter) || (withLifetime && parameter === lifetime))
		.map((parameter) => field(parameter, demo[parameter.name]));
}

function titleOf(category) {
	return category.charAt(0).toUpperCase() + category.slice(1);
}

/**
 * The groups of buttons for a proxy: its types in the catalog's order, grouped by
 * category, known categories first. PostgreSQL faults are left out unless the proxy speaks
 * PostgreSQL: on a plain TCP proxy they would only be refused.
 */
export function faultGroups(catalog, proxyName, overrides = DEMO_FIELDS) {
	const types = Array.isArray(catalog && catalog.faultTypes) ? catalog.faultTypes : [];
	const proxies = (catalog && catalog.proxies) || {};
	const proxy = Object.hasOwn(proxies, proxyName) ? proxies[proxyName] : null;
	const postgresql = Boolean(proxy && proxy.protocol === "postgresql");
	const groups = new Map(CATEGORIES.map((category) => [category.id, { ...category, buttons: [] }]));
	for (const type of types) {
		if (!type || typeof type.type !== "string" || type.type === "" || (type.postgresql && !postgresql)) {
			continue;
		}
		const category = typeof type.category === "string" && type.category !== "" ? type.category : NO_CATEGORY;
		if (!groups.has(category)) {
			groups.set(category, { id: category, title: titleOf(category), hint: null, buttons: [] });
		}
		groups.get(category).buttons.push({
			type: type.type,
			hint: typeof type.description === "string" ? type.description : "",
			fields: fieldsOf(type, overrides),
		});
	}
	return [...groups.values()].filter((group) => group.buttons.length > 0);
}

/** Only filled-in values are sent, so the endpoint applies its own defaults to the rest. */
export function faultBody(entries) {
	const body = {};
	for (const [name, raw] of entries) {
		const value = raw == null ? "" : String(raw).trim();
		if (value !== "") {
			body[name] = value;
		}
	}
	return body;
}

/** What a button sends when clicked with its fields as prefilled. */
export function prefilledBody(button) {
	return faultBody(button.fields.map((each) => [each.name, each.value]));
}
