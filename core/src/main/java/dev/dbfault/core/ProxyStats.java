package dev.dbfault.core;

/**
 * Counters of a proxy at one moment.
 *
 * @param liveConnections connections open now
 * @param totalConnections connections accepted since start
 * @param bytesUpstream bytes read from the application side
 * @param bytesDownstream bytes read from the database side
 */
public record ProxyStats(int liveConnections, long totalConnections, long bytesUpstream, long bytesDownstream) {

}
