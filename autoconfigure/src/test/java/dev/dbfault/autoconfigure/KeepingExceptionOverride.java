package dev.dbfault.autoconfigure;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * An {@link SQLExceptionOverride} that leaves HikariCP's decisions as they are: what the
 * advisor needs to see is that the pool has one.
 */
public class KeepingExceptionOverride implements SQLExceptionOverride {

}
