package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.Direction;

/**
 * One direction of a proxied connection, as a fault that acts on data sees it. Used on its
 * connection's turn (the proxy's loop, or an in-process connection's lock).
 */
public interface Flow {

	/**
	 * Returns which way the data flows: {@link Direction#UPSTREAM} from the application to
	 * the database, {@link Direction#DOWNSTREAM} back.
	 * @return the direction
	 */
	Direction direction();

	/**
	 * Returns the connection this direction belongs to.
	 * @return the connection
	 */
	ProxiedConnection connection();

	/**
	 * Returns what faults keep about this direction.
	 * @return the states
	 */
	FaultStates states();

}
