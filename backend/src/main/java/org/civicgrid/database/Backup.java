package org.civicgrid.database;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./civicgrid backup [FILE]} and {@code ./civicgrid restore FILE}: one tar holding
 * {@code civicgrid.dump} (pg_dump custom format: schema, PostGIS geometries, Flyway history, sequences)
 * and {@code photos/} (the photo store's directory).
 *
 * <p>The database is the one the app would use: SPRING_DATASOURCE_URL/USERNAME/PASSWORD when set,
 * else the embedded cluster in CIVICGRID_EMBEDDED_DATA_DIR (default var/pgdata; its password is in
 * the {@code .credentials} file beside it). The embedded server is adopted if running, otherwise
 * started for the command and stopped afterwards. Photos: CIVICGRID_PHOTOS_DIRECTORY (default var/photos).
 */
public final class Backup {

    static final String DUMP_ENTRY = "civicgrid.dump";
    static final String PHOTOS_ENTRY = "photos";
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/:?,]+)(?::(\\d+))?/([^?]+)(?:\\?.*)?");
    private static final byte[] CUSTOM_FORMAT_MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);

    /** Where to connect: a PostgreSQL database reachable over TCP with a password. */
    record Target(String host, int port, String database, String user, String password) {

        static Target ofJdbcUrl(String url, String user, String password) {
            Matcher m = JDBC_URL.matcher(url);
            if (!m.matches()) {
                throw new IllegalArgumentException("Cannot read the database address from '" + url
                        + "': expected jdbc:postgresql://HOST[:PORT]/DATABASE");
            }
            return new Target(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)), m.group(3), user, password);
        }

        List<String> connectionOptions() {
            return List.of("--host=" + host, "--port=" + port, "--username=" + user, "--dbname=" + database);
        }

        Map<String, String> environment() {
            return password == null ? Map.of() : Map.of("PGPASSWORD", password);
        }
    }

    private final PostgresBinaries binaries;

    Backup(PostgresBinaries binaries) {
        this.binaries = binaries;
    }

    /** The pg_dump invocation: custom format, no owners/grants so it restores under any account. */
    List<String> dumpCommand(Target target, Path dumpFile) {
        List<String> command = new ArrayList<>(List.of(binaries.pgDump().toString(), "--format=custom", "--no-owner", "--no-privileges",
                "--file=" + dumpFile));
        command.addAll(target.connectionOptions());
        return command;
    }

    /**
     * The pg_restore invocation: one transaction (all or nothing), stopping at the first error;
     * {@code --clean --if-exists} replaces the objects of a database that is not empty.
     */
    List<String> restoreCommand(Target target, Path dumpFile) {
        List<String> command = new ArrayList<>(List.of(binaries.pgRestore().toString(), "--no-owner", "--no-privileges",
                "--clean", "--if-exists", "--single-transaction", "--exit-on-error"));
        command.addAll(target.connectionOptions());
        command.add(dumpFile.toString());
        return command;
    }

    /** Writes the database dump and the photos into one tar file. */
    void backup(Target target, Path photos, Path archive) throws IOException {
        Path work = Files.createTempDirectory("civicgrid-backup");
        try {
            run(dumpCommand(target, work.resolve(DUMP_ENTRY)), target.environment());
            List<String> tar = new ArrayList<>(List.of("tar", "--create", "--dereference", "--file=" + archive.toAbsolutePath(),
                    "--directory=" + work, DUMP_ENTRY));
            if (Files.isDirectory(photos)) {
                Files.createSymbolicLink(work.resolve(PHOTOS_ENTRY), photos.toAbsolutePath());
                tar.add(PHOTOS_ENTRY);
            }
            run(tar, Map.of());
        } finally {
            deleteRecursively(work);
        }
    }

    /**
     * Restores a tar made by {@link #backup} (or a bare pg_dump custom-format file) into the target
     * database; the photos replace the photo directory, whose previous content is moved aside.
     */
    void restore(Target target, Path photos, Path archive) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new IOException("No such backup file: " + archive);
        }
        if (startsWithDumpMagic(archive)) {
            run(restoreCommand(target, archive), target.environment());
            return;
        }
        Path work = Files.createTempDirectory("civicgrid-restore");
        try {
            run(List.of("tar", "--extract", "--file=" + archive.toAbsolutePath(), "--directory=" + work, "--no-same-owner"), Map.of());
            Path dump = work.resolve(DUMP_ENTRY);
            if (!Files.isRegularFile(dump)) {
                throw new IOException(archive + " holds no " + DUMP_ENTRY + ": not a CivicGrid backup");
            }
            run(restoreCommand(target, dump), target.environment());
            Path restoredPhotos = work.resolve(PHOTOS_ENTRY);
            if (Files.isDirectory(restoredPhotos)) {
                Path directory = photos.toAbsolutePath().normalize();
                if (Files.exists(directory)) {
                    Path aside = directory.resolveSibling(directory.getFileName() + ".before-restore-"
                            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
                    Files.move(directory, aside);
                    System.err.println("The previous photos were moved to " + aside);
                }
                Files.createDirectories(directory.getParent());
                run(List.of("cp", "-a", restoredPhotos.toString(), directory.toString()), Map.of());
            }
        } finally {
            deleteRecursively(work);
        }
    }

    private static boolean startsWithDumpMagic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(CUSTOM_FORMAT_MAGIC.length), CUSTOM_FORMAT_MAGIC);
        }
    }

    private static void run(List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IOException(Path.of(command.get(0)).getFileName() + " failed (exit " + exit + "):\n" + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("Interrupted while running " + command.get(0), e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Files.walk does not follow the photos symbolic link: only the link itself is removed.
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Entry point of {@code ./civicgrid backup|restore} (run from the repository root through the app's jar). */
    public static void main(String[] args) {
        if (args.length < 1 || !(args[0].equals("backup") || args[0].equals("restore")) || (args[0].equals("restore") && args.length < 2)) {
            System.err.println("usage: civicgrid backup [FILE]   |   civicgrid restore FILE");
            System.exit(2);
        }
        Path photos = Path.of(env("CIVICGRID_PHOTOS_DIRECTORY", "var/photos"));
        EmbeddedPostgres embedded = null;
        int exitCode = 0;
        try {
            Target target;
            Backup backup;
            String url = System.getenv("SPRING_DATASOURCE_URL");
            if (url != null && !url.isBlank()) {
                target = Target.ofJdbcUrl(url, env("SPRING_DATASOURCE_USERNAME", System.getProperty("user.name")),
                        System.getenv("SPRING_DATASOURCE_PASSWORD"));
                backup = new Backup(PostgresBinaries.locate(Optional.empty()));
            } else {
                EmbeddedPostgresProperties settings = new EmbeddedPostgresProperties(env("CIVICGRID_EMBEDDED_DATA_DIR", "var/pgdata"),
                        Integer.parseInt(env("CIVICGRID_EMBEDDED_PORT", "0")), System.getenv("CIVICGRID_EMBEDDED_BIN_DIR"),
                        System.getenv("CIVICGRID_EMBEDDED_DATABASE"), false,
                        System.getenv("CIVICGRID_EMBEDDED_SHARED_BUFFERS"));
                embedded = EmbeddedPostgres.start(settings);
                target = Target.ofJdbcUrl(embedded.jdbcUrl(), embedded.username(), embedded.password());
                backup = new Backup(embedded.binaries());
            }
            if (args[0].equals("backup")) {
                Path file = Path.of(args.length > 1 ? args[1]
                        : "civicgrid-backup-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".tar");
                backup.backup(target, photos, file);
                System.err.println("Backed up database " + target.database() + " on " + target.host() + ":" + target.port()
                        + " and " + photos + " to " + file.toAbsolutePath());
            } else {
                backup.restore(target, photos, Path.of(args[1]));
                System.err.println("Restored " + args[1] + " into database " + target.database() + " on " + target.host() + ":" + target.port()
                        + " and " + photos);
            }
        } catch (StartupProblem e) {
            System.err.println(e.getMessage() + "\n" + e.action());
            exitCode = 1;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            exitCode = 1;
        } finally {
            if (embedded != null && !embedded.adopted()) {
                embedded.stop();
            }
        }
        System.exit(exitCode);
    }
}
