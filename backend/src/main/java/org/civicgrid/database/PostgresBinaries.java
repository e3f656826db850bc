package org.civicgrid.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the PostgreSQL server programs (initdb, pg_ctl, postgres) installed on this machine. */
final class PostgresBinaries {

    static final String INSTALL_COMMAND =
            "sudo apt-get install -y postgresql postgresql-15-postgis-3   (or simply: ./civicgrid run, which installs what is missing)";

    private final Path binDir;

    private PostgresBinaries(Path binDir) {
        this.binDir = binDir;
    }

    Path initdb() {
        return binDir.resolve("initdb");
    }

    /** Whether the server can preload the pg_prewarm module (Debian ships it with the server; some builds leave contrib out). */
    boolean hasPrewarm() {
        Path parent = binDir.toAbsolutePath().getParent();
        return parent != null && Files.isRegularFile(parent.resolve("lib").resolve("pg_prewarm.so"));
    }

    Path pgCtl() {
        return binDir.resolve("pg_ctl");
    }

    /** Client programs of the same installation; they must be at least the server's version. */
    Path pgDump() {
        return binDir.resolve("pg_dump");
    }

    Path pgRestore() {
        return binDir.resolve("pg_restore");
    }

    Path binDir() {
        return binDir;
    }

    /**
     * The configured directory if given, else {@code pg_config --bindir}, else the newest
     * {@code /usr/lib/postgresql/<version>/bin} (Debian/Ubuntu), else {@code /usr/local/pgsql/bin}.
     */
    static PostgresBinaries locate(Optional<Path> configured) {
        if (configured.isPresent()) {
            Path dir = configured.get();
            if (isServerBinDir(dir)) {
                return new PostgresBinaries(dir);
            }
            throw new StartupProblem(
                    "PostgreSQL server programs (initdb, pg_ctl) were not found in the configured directory " + dir + ".",
                    "Point civicgrid.embedded.bin-dir at a PostgreSQL bin directory, or install PostgreSQL: " + INSTALL_COMMAND);
        }
        for (Path candidate : candidates()) {
            if (isServerBinDir(candidate)) {
                return new PostgresBinaries(candidate);
            }
        }
        throw new StartupProblem(
                "PostgreSQL is not installed: no initdb/pg_ctl found via pg_config, /usr/lib/postgresql/*/bin or /usr/local/pgsql/bin.",
                "Install PostgreSQL and PostGIS: " + INSTALL_COMMAND
                        + ". To use a database elsewhere instead, set SPRING_DATASOURCE_URL.");
    }

    private static List<Path> candidates() {
        List<Path> dirs = new ArrayList<>();
        pgConfigBinDir().ifPresent(dirs::add);
        Path debianRoot = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debianRoot)) {
            try (Stream<Path> versions = Files.list(debianRoot)) {
                versions.sorted(Comparator.comparing(PostgresBinaries::majorVersion).reversed())
                        .map(v -> v.resolve("bin"))
                        .forEach(dirs::add);
            } catch (IOException ignored) {
                // an unreadable directory is simply not a candidate
            }
        }
        dirs.add(Path.of("/usr/local/pgsql/bin"));
        return dirs;
    }

    private static int majorVersion(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Optional<Path> pgConfigBinDir() {
        try {
            ProcessRunner.Result result = ProcessRunner.run(List.of("pg_config", "--bindir"), 10);
            return result.succeeded() ? Optional.of(Path.of(result.output().trim())) : Optional.empty();
        } catch (StartupProblem notInstalled) {
            return Optional.empty();
        }
    }

    private static boolean isServerBinDir(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))
                && Files.isExecutable(dir.resolve("postgres"));
    }
}
