package dev.dbfault.core;

/**
 * Counters of a proxy at one moment.
 *
 * @param liveConnections connections open now
 * @param totalConnections connections accepted since start
 * @param bytesUpstream bytes read from the application side
 * @param bytesDownstream bytes read from the database side
 * @param encryptedConnections live connections relayed without reading their protocol
 * (encrypted with TLS or GSS, or unreadable): TCP faults apply to them, statement faults do not
 */
public record ProxyStats(int liveConnections, long totalConnections, long bytesUpstream, long bytesDownstream,
		int encryptedConnections) {

}
