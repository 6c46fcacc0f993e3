package dev.dbfault.core.fault;

/**
 * Thrown when a fault is injected under an id that a fault in effect already has, with
 * other parameters. Sending the same id with the same parameters renews that fault instead.
 * Nothing is applied when it is thrown.
 */
public class FaultConflictException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String id;

	/**
	 * Creates an exception about one id.
	 * @param id the id
	 * @param existing what the fault in effect under the id was injected with
	 * @param requested what was asked for
	 */
	public FaultConflictException(String id, FaultSpec existing, FaultSpec requested) {
		super("Fault '" + id + "' is in effect with other parameters (" + existing + "; asked for " + requested
				+ "): send the same parameters to renew it, or remove it first");
		this.id = id;
	}

	/**
	 * Creates an exception about one id, saying what claims it.
	 * @param id the id
	 * @param message what claims it and what to do
	 */
	public FaultConflictException(String id, String message) {
		super(message);
		this.id = id;
	}

	/**
	 * Returns the id both faults claim.
	 * @return the id
	 */
	public String getId() {
		return this.id;
	}

}
