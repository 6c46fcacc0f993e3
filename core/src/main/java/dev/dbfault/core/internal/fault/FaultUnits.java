package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.FaultSpec;

/**
 * The behaviour of each fault type: the one place that maps a {@link dev.dbfault.core.FaultType}
 * (whose constant holds the type's name, parameters and description) to its unit.
 */
public final class FaultUnits {

	private FaultUnits() {
	}

	/**
	 * Creates the behaviour of a fault.
	 * @param spec what was injected
	 * @param fault the fault the unit acts for
	 * @return its unit
	 */
	public static FaultUnit create(FaultSpec spec, FaultContext fault) {
		return switch (spec.type()) {
			case RESET -> new ResetFault(fault);
			case CLOSE -> new CloseFault(fault);
			case REFUSE -> new RefuseFault(spec, fault);
			case DOWN -> new DownFault(spec, fault);
			case BLACKHOLE -> new BlackholeFault(spec, fault);
			case STALL_CONNECT -> new StallConnectFault(fault);
			case LATENCY -> new LatencyFault(spec, fault);
			case BANDWIDTH -> new BandwidthFault(spec, fault);
			case SLOW_CLOSE -> new SlowCloseFault(spec, fault);
			case TIMEOUT -> new TimeoutFault(spec, fault);
			case RESET_PEER -> new ResetPeerFault(spec, fault);
			case SLICER -> new SlicerFault(spec, fault);
			case LIMIT_DATA -> new LimitDataFault(spec, fault);
			case SQL_ERROR -> new SqlErrorFault(spec, fault);
			case SQL_LATENCY -> new SqlLatencyFault(spec, fault);
			case DROP_ON -> new DropOnFault(spec, fault);
			case DROP_AFTER_ROWS -> new DropAfterRowsFault(spec, fault);
			case TERMINATE -> new TerminateFault(fault);
		};
	}

}
