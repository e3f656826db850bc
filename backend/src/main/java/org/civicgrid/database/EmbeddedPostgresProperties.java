package org.civicgrid.database;

import java.nio.file.Path;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the embedded PostgreSQL used when no {@code spring.datasource.url} is configured.
 *
 * @param dataDir    where the cluster lives; relative paths are resolved against the working directory
 * @param port       0 picks a free port at each start
 * @param binDir     PostgreSQL's bin directory; empty means search pg_config and the usual places
 * @param database   the database CivicGrid uses inside the cluster
 * @param fastUnsafe turn off fsync: for throw-away test clusters only
 * @param sharedBuffers PostgreSQL's shared_buffers, e.g. {@code 2GB}; empty means a quarter of the machine's
 *                      memory (at most 8 GB) for a serving cluster and PostgreSQL's default for a test cluster
 */
@ConfigurationProperties("civicgrid.embedded")
public record EmbeddedPostgresProperties(String dataDir, int port, String binDir, String database, boolean fastUnsafe, String sharedBuffers) {

    private static final String DATABASE_NAME_PATTERN = "[a-z_][a-z0-9_]{0,62}";

    public EmbeddedPostgresProperties {
        dataDir = (dataDir == null || dataDir.isBlank()) ? "var/pgdata" : dataDir;
        database = (database == null || database.isBlank()) ? "civicgrid" : database;
        if (!database.matches(DATABASE_NAME_PATTERN)) {
            throw new StartupProblem("civicgrid.embedded.database '" + database + "' is not a plain lower-case name.",
                    "Use letters, digits and underscores only, e.g. civicgrid.");
        }
        if (sharedBuffers != null && !sharedBuffers.isBlank() && !sharedBuffers.matches("[1-9][0-9]{0,6}(kB|MB|GB)")) {
            throw new StartupProblem("civicgrid.embedded.shared-buffers '" + sharedBuffers + "' is not a memory size.",
                    "Use a whole number with kB, MB or GB, e.g. 2GB, or leave it empty for a quarter of the machine's memory.");
        }
        if (port < 0 || port > 65535) {
            throw new StartupProblem("civicgrid.embedded.port " + port + " is not a TCP port.", "Use 0 (any free port) or 1024–65535.");
        }
    }

    Optional<String> sharedBuffersSetting() {
        return (sharedBuffers == null || sharedBuffers.isBlank()) ? Optional.empty() : Optional.of(sharedBuffers);
    }

    Path dataDirPath() {
        return Path.of(dataDir);
    }

    Optional<Path> binDirPath() {
        return (binDir == null || binDir.isBlank()) ? Optional.empty() : Optional.of(Path.of(binDir));
    }
}
