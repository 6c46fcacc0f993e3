/*
 * The few DOM helpers every part of the page uses.
 */

/** Builds an element; props are attributes, except class, text and dataset. */
export function h(tag, props = {}, ...children) {
	const node = document.createElement(tag);
	for (const [key, value] of Object.entries(props)) {
		if (value === null || value === undefined || value === false) {
			continue;
		}
		if (key === "class") {
			node.className = value;
		}
		else if (key === "text") {
			node.textContent = value;
		}
		else if (key === "dataset") {
			Object.assign(node.dataset, value);
		}
		else {
			node.setAttribute(key, value === true ? "" : String(value));
		}
	}
	// Strings become text nodes here, so server text can never turn into markup.
	node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
	return node;
}

// Long exception names may wrap between words of their camel case, never mid-word.
export function breakable(text) {
	const parts = String(text).replace(/([a-z0-9.$])([A-Z])/g, "$1\u0000$2").split("\u0000");
	return parts.flatMap((part, index) => (index === 0 ? [part] : [document.createElement("wbr"), part]));
}

// Skipping unchanged values keeps text selectable and avoids needless layout work.
export function setText(node, text) {
	const value = String(text);
	if (node && node.textContent !== value) {
		node.textContent = value;
	}
}

export function setTitle(node, title) {
	if (node && node.title !== title) {
		node.title = title;
	}
}
