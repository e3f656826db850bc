package org.civicgrid.database;

import java.time.Duration;

/**
 * The streaming replica that serves {@link ReadOnlyWork}: {@code civicgrid.datasource.replica.*}. Only {@code url} is
 * required; user name and password default to the primary's.
 *
 * @param url               JDBC URL of the replica, e.g. jdbc:postgresql://127.0.0.1:15433/civicgrid
 * @param username          defaults to spring.datasource.username (or the embedded cluster's account)
 * @param password          defaults to spring.datasource.password
 * @param maximumPoolSize   connections to the replica
 * @param connectionTimeout how long a read waits for a replica connection before it falls back to the primary
 * @param checkInterval     how often the replica is probed (a replica marked down comes back after one good probe)
 */
record ReplicaProperties(String url, String username, String password, int maximumPoolSize, Duration connectionTimeout,
                         Duration checkInterval) {

    static final String PREFIX = "civicgrid.datasource.replica";

    ReplicaProperties {
        maximumPoolSize = maximumPoolSize <= 0 ? 10 : maximumPoolSize;
        connectionTimeout = connectionTimeout == null ? Duration.ofSeconds(1) : connectionTimeout;
        checkInterval = checkInterval == null ? Duration.ofSeconds(2) : checkInterval;
    }
}
