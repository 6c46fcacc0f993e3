package dev.dbfault.core.jdbc;

import java.util.ArrayList;
import java.util.List;

import dev.dbfault.core.Protocol;
import dev.dbfault.core.jdbc.JdbcUrl.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JdbcUrlTests {

	/** Rewrites every host to 127.0.0.1 and ports 40001, 40002, ... */
	private static String throughProxies(JdbcUrl url) {
		List<HostPort> proxies = new ArrayList<>();
		for (int i = 0; i < url.hosts().size(); i++) {
			proxies.add(new HostPort("127.0.0.1", 40001 + i));
		}
		return url.rewrite(proxies);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			jdbc:postgresql://db.example.com:6543/app                 | db.example.com:6543 | jdbc:postgresql://127.0.0.1:40001/app
			jdbc:postgresql://db/app?sslmode=disable&socketTimeout=5 | db:5432            | jdbc:postgresql://127.0.0.1:40001/app?sslmode=disable&socketTimeout=5
			jdbc:postgresql://db                                      | db:5432            | jdbc:postgresql://127.0.0.1:40001
			jdbc:postgresql://[::1]:5433/app                          | [::1]:5433         | jdbc:postgresql://127.0.0.1:40001/app
			jdbc:postgresql://[fe80::1]/app                           | [fe80::1]:5432     | jdbc:postgresql://127.0.0.1:40001/app
			jdbc:postgresql:app                                       | localhost:5432     | jdbc:postgresql://127.0.0.1:40001/app
			jdbc:postgresql:/                                         | localhost:5432     | jdbc:postgresql://127.0.0.1:40001/
			jdbc:postgresql:///app?user=me                            | localhost:5432     | jdbc:postgresql://127.0.0.1:40001/app?user=me
			""")
	void rewritesPostgresqlUrlsKeepingEverythingElse(String url, String host, String rewritten) {
		JdbcUrl parsed = JdbcUrl.parse(url);
		assertThat(parsed.database()).isEqualTo(Database.POSTGRESQL);
		assertThat(parsed.protocol()).isEqualTo(Protocol.POSTGRESQL);
		assertThat(parsed.hosts()).extracting(HostPort::toString).containsExactly(host);
		assertThat(throughProxies(parsed)).isEqualTo(rewritten);
	}

	@Test
	void rewritesEachHostOfAMultiHostPostgresqlUrl() {
		JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://h1:5432,h2:5433,[2001:db8::7]/app?targetServerType=primary");
		assertThat(url.hosts()).containsExactly(new HostPort("h1", 5432), new HostPort("h2", 5433),
				new HostPort("2001:db8::7", 5432));
		assertThat(throughProxies(url)).isEqualTo(
				"jdbc:postgresql://127.0.0.1:40001,127.0.0.1:40002,127.0.0.1:40003/app?targetServerType=primary");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			jdbc:mysql://db:3307/shop?useSSL=false                | MYSQL   | db:3307               | jdbc:mysql://127.0.0.1:40001/shop?useSSL=false
			jdbc:mysql://db/shop                                  | MYSQL   | db:3306               | jdbc:mysql://127.0.0.1:40001/shop
			jdbc:mysql:///shop                                    | MYSQL   | localhost:3306        | jdbc:mysql://127.0.0.1:40001/shop
			jdbc:mysql:loadbalance://a:3306,b:3307/shop           | MYSQL   | a:3306,b:3307         | jdbc:mysql:loadbalance://127.0.0.1:40001,127.0.0.1:40002/shop
			jdbc:mariadb://m1/shop?connectTimeout=1000            | MARIADB | m1:3306               | jdbc:mariadb://127.0.0.1:40001/shop?connectTimeout=1000
			jdbc:mariadb:replication://m1:3306,m2:3306/shop       | MARIADB | m1:3306,m2:3306       | jdbc:mariadb:replication://127.0.0.1:40001,127.0.0.1:40002/shop
			""")
	void rewritesMysqlAndMariadbUrls(String url, Database database, String hosts, String rewritten) {
		JdbcUrl parsed = JdbcUrl.parse(url);
		assertThat(parsed.database()).isEqualTo(database);
		assertThat(parsed.protocol()).isEqualTo(Protocol.TCP);
		assertThat(String.join(",", parsed.hosts().stream().map(HostPort::toString).toList())).isEqualTo(hosts);
		assertThat(throughProxies(parsed)).isEqualTo(rewritten);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			jdbc:sqlserver://sql.local:1444;databaseName=app;encrypt=true | sql.local:1444 | jdbc:sqlserver://127.0.0.1:40001;databaseName=app;encrypt=true;hostNameInCertificate=sql.local
			jdbc:sqlserver://sql.local                                    | sql.local:1433 | jdbc:sqlserver://127.0.0.1:40001;hostNameInCertificate=sql.local
			jdbc:sqlserver://sql\\\\prod:1500;hostNameInCertificate=x    | sql:1500       | jdbc:sqlserver://127.0.0.1:40001;hostNameInCertificate=x
			""")
	void rewritesSqlServerUrlsKeepingTheCertificateHost(String url, String host, String rewritten) {
		JdbcUrl parsed = JdbcUrl.parse(url.replace("\\\\", "\\"));
		assertThat(parsed.database()).isEqualTo(Database.SQLSERVER);
		assertThat(parsed.hosts()).extracting(HostPort::toString).containsExactly(host);
		assertThat(throughProxies(parsed)).isEqualTo(rewritten);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			jdbc:oracle:thin:@ora:1522:ORCL               | ora:1522 | jdbc:oracle:thin:@127.0.0.1:40001:ORCL
			jdbc:oracle:thin:@//ora:1522/service          | ora:1522 | jdbc:oracle:thin:@//127.0.0.1:40001/service
			jdbc:oracle:thin:@ora/service                 | ora:1521 | jdbc:oracle:thin:@127.0.0.1:40001/service
			jdbc:oracle:thin:scott/tiger@ora:1521:ORCL    | ora:1521 | jdbc:oracle:thin:scott/tiger@127.0.0.1:40001:ORCL
			jdbc:oracle:thin:@tcps://ora:2484/service     | ora:2484 | jdbc:oracle:thin:@tcps://127.0.0.1:40001/service
			""")
	void rewritesOracleEasyConnectUrls(String url, String host, String rewritten) {
		JdbcUrl parsed = JdbcUrl.parse(url);
		assertThat(parsed.database()).isEqualTo(Database.ORACLE);
		assertThat(parsed.hosts()).extracting(HostPort::toString).containsExactly(host);
		assertThat(throughProxies(parsed)).isEqualTo(rewritten);
	}

	@Test
	void addsDriverParametersAfterWhatTheUrlHas() {
		assertThat(JdbcUrl.parse("jdbc:postgresql://h/app").withParameters("a=1&b=2"))
			.isEqualTo("jdbc:postgresql://h/app?a=1&b=2");
		assertThat(JdbcUrl.parse("jdbc:postgresql://h/app?ssl=true").withParameters("a=1"))
			.isEqualTo("jdbc:postgresql://h/app?ssl=true&a=1");
		assertThat(JdbcUrl.parse("jdbc:postgresql://h/app?").withParameters("a=1")).isEqualTo("jdbc:postgresql://h/app?a=1");
		assertThat(JdbcUrl.parse("jdbc:postgresql://h/app?x=1&").withParameters("a=1"))
			.isEqualTo("jdbc:postgresql://h/app?x=1&a=1");
	}

	@Test
	void findsADriverParameterByItsExactName() {
		JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://h/app?ssl=true&socketFactory=x.Y&flag");
		assertThat(url.hasParameter("socketFactory")).isTrue();
		assertThat(url.hasParameter("flag")).isTrue();
		assertThat(url.hasParameter("socketFactoryArg")).isFalse();
		assertThat(url.hasParameter("socketfactory")).isFalse();
		assertThat(JdbcUrl.parse("jdbc:postgresql://h/socketFactory").hasParameter("socketFactory")).isFalse();
	}

	@Test
	void rewritesEveryAddressOfAnOracleDescriptor() {
		String url = "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=TCP)(HOST=ora1)(PORT=1521))"
				+ "(ADDRESS=(PROTOCOL=TCP)(PORT=1522)(HOST=ora2)))(CONNECT_DATA=(SERVICE_NAME=app)))";
		JdbcUrl parsed = JdbcUrl.parse(url);
		assertThat(parsed.hosts()).containsExactly(new HostPort("ora1", 1521), new HostPort("ora2", 1522));
		assertThat(throughProxies(parsed)).isEqualTo(
				"jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=TCP)(HOST=127.0.0.1)(PORT=40001))"
						+ "(ADDRESS=(PROTOCOL=TCP)(PORT=40002)(HOST=127.0.0.1)))(CONNECT_DATA=(SERVICE_NAME=app)))");
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc:h2:mem:test", "jdbc:hsqldb:mem:x", "jdbc:derby:memory:x;create=true" })
	void refusesEmbeddedDatabasesSayingSo(String url) {
		assertThatExceptionOfType(UnsupportedJdbcUrlException.class).isThrownBy(() -> JdbcUrl.parse(url))
			.withMessageContaining(url)
			.withMessageContaining("embedded or in-memory");
	}

	@Test
	void refusesUnknownDatabases() {
		assertThatExceptionOfType(UnsupportedJdbcUrlException.class)
			.isThrownBy(() -> JdbcUrl.parse("jdbc:db2://host:50000/x"))
			.withMessageContaining("PostgreSQL, MySQL, MariaDB, SQL Server and Oracle thin");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			jdbc:oracle:thin:@myalias                           | TNS alias
			jdbc:oracle:thin:@ldap://ldap.local/orcl            | LDAP
			jdbc:sqlserver://sql\\\\named;databaseName=x        | SQL Server Browser
			jdbc:sqlserver://;serverName=sql;databaseName=x     | serverName/portNumber
			jdbc:mysql+srv://cluster.local/db                   | DNS SRV
			jdbc:mysql://address=(host=a)(port=3306)/db          | address=
			jdbc:postgresql://db:notaport/app                   | notaport' is not a port
			jdbc:postgresql://db:70000/app                      | 70000' is not a port
			jdbc:postgresql://::1/app                           | in brackets
			jdbc:postgresql://a,,b/app                          | empty host
			""")
	void refusesAddressesItCannotRouteAndSaysWhy(String url, String reason) {
		assertThatExceptionOfType(UnsupportedJdbcUrlException.class)
			.isThrownBy(() -> JdbcUrl.parse(url.replace("\\\\", "\\")))
			.withMessageContaining(reason);
	}

	@Test
	void masksPasswordsInMessages() {
		assertThatExceptionOfType(UnsupportedJdbcUrlException.class)
			.isThrownBy(() -> JdbcUrl.parse("jdbc:h2:tcp://h/db;USER=sa;PASSWORD=secret"))
			.withMessageNotContaining("secret");
		assertThat(JdbcUrl.mask("jdbc:postgresql://db/app?user=u&password=hunter2&ssl=true"))
			.isEqualTo("jdbc:postgresql://db/app?user=u&password=****&ssl=true");
		assertThat(JdbcUrl.parse("jdbc:oracle:thin:scott/tiger@ora:1521:ORCL").toString()).doesNotContain("tiger");
	}

	@Test
	void needsOneReplacementPerHost() {
		JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://a,b/app");
		assertThatIllegalArgumentException().isThrownBy(() -> url.rewrite(List.of(new HostPort("x", 1))))
			.withMessage("Expected 2 replacement addresses, got 1");
	}

}
