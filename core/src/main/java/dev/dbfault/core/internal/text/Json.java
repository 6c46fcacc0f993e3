package dev.dbfault.core.internal.text;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON reader and a string quoter: enough for fault requests, with no
 * library. Objects become {@link LinkedHashMap}s in document order, arrays {@link List}s,
 * numbers {@link BigDecimal}s (exact, so a count too large for a {@code long} is seen as
 * such), {@code true}/{@code false} {@link Boolean}s and {@code null} {@code null}.
 *
 * <p>The work is linear in the input: no backtracking, nesting at most {@value #MAX_DEPTH}
 * deep (deeper input is refused, not recursed into), a number at most
 * {@value #MAX_NUMBER} characters. A repeated key in one object is refused, since which
 * one counts would be a guess.
 */
public final class Json {

	static final int MAX_DEPTH = 16;

	static final int MAX_NUMBER = 100;

	private final String text;

	private int position;

	private Json(String text) {
		this.text = text;
	}

	/**
	 * Reads a JSON document whose top level is an object; blank text is an empty object.
	 * @param text the document
	 * @return the object
	 * @throws IllegalArgumentException saying what is wrong and where
	 */
	public static Map<String, Object> readObject(String text) {
		return readObject(text, "the body");
	}

	/**
	 * Reads a JSON document whose top level is an object, as {@link #readObject(String)}
	 * does, naming what was read in the message that refuses anything else.
	 * @param text the document
	 * @param what what the document is, for messages, such as {@code the body}
	 * @return the object
	 * @throws IllegalArgumentException saying what is wrong and where
	 */
	public static Map<String, Object> readObject(String text, String what) {
		if (text.isBlank()) {
			return Collections.emptyMap();
		}
		Json json = new Json(text);
		json.skipSpace();
		if (json.peek() != '{') {
			throw new IllegalArgumentException(what + " must be a JSON object such as {\"latency\":\"200ms\"}, was "
					+ json.describeValue());
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> object = (Map<String, Object>) json.readValue(0);
		json.skipSpace();
		if (json.position < text.length()) {
			throw json.error("unexpected text after the JSON object");
		}
		return object;
	}

	/**
	 * Reads a JSON document of any kind.
	 * @param text the document
	 * @return the value: a map, a list, a string, a {@link BigDecimal}, a boolean or {@code null}
	 * @throws IllegalArgumentException saying what is wrong and where
	 */
	public static Object read(String text) {
		Json json = new Json(text);
		Object value = json.readValue(0);
		json.skipSpace();
		if (json.position < text.length()) {
			throw json.error("unexpected text after the JSON value");
		}
		return value;
	}

	/**
	 * Writes a value as JSON: maps (keys as text), iterables, text, numbers, booleans and
	 * {@code null}; anything else as its text.
	 * @param value the value
	 * @return the JSON
	 */
	public static String write(Object value) {
		StringBuilder out = new StringBuilder();
		write(value, out);
		return out.toString();
	}

	private static void write(Object value, StringBuilder out) {
		if (value == null || value instanceof Boolean) {
			out.append(value);
		}
		else if (value instanceof Number number) {
			out.append((number instanceof BigDecimal decimal) ? decimal.toPlainString() : number.toString());
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				out.append(first ? "" : ",").append(quote(String.valueOf(entry.getKey()))).append(':');
				write(entry.getValue(), out);
				first = false;
			}
			out.append('}');
		}
		else if (value instanceof Iterable<?> items) {
			out.append('[');
			boolean first = true;
			for (Object item : items) {
				out.append(first ? "" : ",");
				write(item, out);
				first = false;
			}
			out.append(']');
		}
		else {
			out.append(quote(value.toString()));
		}
	}

	/**
	 * Names the JSON type of a value read by this class, for messages.
	 * @param value the value
	 * @return such as {@code an array}, {@code the number 5}, {@code true}
	 */
	public static String describe(Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof Map) {
			return "an object";
		}
		if (value instanceof List) {
			return "an array";
		}
		if (value instanceof Boolean) {
			return value.toString();
		}
		if (value instanceof Number number) {
			return "the number " + Values.shorten(number.toString());
		}
		return "the text " + quote(Values.shorten(value.toString()));
	}

	/**
	 * Writes text as a JSON string literal, quotes included.
	 * @param text the text
	 * @return the literal
	 */
	public static String quote(String text) {
		StringBuilder out = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20 || c == 0x2028 || c == 0x2029) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

	/**
	 * Names the value at the current position, even a malformed one (by how it starts), so
	 * that {@code [1,} is refused as an array rather than for its missing end.
	 */
	private String describeValue() {
		char first = peek();
		try {
			return describe(readValue(0));
		}
		catch (IllegalArgumentException ex) {
			return switch (first) {
				case '[' -> "an array";
				case '"' -> "text";
				case 't', 'f' -> "a boolean";
				case 'n' -> "null";
				default -> (first == '-' || (first >= '0' && first <= '9')) ? "a number"
						: "'" + Values.shorten(this.text.strip()) + "', which is not JSON";
			};
		}
	}

	private Object readValue(int depth) {
		if (depth > MAX_DEPTH) {
			throw error("nested deeper than " + MAX_DEPTH + " levels");
		}
		skipSpace();
		char c = peek();
		return switch (c) {
			case '{' -> readObject(depth);
			case '[' -> readArray(depth);
			case '"' -> readString();
			case 't' -> literal("true", Boolean.TRUE);
			case 'f' -> literal("false", Boolean.FALSE);
			case 'n' -> literal("null", null);
			default -> {
				if (c == '-' || (c >= '0' && c <= '9')) {
					yield readNumber();
				}
				throw error((c == 0) ? "the JSON ends too soon" : "unexpected character '" + c + "'");
			}
		};
	}

	private Map<String, Object> readObject(int depth) {
		this.position++;
		Map<String, Object> object = new LinkedHashMap<>();
		skipSpace();
		if (peek() == '}') {
			this.position++;
			return object;
		}
		while (true) {
			skipSpace();
			if (peek() != '"') {
				throw error("expected a quoted name");
			}
			int keyAt = this.position;
			String key = readString();
			skipSpace();
			expect(':');
			Object value = readValue(depth + 1);
			if (object.containsKey(key)) {
				this.position = keyAt;
				throw error("the name " + quote(Values.shorten(key)) + " is given twice");
			}
			object.put(key, value);
			skipSpace();
			char c = peek();
			this.position++;
			if (c == '}') {
				return object;
			}
			if (c != ',') {
				this.position--;
				throw error("expected ',' or '}'");
			}
		}
	}

	private List<Object> readArray(int depth) {
		this.position++;
		List<Object> array = new ArrayList<>();
		skipSpace();
		if (peek() == ']') {
			this.position++;
			return array;
		}
		while (true) {
			array.add(readValue(depth + 1));
			skipSpace();
			char c = peek();
			this.position++;
			if (c == ']') {
				return array;
			}
			if (c != ',') {
				this.position--;
				throw error("expected ',' or ']'");
			}
		}
	}

	private String readString() {
		this.position++;
		StringBuilder out = new StringBuilder();
		while (true) {
			if (this.position >= this.text.length()) {
				throw error("a string is not closed");
			}
			char c = this.text.charAt(this.position++);
			if (c == '"') {
				return out.toString();
			}
			if (c < 0x20) {
				this.position--;
				throw error("a control character must be escaped in a string");
			}
			if (c != '\\') {
				out.append(c);
				continue;
			}
			char escape = (this.position < this.text.length()) ? this.text.charAt(this.position++) : 0;
			switch (escape) {
				case '"', '\\', '/' -> out.append(escape);
				case 'b' -> out.append('\b');
				case 'f' -> out.append('\f');
				case 'n' -> out.append('\n');
				case 'r' -> out.append('\r');
				case 't' -> out.append('\t');
				case 'u' -> {
					if (this.position + 4 > this.text.length()) {
						throw error("a \\u escape needs four hex digits");
					}
					int code = 0;
					for (int i = 0; i < 4; i++) {
						int digit = Character.digit(this.text.charAt(this.position++), 16);
						if (digit < 0) {
							throw error("a \\u escape needs four hex digits");
						}
						code = code * 16 + digit;
					}
					out.append((char) code);
				}
				default -> {
					this.position--;
					throw error("unknown escape in a string");
				}
			}
		}
	}

	private BigDecimal readNumber() {
		int start = this.position;
		if (peek() == '-') {
			this.position++;
		}
		if (!digits()) {
			throw error("a number needs digits");
		}
		int first = (this.text.charAt(start) == '-') ? start + 1 : start;
		if (this.text.charAt(first) == '0' && this.position - first > 1) {
			throw error("a number must not start with 0");
		}
		if (peek() == '.') {
			this.position++;
			if (!digits()) {
				throw error("a number needs digits after '.'");
			}
		}
		if (peek() == 'e' || peek() == 'E') {
			this.position++;
			if (peek() == '+' || peek() == '-') {
				this.position++;
			}
			if (!digits()) {
				throw error("a number needs digits in its exponent");
			}
		}
		if (this.position - start > MAX_NUMBER) {
			this.position = start;
			throw error("a number longer than " + MAX_NUMBER + " characters");
		}
		BigDecimal number;
		try {
			number = new BigDecimal(this.text.substring(start, this.position));
		}
		catch (NumberFormatException ex) {
			number = null;
		}
		if (number == null || Math.abs((long) number.scale()) > 1000) {
			this.position = start;
			throw error("a number's exponent is out of range");
		}
		return number;
	}

	private boolean digits() {
		int start = this.position;
		while (this.position < this.text.length() && this.text.charAt(this.position) >= '0'
				&& this.text.charAt(this.position) <= '9') {
			this.position++;
		}
		return this.position > start;
	}

	private Object literal(String word, Object value) {
		if (!this.text.startsWith(word, this.position)) {
			throw error("unexpected character '" + peek() + "'");
		}
		this.position += word.length();
		return value;
	}

	private void expect(char c) {
		if (peek() != c) {
			throw error("expected '" + c + "'");
		}
		this.position++;
	}

	private char peek() {
		return (this.position < this.text.length()) ? this.text.charAt(this.position) : 0;
	}

	private void skipSpace() {
		while (this.position < this.text.length()) {
			char c = this.text.charAt(this.position);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return;
			}
			this.position++;
		}
	}

	private IllegalArgumentException error(String problem) {
		return new IllegalArgumentException("the body is not valid JSON: " + problem + " at character "
				+ (this.position + 1));
	}

}
