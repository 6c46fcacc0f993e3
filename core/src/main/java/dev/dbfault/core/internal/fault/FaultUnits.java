package dev.dbfault.core.internal.fault;

import dev.dbfault.core.fault.Bandwidth;
import dev.dbfault.core.fault.Blackhole;
import dev.dbfault.core.fault.Down;
import dev.dbfault.core.fault.DropAfterRows;
import dev.dbfault.core.fault.DropOn;
import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Latency;
import dev.dbfault.core.fault.LimitData;
import dev.dbfault.core.fault.LoginError;
import dev.dbfault.core.fault.ReadOnly;
import dev.dbfault.core.fault.Refuse;
import dev.dbfault.core.fault.ResetPeer;
import dev.dbfault.core.fault.Slicer;
import dev.dbfault.core.fault.SlowClose;
import dev.dbfault.core.fault.SqlError;
import dev.dbfault.core.fault.SqlLatency;
import dev.dbfault.core.fault.Timeout;

/**
 * The behaviour of each fault type: the one place that maps a spec (whose type's
 * {@link dev.dbfault.core.fault.FaultType} constant holds its name, parameters and description)
 * to its unit. The switch is over every type, so the compiler asks for the unit of a new one.
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
			case REFUSE -> new RefuseFault((Refuse) spec, fault);
			case DOWN -> new DownFault((Down) spec, fault);
			case BLACKHOLE -> new BlackholeFault((Blackhole) spec, fault);
			case STALL_CONNECT -> new StallConnectFault(fault);
			case LATENCY -> new LatencyFault((Latency) spec, fault);
			case BANDWIDTH -> new BandwidthFault((Bandwidth) spec, fault);
			case SLOW_CLOSE -> new SlowCloseFault((SlowClose) spec, fault);
			case TIMEOUT -> new TimeoutFault((Timeout) spec, fault);
			case RESET_PEER -> new ResetPeerFault((ResetPeer) spec, fault);
			case SLICER -> new SlicerFault((Slicer) spec, fault);
			case LIMIT_DATA -> new LimitDataFault((LimitData) spec, fault);
			case SQL_ERROR -> new SqlErrorFault((SqlError) spec, fault);
			case SQL_LATENCY -> new SqlLatencyFault((SqlLatency) spec, fault);
			case DROP_ON -> new DropOnFault((DropOn) spec, fault);
			case DROP_AFTER_ROWS -> new DropAfterRowsFault((DropAfterRows) spec, fault);
			case TERMINATE -> new TerminateFault(fault);
			case LOGIN_ERROR -> new LoginErrorFault((LoginError) spec, fault);
			case READ_ONLY -> new ReadOnlyFault((ReadOnly) spec, fault);
		};
	}

}
