package dev.dbfault.core;

/**
 * What a proxy understands of the bytes it relays.
 */
public enum Protocol {

	/** Bytes only: TCP faults. */
	TCP,

	/** The PostgreSQL wire protocol: TCP faults and statement faults. */
	POSTGRESQL

}
