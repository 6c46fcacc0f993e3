package dev.dbfault.core;

import java.time.Duration;

import dev.dbfault.core.fault.FaultType;
import dev.dbfault.core.internal.text.Values;

/**
 * Checks a proxy's settings wherever they come from (Spring properties, command-line
 * options, the Toxiproxy API), each message naming the setting as its source names it.
 */
public final class ProxySettings {

	private ProxySettings() {
	}

	/**
	 * Checks a busy poll setting: from zero to {@link FaultProxy#MAX_BUSY_POLL}.
	 * @param setting the setting's name, for the message (a property, an option)
	 * @param busyPoll the value
	 * @return the value
	 * @throws IllegalArgumentException naming the setting if the value is out of range
	 */
	public static Duration checkBusyPoll(String setting, Duration busyPoll) {
		if (busyPoll == null || busyPoll.isNegative() || busyPoll.compareTo(FaultProxy.MAX_BUSY_POLL) > 0) {
			throw new IllegalArgumentException(setting + " must be between 0 and 10ms, was " + busyPoll);
		}
		return busyPoll;
	}

	/**
	 * Checks a journal size: 0 to {@value FaultProxy#MAX_JOURNAL_SIZE} entries.
	 * @param setting the setting's name, for the message (a property, an option)
	 * @param size the value
	 * @return the value
	 * @throws IllegalArgumentException naming the setting if the value is out of range
	 */
	public static int checkJournalSize(String setting, int size) {
		if (size < 0 || size > FaultProxy.MAX_JOURNAL_SIZE) {
			throw new IllegalArgumentException(setting + " must be between 0 and " + FaultProxy.MAX_JOURNAL_SIZE + ", was " + size);
		}
		return size;
	}

	/**
	 * Checks a maximum fault duration: longer than zero, at most as long as a fault's own
	 * {@code duration} may be (30 days), so that every expiry stays within the clock's range.
	 * @param setting the setting's name, for the message (a property, an option)
	 * @param maxFaultDuration the value
	 * @return the value
	 * @throws IllegalArgumentException naming the setting if the value is out of range
	 */
	public static Duration checkMaxFaultDuration(String setting, Duration maxFaultDuration) {
		Duration longest = (Duration) FaultType.DURATION.maximum();
		if (maxFaultDuration == null || maxFaultDuration.isNegative() || maxFaultDuration.isZero()
				|| maxFaultDuration.compareTo(longest) > 0) {
			throw new IllegalArgumentException(setting + " must be longer than 0 and at most "
					+ Values.format(longest) + ", was " + ((maxFaultDuration != null) ? Values.format(maxFaultDuration) : null));
		}
		return maxFaultDuration;
	}

}
