package dev.dbfault.autoconfigure;

/**
 * A setting that keeps an application from recovering from a broken database connection,
 * found by the {@link RecoveryAdvisor}.
 *
 * @param dataSource the DataSource's bean name
 * @param setting the setting at fault, such as {@code socketTimeout}
 * @param message what goes wrong and what to set instead
 */
public record Advice(String dataSource, String setting, String message) {

}
