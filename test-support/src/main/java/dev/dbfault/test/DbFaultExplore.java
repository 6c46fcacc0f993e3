package dev.dbfault.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs a test method once per failure its statements can meet, in place of {@code @Test}.
 * The method first runs with no fault, and every statement it causes on the proxies is
 * recorded (those of {@code @BeforeEach} and {@code @AfterEach} methods are not); then it
 * runs again once per statement and fault kind, each run a test of its own named like
 * {@code #3 UPDATE accounts SET … ← drop-after}, with that one fault on that one statement.
 * A run passes when the test passes under its fault; a failing run's message names the
 * statement, the fault, its seed and the line that injects the same fault in a plain test.
 * After the last run a table of statements and kinds is logged and written as Markdown under
 * {@code target/dbfault-explore/}.
 *
 * <p>The proxies are those of the test's Spring context (a {@code @SpringBootTest} with
 * {@link AutoConfigureDbFault}), whose pools are settled before each run and restored after
 * a run that broke a connection; or, in a plain JUnit test, the
 * {@link dev.dbfault.core.FaultProxy} fields of the test class. Each run is a test of its
 * own, with its own {@code @BeforeEach}: set the data up there, so that every run starts
 * from the same state (with {@code @TestInstance(PER_CLASS)} the instance is shared, the
 * {@code @BeforeEach} methods still run before each run). Exploring assumes the method issues the same statements in the same
 * order each time it runs with no fault, as a test that passes reliably does; its runs
 * run one after another, on one thread.
 *
 * <p>Statements of the same shape (the same SQL once literals and parameters are set aside)
 * from the same call site are explored once, at their first occurrence, unless
 * {@link #everyOccurrence()}: the call site is known on the in-process transport
 * ({@code dbfault.transport=socket}), where the driver runs on the test's thread; through
 * the relay it is not, and statements of the same shape are explored once. Transaction control other than {@code COMMIT} ({@code BEGIN},
 * {@code ROLLBACK}, savepoints) and session settings ({@code SET}) are not explored.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(DbFaultExploreExtension.class)
@Execution(ExecutionMode.SAME_THREAD)
public @interface DbFaultExplore {

	/**
	 * The fault kinds each statement meets.
	 * @return the kinds, every kind by default
	 */
	ExploreFault[] faults() default { ExploreFault.SQL_ERROR, ExploreFault.DROP_BEFORE, ExploreFault.DROP_AFTER };

	/**
	 * The SQLSTATE of {@link ExploreFault#SQL_ERROR}: a serialization failure by default, the
	 * transient error a retry is meant for.
	 * @return the SQLSTATE
	 */
	String sqlState() default "40001";

	/**
	 * The most runs with a fault; statements beyond are reported as not explored.
	 * @return the bound, from 1
	 */
	int maxVariants() default 200;

	/**
	 * Whether every statement is explored, even one of a shape and call site explored already.
	 * @return whether repeats are explored
	 */
	boolean everyOccurrence() default false;

	/**
	 * A regular expression found in the SQL of statements not to explore, such as the
	 * queries the test's own assertions make; empty for none.
	 * @return the expression
	 */
	String skip() default "";

}
