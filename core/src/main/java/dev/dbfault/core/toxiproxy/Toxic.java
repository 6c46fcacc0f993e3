package dev.dbfault.core.toxiproxy;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Direction;
import dev.dbfault.core.fault.FaultSpec;

/**
 * A toxic as Toxiproxy shows it, and the dbfault fault that carries it on its proxy.
 *
 * @param name the toxic's name, also the fault's id
 * @param type the toxic type
 * @param stream {@link Direction#UPSTREAM} or {@link Direction#DOWNSTREAM}
 * @param toxicity the chance, 0 to 1, per connection and direction
 * @param attributes every attribute of the type, in Toxiproxy's units
 * @param fault the fault in effect
 */
record Toxic(String name, ToxicType type, Direction stream, double toxicity, Map<String, Long> attributes,
		ActiveFault fault) {

	Toxic {
		attributes = Map.copyOf(attributes);
	}

	FaultSpec spec() {
		return this.type.spec(this.attributes, this.stream, this.toxicity);
	}

	/**
	 * Returns the toxic as Toxiproxy writes it, every key present.
	 * @return the JSON object
	 */
	Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", this.name);
		json.put("type", this.type.id());
		json.put("stream", this.stream.id());
		json.put("toxicity", this.toxicity);
		Map<String, Object> attributes = new LinkedHashMap<>();
		for (String attribute : this.type.attributes()) {
			attributes.put(attribute, this.attributes.get(attribute));
		}
		json.put("attributes", attributes);
		return json;
	}

}
