package dev.dbfault.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import dev.dbfault.core.fault.ActiveFault;
import dev.dbfault.core.fault.Faults;
import dev.dbfault.core.fault.ReadOnlyScope;
import dev.dbfault.core.testing.Transport;
import dev.dbfault.testdb.TestDatabase;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code read-only}: the server itself refuses every write on the connections the fault
 * holds, with the 25006 a demoted primary answers, through the real driver; reads work,
 * other connections write, and removing the fault makes the same connections writable. On
 * both transports.
 */
class ReadOnlyTests {

	private TestDatabase database;

	private FaultProxy proxy;

	private String table;

	@BeforeEach
	void start() throws SQLException {
		this.database = TestDatabase.get();
		this.proxy = FaultProxy.builder()
			.name("standby")
			.upstream(this.database.host(), this.database.port())
			.protocol(Protocol.POSTGRESQL)
			.start();
		this.table = "read_only_" + UUID.randomUUID().toString().replace("-", "");
		try (Connection direct = this.database.connect(); Statement statement = direct.createStatement()) {
			statement.execute("create table " + this.table + " (id int)");
			statement.execute("create function " + this.table + "_write() returns int language sql as 'insert into "
					+ this.table + " values (-1) returning 1'");
		}
	}

	@AfterEach
	void stop() throws SQLException {
		this.proxy.stop();
		try (Connection direct = this.database.connect(); Statement statement = direct.createStatement()) {
			statement.execute("drop function " + this.table + "_write()");
			statement.execute("drop table " + this.table);
		}
	}

	private Connection connect(Transport transport) throws SQLException {
		Properties properties = this.database.credentials();
		properties.setProperty("socketTimeout", "10");
		properties.setProperty("connectTimeout", "10");
		return DriverManager.getConnection(transport.url(this.database, this.proxy), properties);
	}

	private void insert(Connection connection, int id) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("insert into " + this.table + " values (?)")) {
			statement.setInt(1, id);
			statement.executeUpdate();
		}
	}

	private int count(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select count(*) from " + this.table)) {
			rs.next();
			return rs.getInt(1);
		}
	}

	private static void assertReadOnly(ThrowingCallable write, String command) {
		assertThatExceptionOfType(SQLException.class).isThrownBy(write)
			.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("25006"))
			.withMessageContaining("cannot execute " + command + " in a read-only transaction");
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void anOpenConnectionRefusesWritesAndReadsWhileANewOneWritesAndRemovalRestoresIt(Transport transport)
			throws SQLException {
		try (Connection open = connect(transport)) {
			insert(open, 1);
			ActiveFault fault = this.proxy.inject(Faults.readOnly());
			assertReadOnly(() -> insert(open, 2), "INSERT");
			assertThat(count(open)).isEqualTo(1);
			try (Connection fresh = connect(transport)) {
				insert(fresh, 3);
			}
			assertThat(fault.fired()).isEqualTo(1);
			fault.close();
			insert(open, 4);
			assertThat(count(open)).isEqualTo(3);
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void writesInsideFunctionsUpdatesDeletesAndBatchesAreRefusedByTheServer(Transport transport) throws SQLException {
		try (Connection open = connect(transport); Statement statement = open.createStatement()) {
			insert(open, 1);
			this.proxy.inject(Faults.readOnly());
			assertReadOnly(() -> statement.executeQuery("select " + this.table + "_write()").close(), "INSERT");
			assertReadOnly(() -> statement.executeUpdate("update " + this.table + " set id = 5"), "UPDATE");
			assertReadOnly(() -> statement.executeUpdate("delete from " + this.table), "DELETE");
			assertReadOnly(() -> statement.executeUpdate("create table " + this.table + "_b (id int)"), "CREATE TABLE");
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> {
				try (PreparedStatement batch = open.prepareStatement("insert into " + this.table + " values (?)")) {
					for (int i = 0; i < 3; i++) {
						batch.setInt(1, 10 + i);
						batch.addBatch();
					}
					batch.executeBatch();
				}
			}).satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("25006"));
			assertThat(count(open)).isEqualTo(1);
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void aTransactionOpenWhenInjectedRefusesItsNextWriteAndTheNextTransactionIsReadOnlyToo(Transport transport)
			throws SQLException {
		try (Connection open = connect(transport)) {
			open.setAutoCommit(false);
			insert(open, 1);
			ActiveFault fault = this.proxy.inject(Faults.readOnly());
			assertThat(count(open)).isEqualTo(1);
			assertReadOnly(() -> insert(open, 2), "INSERT");
			open.rollback();
			assertReadOnly(() -> insert(open, 3), "INSERT");
			open.rollback();
			fault.close();
			insert(open, 4);
			open.commit();
			assertThat(count(open)).isEqualTo(1);
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void aClientThatAsksForReadWriteIsStillRefused(Transport transport) throws SQLException {
		try (Connection open = connect(transport); Statement statement = open.createStatement()) {
			this.proxy.inject(Faults.readOnly());
			statement.execute("set session characteristics as transaction read write");
			assertReadOnly(() -> insert(open, 1), "INSERT");
			open.setAutoCommit(false);
			statement.execute("set transaction read write");
			assertReadOnly(() -> insert(open, 2), "INSERT");
			open.rollback();
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void allConnectionsTakesInNewOnesUntilRemoved(Transport transport) throws SQLException {
		ActiveFault fault = this.proxy.inject(Faults.readOnly().connections(ReadOnlyScope.ALL));
		try (Connection fresh = connect(transport)) {
			assertReadOnly(() -> insert(fresh, 1), "INSERT");
			assertThat(count(fresh)).isZero();
			fault.close();
			insert(fresh, 2);
			assertThat(count(fresh)).isEqualTo(1);
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void aBackendPidTargetHoldsOneConnectionOnly(Transport transport) throws SQLException {
		try (Connection first = connect(transport); Connection second = connect(transport)) {
			int pid = backendPid(first);
			this.proxy.inject(Faults.readOnly().backendPid(pid));
			assertReadOnly(() -> insert(first, 1), "INSERT");
			insert(second, 2);
			assertThat(count(first)).isEqualTo(1);
		}
	}

	private static int backendPid(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select pg_backend_pid()")) {
			rs.next();
			return rs.getInt(1);
		}
	}

}
