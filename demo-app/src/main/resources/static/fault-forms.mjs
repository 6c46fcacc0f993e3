/*
 * The fault buttons on the page: built from the catalog the endpoint returns (see
 * fault-catalog.mjs), each a small form whose submit injects its fault into the proxy.
 */
import { h } from "./dom.mjs";
import { faultBody, faultGroups } from "./fault-catalog.mjs";

// While the catalog cannot be read (service down, dbfault off), ask again this often.
const CATALOG_RETRY_MS = 5000;

function paramControl(type, param) {
	const id = `param-${type}-${param.name}`;
	const common = { id, name: param.name, dataset: { param: param.name }, "aria-required": param.required ? "true" : null };
	let control;
	if (param.choices) {
		// An optional choice left empty is the endpoint's own default, said as such.
		const unset = !param.choices.includes(param.value);
		control = h("select", common,
			unset ? h("option", { value: "", selected: true, text: "default" }) : null,
			param.choices.map((choice) => h("option", { value: choice, selected: choice === param.value, text: choice })));
	}
	else {
		control = h("input", {
			...common, type: "text", value: param.value, placeholder: param.placeholder,
			spellcheck: "false", autocomplete: "off",
		});
	}
	return h("label", { class: `param${param.wide ? " wide" : ""}`, for: id, title: param.title || null },
		h("span", { class: "param-name", text: param.name }), control);
}

function faultForm(button) {
	const params = button.fields;
	return h("form", { class: params.length > 0 ? "fault" : "fault no-params", dataset: { faultType: button.type }, novalidate: true },
		h("button", { type: "submit", id: `fault-${button.type}`, class: "fault-button", text: button.type }),
		params.length > 0 ? h("div", { class: "params" }, params.map((param) => paramControl(button.type, param))) : null,
		h("p", { class: "fault-hint", text: button.hint }));
}

function faultGroup(group) {
	return h("section", { class: "fault-group", dataset: { category: group.id } },
		h("h3", { text: group.title }),
		group.hint ? h("p", { class: "group-hint", text: group.hint }) : null,
		group.buttons.map(faultForm));
}

/**
 * Wires the buttons into container: api makes the calls, proxy is the proxy they break,
 * say(text, kind) reports, and refresh() polls at once so the result shows without waiting.
 * The container's data-state says whether the buttons are there: loading, ready or
 * unavailable.
 */
export function createFaultForms({ container, api, proxy, say, refresh }) {
	let loaded = false;
	let loading = false;
	let lastTry = -Infinity;

	function show(state, ...children) {
		container.dataset.state = state;
		container.replaceChildren(...children);
	}

	// Read once: the catalog is the running dbfault's, and does not change while it runs.
	async function load() {
		if (loaded || loading || performance.now() - lastTry < CATALOG_RETRY_MS) {
			return;
		}
		loading = true;
		lastTry = performance.now();
		try {
			const groups = faultGroups(await api.catalog(), proxy);
			loaded = true;
			show("ready", ...(groups.length > 0 ? groups.map(faultGroup)
				: [h("p", { class: "hint", text: `The dbfault endpoint offers no fault types for proxy ${proxy}.` })]));
		}
		catch (error) {
			show("unavailable", h("p", { class: "hint", text: `No fault types to offer (${error.message}); asking again shortly.` }));
		}
		loading = false;
	}

	async function inject(form) {
		const type = form.dataset.faultType;
		const inputs = [...form.querySelectorAll("[data-param]")];
		inputs.forEach((input) => input.removeAttribute("aria-invalid"));
		const body = faultBody(inputs.map((input) => [input.dataset.param, input.value]));
		try {
			const fault = await api.inject(proxy, type, body);
			say(`${fault && fault.id ? fault.id : type} injected`, "success");
		}
		catch (error) {
			const parameter = error.payload && error.payload.parameter;
			const culprit = parameter && inputs.find((input) => input.dataset.param === parameter);
			if (culprit) {
				culprit.setAttribute("aria-invalid", "true");
				culprit.focus();
			}
			say(error.message, "error");
		}
		refresh();
	}

	container.addEventListener("submit", (event) => {
		event.preventDefault();
		inject(event.target);
	});
	container.addEventListener("input", (event) => {
		if (event.target.dataset && event.target.dataset.param) {
			event.target.removeAttribute("aria-invalid");
		}
	});
	show("loading", h("p", { class: "hint", text: "Reading the fault types…" }));

	return { load };
}
