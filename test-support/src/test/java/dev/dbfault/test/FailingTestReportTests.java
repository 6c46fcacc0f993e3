package dev.dbfault.test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import dev.dbfault.core.fault.Faults;
import dev.dbfault.test.DbFaultTestExecutionListener.DbFaultReport;
import dev.dbfault.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestContextManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test that fails under {@code @AutoConfigureDbFault} says in its report what dbfault did
 * during it: the faults injected with their seeds, and the journal of what fired where. The
 * test below drives a Spring test class through Spring's own {@link TestContextManager}, as
 * the JUnit extension does, and reads the failure it would report.
 */
class FailingTestReportTests {

	@Test
	void aFailingTestsReportShowsTheSeedsAndTheJournalOfThatTest() throws Exception {
		Throwable failure = run("failsUnderAFault");
		assertThat(failure).isNotNull();
		assertThat(failure.getSuppressed()).singleElement().isInstanceOf(DbFaultReport.class).satisfies((report) -> {
			String text = report.getMessage();
			assertThat(text).contains("proxy 'dataSource'", "fault payments-fail sql-error", "seed 4242",
					"fired 1", "payments-fail (sql-error, seed 4242, firing 1) on #",
					"40001 instead of the statement `select 'dbfault_report_probe'`", "pid ")
				// a fault of an earlier test is not this test's
				.doesNotContain("earlier-test");
		});
	}

	@Test
	void aPassingTestGetsNoReportAndAFailureWithoutFaultsNone() throws Exception {
		assertThat(run("passesUnderAFault")).isNull();
		Throwable failure = run("failsWithoutFaults");
		assertThat(failure).isInstanceOf(AssertionError.class);
		assertThat(failure.getSuppressed()).isEmpty();
	}

	/**
	 * Runs one method of {@link Workload} as the Spring JUnit extension does, an earlier
	 * test's fault first, and returns what it threw, with what the listeners added.
	 */
	private static Throwable run(String name) throws Exception {
		TestContextManager manager = new TestContextManager(Workload.class);
		Workload instance = new Workload();
		manager.prepareTestInstance(instance);
		Method earlier = Workload.class.getDeclaredMethod("earlierTest");
		manager.beforeTestMethod(instance, earlier);
		earlier.invoke(instance);
		manager.afterTestMethod(instance, earlier, null);
		Method method = Workload.class.getDeclaredMethod(name);
		manager.beforeTestMethod(instance, method);
		Throwable failure = null;
		try {
			method.invoke(instance);
		}
		catch (InvocationTargetException ex) {
			failure = ex.getCause();
		}
		manager.afterTestMethod(instance, method, failure);
		return failure;
	}

	@SpringBootTest
	@AutoConfigureDbFault
	static class Workload {

		@Autowired
		private DbFault dbFault;

		@Autowired
		private JdbcTemplate jdbc;

		@DynamicPropertySource
		static void database(DynamicPropertyRegistry registry) {
			TestDatabase.get().springProperties("socketTimeout=5").forEach((name, value) -> registry.add(name, () -> value));
		}

		void earlierTest() {
			this.dbFault.proxy().inject("earlier-test", Faults.sqlError("dbfault_report_probe", "40001").build());
			try {
				this.jdbc.queryForList("select 'dbfault_report_probe'");
			}
			catch (org.springframework.dao.DataAccessException expected) {
				// the earlier test passes: it expected the failure
			}
		}

		void failsUnderAFault() {
			this.dbFault.proxy()
				.inject("payments-fail", Faults.sqlError("dbfault_report_probe", "40001").seed(4242).build());
			this.jdbc.queryForObject("select 'dbfault_report_probe'", String.class);
		}

		void passesUnderAFault() {
			this.dbFault.proxy().inject("never-fires", Faults.sqlError("^never", "40001").build());
			this.jdbc.queryForObject("select 1", Integer.class);
		}

		void failsWithoutFaults() {
			throw new AssertionError("a failure of the application's own");
		}

		@SpringBootConfiguration
		@EnableAutoConfiguration
		static class Application {

		}

	}

}
