package dev.dbfault.test;

import dev.dbfault.core.fault.FaultSpec;
import dev.dbfault.core.fault.Faults;

/**
 * One run of a {@link DbFaultExplore} test with a fault: which statement meets which kind,
 * and the seed its fault is given.
 *
 * @param index the run's number among the runs with a fault, from 1
 * @param statement the statement
 * @param kind what it meets
 * @param sqlState the SQLSTATE of an {@link ExploreFault#SQL_ERROR}
 * @param seed the fault's seed
 */
record ExploreVariation(int index, ExploredStatement statement, ExploreFault kind, String sqlState, long seed) {

	/**
	 * Returns the run's name in the test tree.
	 * @return the name, as {@code #3 UPDATE accounts SET … ← drop-after}
	 */
	String name() {
		return "#" + this.statement.number() + " " + this.statement.brief() + " ← " + this.kind.id();
	}

	/**
	 * Returns the fault: once, on the statement's occurrence the run with no fault saw.
	 * @return the fault
	 */
	FaultSpec fault() {
		String pattern = this.statement.pattern();
		FaultSpec.Builder<?, ?> builder = switch (this.kind) {
			case SQL_ERROR -> Faults.sqlError(pattern, this.sqlState);
			case DROP_BEFORE -> Faults.dropOn(pattern).when("before");
			case DROP_AFTER -> Faults.dropOn(pattern).when("after");
		};
		return builder.after(this.statement.occurrence()).times(1).seed(this.seed).build();
	}

	/**
	 * Returns the Java statement that injects the same fault in a plain test.
	 * @param proxy how the test reaches the proxy, as {@code dbFault.proxy("dataSource")}
	 * @return the line
	 */
	String reproduction(String proxy) {
		String pattern = '"' + this.statement.pattern().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
		String fault = switch (this.kind) {
			case SQL_ERROR -> "Faults.sqlError(" + pattern + ", \"" + this.sqlState + "\")";
			case DROP_BEFORE -> "Faults.dropOn(" + pattern + ").when(\"before\")";
			case DROP_AFTER -> "Faults.dropOn(" + pattern + ").when(\"after\")";
		};
		String after = (this.statement.occurrence() > 0) ? ".after(" + this.statement.occurrence() + ")" : "";
		return proxy + ".inject(" + fault + after + ".times(1).seed(" + this.seed + "L));";
	}

}
