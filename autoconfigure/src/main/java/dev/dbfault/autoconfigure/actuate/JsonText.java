package dev.dbfault.autoconfigure.actuate;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Writes the little JSON the endpoint's plumbing needs: refusals, and request parameters
 * handed on as one JSON object.
 */
final class JsonText {

	private JsonText() {
	}

	/**
	 * Writes a value read from a JSON body (or a query string) back as JSON.
	 * @param value a string, number, boolean, {@code null}, map or list
	 * @return the JSON
	 */
	static String write(@Nullable Object value) {
		StringBuilder out = new StringBuilder();
		write(value, out);
		return out.toString();
	}

	private static void write(@Nullable Object value, StringBuilder out) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof Number || value instanceof Boolean) {
			out.append(value);
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
			while (entries.hasNext()) {
				Map.Entry<?, ?> entry = entries.next();
				out.append(quote(String.valueOf(entry.getKey()))).append(':');
				write(entry.getValue(), out);
				if (entries.hasNext()) {
					out.append(',');
				}
			}
			out.append('}');
		}
		else if (value instanceof List<?> list) {
			out.append('[');
			for (int i = 0; i < list.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				write(list.get(i), out);
			}
			out.append(']');
		}
		else {
			out.append(quote(value.toString()));
		}
	}

	/**
	 * Quotes a string as a JSON string.
	 * @param text the text
	 * @return the JSON string, quotes included
	 */
	static String quote(String text) {
		StringBuilder out = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				out.append('\\').append(c);
			}
			else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		return out.append('"').toString();
	}

}
