package dev.dbfault.autoconfigure;

import java.util.List;

import dev.dbfault.core.FaultProxy;

/**
 * A DataSource that dbfault routes through its proxies.
 *
 * @param beanName the DataSource's bean name
 * @param url the JDBC URL it was configured with (passwords masked)
 * @param routedUrl the JDBC URL it now uses, pointing at the proxies or naming their socket
 * factory
 * @param proxies one proxy per host of the URL, in URL order
 * @param advice what keeps it from recovering from a broken connection
 * @param transport how its connections reach the proxies' faults
 */
public record RoutedDataSource(String beanName, String url, String routedUrl, List<FaultProxy> proxies,
		List<Advice> advice, DbFaultProperties.Transport transport) {

	public RoutedDataSource {
		proxies = List.copyOf(proxies);
		advice = List.copyOf(advice);
	}

}
