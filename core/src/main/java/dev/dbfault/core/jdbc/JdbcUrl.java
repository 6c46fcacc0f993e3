package dev.dbfault.core.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dbfault.core.Protocol;

/**
 * A JDBC URL taken apart into the network addresses it names, so that it can be written
 * again with each address replaced by a proxy's.
 *
 * <pre>{@code
 * JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://db1:5432,db2:5433/app?ssl=false");
 * url.hosts();                                   // [db1:5432, db2:5433]
 * url.rewrite(List.of(new HostPort("127.0.0.1", 40001), new HostPort("127.0.0.1", 40002)));
 * // jdbc:postgresql://127.0.0.1:40001,127.0.0.1:40002/app?ssl=false
 * }</pre>
 *
 * <p>Understood: PostgreSQL (single and multi-host, IPv6 literals), MySQL and MariaDB
 * (single and multi-host, every sub-protocol such as {@code loadbalance:}), SQL Server, and
 * Oracle thin (EZConnect and TNS descriptors). Anything else, or an address the driver
 * looks up on its own, is an {@link UnsupportedJdbcUrlException} saying why.
 */
public final class JdbcUrl {

	/**
	 * The databases whose URLs dbfault understands.
	 */
	public enum Database {

		POSTGRESQL(5432), MYSQL(3306), MARIADB(3306), SQLSERVER(1433), ORACLE(1521);

		private final int defaultPort;

		Database(int defaultPort) {
			this.defaultPort = defaultPort;
		}

		public int defaultPort() {
			return this.defaultPort;
		}

	}

	private static final Pattern POSTGRESQL = Pattern.compile("^jdbc:postgresql:(//([^/?]*))?(.*)$",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern MYSQL = Pattern.compile("^jdbc:(mysql|mariadb)(:[a-z]+)?://([^/?]*)(.*)$",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern SQLSERVER = Pattern.compile("^jdbc:sqlserver://([^;]*)(;.*)?$", Pattern.CASE_INSENSITIVE);

	private static final Pattern ORACLE = Pattern.compile("^(jdbc:oracle:thin:(?:[^@/]*/[^@]*)?@)(.*)$",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern ORACLE_DESCRIPTOR_ADDRESS = Pattern
		.compile("\\(\\s*HOST\\s*=\\s*([^)\\s]+)\\s*\\)|\\(\\s*PORT\\s*=\\s*(\\d+)\\s*\\)", Pattern.CASE_INSENSITIVE);

	private static final Pattern ORACLE_EZCONNECT = Pattern
		.compile("^(//)?(\\[[^\\]]+\\]|[^:/\\[]+)(?::(\\d+))?([:/].*)?$");

	private final String url;

	private final Database database;

	private final List<HostPort> hosts;

	private final Function<List<HostPort>, String> renderer;

	private JdbcUrl(String url, Database database, List<HostPort> hosts, Function<List<HostPort>, String> renderer) {
		this.url = url;
		this.database = database;
		this.hosts = List.copyOf(hosts);
		this.renderer = renderer;
	}

	/**
	 * Takes a JDBC URL apart.
	 * @param url the URL
	 * @return the parsed URL
	 * @throws UnsupportedJdbcUrlException if dbfault cannot route it, saying why
	 */
	public static JdbcUrl parse(String url) {
		Objects.requireNonNull(url, "url");
		String lower = url.toLowerCase(Locale.ROOT);
		if (lower.startsWith("jdbc:postgresql:")) {
			return postgresql(url);
		}
		if (lower.startsWith("jdbc:mysql") || lower.startsWith("jdbc:mariadb")) {
			return mysql(url);
		}
		if (lower.startsWith("jdbc:sqlserver:")) {
			return sqlserver(url);
		}
		if (lower.startsWith("jdbc:oracle:thin:")) {
			return oracle(url);
		}
		throw new UnsupportedJdbcUrlException("dbfault cannot route " + mask(url)
				+ ": it routes PostgreSQL, MySQL, MariaDB, SQL Server and Oracle thin URLs over TCP, and this is "
				+ (isEmbedded(lower) ? "an embedded or in-memory database with no network connection"
						: "not one of them"));
	}

	private static boolean isEmbedded(String lower) {
		return lower.startsWith("jdbc:h2:") || lower.startsWith("jdbc:hsqldb:") || lower.startsWith("jdbc:derby:")
				|| lower.startsWith("jdbc:sqlite:");
	}

	/**
	 * Returns the URL as given.
	 * @return the original URL
	 */
	public String url() {
		return this.url;
	}

	public Database database() {
		return this.database;
	}

	/**
	 * Returns the protocol a proxy for this URL should speak.
	 * @return {@link Protocol#POSTGRESQL} for PostgreSQL, else {@link Protocol#TCP}
	 */
	public Protocol protocol() {
		return (this.database == Database.POSTGRESQL) ? Protocol.POSTGRESQL : Protocol.TCP;
	}

	/**
	 * Returns the addresses the URL names, in order, with default ports filled in.
	 * @return the addresses
	 */
	public List<HostPort> hosts() {
		return this.hosts;
	}

	/**
	 * Writes the URL again with each address replaced, everything else kept.
	 * @param replacements one address for each of {@link #hosts()}, in the same order
	 * @return the new URL
	 */
	public String rewrite(List<HostPort> replacements) {
		if (replacements.size() != this.hosts.size()) {
			throw new IllegalArgumentException(
					"Expected " + this.hosts.size() + " replacement addresses, got " + replacements.size());
		}
		return this.renderer.apply(replacements);
	}

	/**
	 * Returns the URL with password values masked, for messages and logs.
	 * @param url the URL
	 * @return the masked URL
	 */
	/**
	 * Returns whether a PostgreSQL URL sets a driver parameter in its query.
	 * @param name the parameter's name, as the driver spells it
	 * @return whether it is there
	 */
	public boolean hasParameter(String name) {
		int query = this.url.indexOf('?');
		if (query < 0) {
			return false;
		}
		for (String pair : this.url.substring(query + 1).split("&")) {
			int equals = pair.indexOf('=');
			if (((equals < 0) ? pair : pair.substring(0, equals)).equals(name)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Returns this URL with more driver parameters in its query.
	 * @param parameters {@code name=value} pairs joined with {@code &}, encoded
	 * @return the URL
	 */
	public String withParameters(String parameters) {
		return this.url + ((this.url.indexOf('?') >= 0) ? (this.url.endsWith("?") || this.url.endsWith("&") ? "" : "&")
				: "?") + parameters;
	}

	public static String mask(String url) {
		return url.replaceAll("(?i)(password=)[^&;)]*", "$1****").replaceAll("(?i)(thin:[^@/]*/)[^@]*@", "$1****@");
	}

	@Override
	public String toString() {
		return mask(this.url);
	}

	private static JdbcUrl postgresql(String url) {
		Matcher matcher = POSTGRESQL.matcher(url);
		if (!matcher.matches()) {
			throw new UnsupportedJdbcUrlException("Cannot read the PostgreSQL URL " + mask(url));
		}
		String authority = matcher.group(2);
		String rest = matcher.group(3);
		if (authority == null) {
			// jdbc:postgresql:database or jdbc:postgresql:/ means localhost:5432
			String path = rest.startsWith("/") ? rest : "/" + rest;
			return new JdbcUrl(url, Database.POSTGRESQL, List.of(new HostPort("localhost", 5432)),
					(hosts) -> "jdbc:postgresql://" + hosts.get(0) + path);
		}
		List<HostPort> hosts = hostList(url, authority, Database.POSTGRESQL);
		String prefix = url.substring(0, matcher.start(2));
		return new JdbcUrl(url, Database.POSTGRESQL, hosts, (through) -> prefix + join(through) + rest);
	}

	private static JdbcUrl mysql(String url) {
		Matcher matcher = MYSQL.matcher(url);
		if (!matcher.matches()) {
			throw new UnsupportedJdbcUrlException("Cannot read the MySQL/MariaDB URL " + mask(url)
					+ (url.toLowerCase(Locale.ROOT).contains("+srv") ? ": DNS SRV lookups cannot be routed through a proxy"
							: ""));
		}
		Database database = matcher.group(1).equalsIgnoreCase("mariadb") ? Database.MARIADB : Database.MYSQL;
		String authority = matcher.group(3);
		if (authority.contains("(") || authority.contains("[")) {
			throw new UnsupportedJdbcUrlException("Cannot route " + mask(url)
					+ ": write the hosts as host:port lists, not address=(...) or [...] forms");
		}
		if (authority.contains("@")) {
			throw new UnsupportedJdbcUrlException(
					"Cannot route " + mask(url) + ": put user and password in properties, not before the host");
		}
		List<HostPort> hosts = hostList(url, authority.isEmpty() ? "localhost" : authority, database);
		String prefix = url.substring(0, matcher.start(3));
		String rest = matcher.group(4);
		return new JdbcUrl(url, database, hosts, (through) -> prefix + join(through) + rest);
	}

	private static JdbcUrl sqlserver(String url) {
		Matcher matcher = SQLSERVER.matcher(url);
		if (!matcher.matches()) {
			throw new UnsupportedJdbcUrlException("Cannot read the SQL Server URL " + mask(url));
		}
		String server = matcher.group(1);
		String properties = (matcher.group(2) != null) ? matcher.group(2) : "";
		String lowerProperties = properties.toLowerCase(Locale.ROOT);
		if (server.isEmpty() || lowerProperties.contains(";servername=") || lowerProperties.contains(";portnumber=")
				|| lowerProperties.contains(";port=")) {
			throw new UnsupportedJdbcUrlException("Cannot route " + mask(url)
					+ ": write the server as jdbc:sqlserver://host:port rather than in serverName/portNumber properties");
		}
		String host = server;
		Integer port = null;
		int colon = server.lastIndexOf(':');
		if (colon > 0 && !server.endsWith("]")) {
			host = server.substring(0, colon);
			port = parsePort(url, server.substring(colon + 1));
		}
		int backslash = host.indexOf('\\');
		if (backslash >= 0) {
			if (port == null) {
				throw new UnsupportedJdbcUrlException("Cannot route " + mask(url) + ": the named instance "
						+ host.substring(backslash + 1)
						+ " is found through the SQL Server Browser (UDP); give its port, as host\\instance:port");
			}
			host = host.substring(0, backslash);
		}
		HostPort target = new HostPort(stripBrackets(host), (port != null) ? port : Database.SQLSERVER.defaultPort());
		// the driver checks the server's certificate against the host it connects to: keep the real one
		String extra = lowerProperties.contains(";hostnameincertificate=") ? ""
				: ";hostNameInCertificate=" + target.host();
		return new JdbcUrl(url, Database.SQLSERVER, List.of(target),
				(through) -> "jdbc:sqlserver://" + through.get(0) + properties + extra);
	}

	private static JdbcUrl oracle(String url) {
		Matcher matcher = ORACLE.matcher(url);
		if (!matcher.matches()) {
			throw new UnsupportedJdbcUrlException("Cannot read the Oracle URL " + mask(url));
		}
		String prefix = matcher.group(1);
		String target = matcher.group(2).trim();
		if (target.startsWith("(")) {
			return oracleDescriptor(url, prefix, target);
		}
		String lower = target.toLowerCase(Locale.ROOT);
		if (lower.startsWith("ldap")) {
			throw new UnsupportedJdbcUrlException("Cannot route " + mask(url) + ": LDAP lookups cannot be proxied");
		}
		String scheme = "";
		if (lower.startsWith("tcps://") || lower.startsWith("tcp://")) {
			scheme = target.substring(0, target.indexOf("://") + 1);
			target = target.substring(scheme.length());
		}
		Matcher ez = ORACLE_EZCONNECT.matcher(target);
		if (!ez.matches() || (ez.group(3) == null && ez.group(4) == null)) {
			throw new UnsupportedJdbcUrlException("Cannot route " + mask(url)
					+ ": a TNS alias is looked up by the driver; use host:port/service or a (DESCRIPTION=...) instead");
		}
		String slashes = (ez.group(1) != null) ? ez.group(1) : "";
		String host = stripBrackets(ez.group(2));
		int port = (ez.group(3) != null) ? parsePort(url, ez.group(3)) : Database.ORACLE.defaultPort();
		String rest = (ez.group(4) != null) ? ez.group(4) : "";
		String head = prefix + scheme;
		return new JdbcUrl(url, Database.ORACLE, List.of(new HostPort(host, port)),
				(through) -> head + slashes + through.get(0) + rest);
	}

	private static JdbcUrl oracleDescriptor(String url, String prefix, String descriptor) {
		// each ADDRESS holds a HOST and a PORT; they are paired in order of appearance
		List<int[]> spans = new ArrayList<>();
		List<String> hostValues = new ArrayList<>();
		List<Integer> portValues = new ArrayList<>();
		Matcher matcher = ORACLE_DESCRIPTOR_ADDRESS.matcher(descriptor);
		while (matcher.find()) {
			if (matcher.group(1) != null) {
				hostValues.add(matcher.group(1));
				spans.add(new int[] { matcher.start(1), matcher.end(1), 0 });
			}
			else {
				portValues.add(parsePort(url, matcher.group(2)));
				spans.add(new int[] { matcher.start(2), matcher.end(2), 1 });
			}
		}
		if (hostValues.isEmpty() || hostValues.size() != portValues.size()) {
			throw new UnsupportedJdbcUrlException(
					"Cannot route " + mask(url) + ": every ADDRESS of the descriptor needs a HOST and a PORT");
		}
		List<HostPort> hosts = new ArrayList<>();
		for (int i = 0; i < hostValues.size(); i++) {
			hosts.add(new HostPort(hostValues.get(i), portValues.get(i)));
		}
		return new JdbcUrl(url, Database.ORACLE, hosts, (through) -> {
			StringBuilder rewritten = new StringBuilder(descriptor);
			int hostIndex = hostValues.size();
			int portIndex = portValues.size();
			// replace from the end so earlier offsets stay valid
			for (int i = spans.size() - 1; i >= 0; i--) {
				int[] span = spans.get(i);
				String value = (span[2] == 0) ? through.get(--hostIndex).host() : String.valueOf(through.get(--portIndex).port());
				rewritten.replace(span[0], span[1], value);
			}
			return prefix + rewritten;
		});
	}

	private static List<HostPort> hostList(String url, String authority, Database database) {
		List<HostPort> hosts = new ArrayList<>();
		if (authority.isEmpty()) {
			hosts.add(new HostPort("localhost", database.defaultPort()));
			return hosts;
		}
		for (String entry : authority.split(",")) {
			String item = entry.trim();
			if (item.isEmpty()) {
				throw new UnsupportedJdbcUrlException("Cannot route " + mask(url) + ": empty host in the host list");
			}
			String host = item;
			int port = database.defaultPort();
			if (item.startsWith("[")) {
				int close = item.indexOf(']');
				if (close < 0) {
					throw new UnsupportedJdbcUrlException("Cannot route " + mask(url) + ": unclosed IPv6 literal " + item);
				}
				host = item.substring(1, close);
				String after = item.substring(close + 1);
				if (after.startsWith(":")) {
					port = parsePort(url, after.substring(1));
				}
				else if (!after.isEmpty()) {
					throw new UnsupportedJdbcUrlException("Cannot route " + mask(url) + ": cannot read " + item);
				}
			}
			else if (item.indexOf(':') >= 0) {
				if (item.indexOf(':') != item.lastIndexOf(':')) {
					throw new UnsupportedJdbcUrlException(
							"Cannot route " + mask(url) + ": write the IPv6 address " + item + " in brackets");
				}
				host = item.substring(0, item.indexOf(':'));
				port = parsePort(url, item.substring(item.indexOf(':') + 1));
			}
			hosts.add(new HostPort(host, port));
		}
		return hosts;
	}

	private static int parsePort(String url, String text) {
		try {
			int port = Integer.parseInt(text.trim());
			if (port >= 1 && port <= 65535) {
				return port;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new UnsupportedJdbcUrlException("Cannot route " + mask(url) + ": '" + text + "' is not a port");
	}

	private static String stripBrackets(String host) {
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	private static String join(List<HostPort> hosts) {
		StringBuilder joined = new StringBuilder();
		for (HostPort host : hosts) {
			if (joined.length() > 0) {
				joined.append(',');
			}
			joined.append(host);
		}
		return joined.toString();
	}

}
