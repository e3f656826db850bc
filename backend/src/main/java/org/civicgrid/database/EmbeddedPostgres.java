package org.civicgrid.database;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL + PostGIS cluster started from the machine's own PostgreSQL binaries in a
 * project-local data directory. The data survives restarts; a server left running by a killed
 * JVM is adopted rather than started twice.
 */
final class EmbeddedPostgres {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String SUPERUSER = "civicgrid";
    private static final int START_TIMEOUT_SECONDS = 60;

    private final EmbeddedPostgresProperties settings;
    private final PostgresBinaries binaries;
    private final ServerAccount account;
    private final Path dataDir;
    private String password;
    private int port;
    private boolean adopted;

    private EmbeddedPostgres(EmbeddedPostgresProperties settings) {
        this.settings = settings;
        this.binaries = PostgresBinaries.locate(settings.binDirPath());
        this.account = ServerAccount.forCurrentUser();
        this.dataDir = reachableDataDir(settings.dataDirPath().toAbsolutePath().normalize());
    }

    static EmbeddedPostgres start(EmbeddedPostgresProperties settings) {
        EmbeddedPostgres postgres = new EmbeddedPostgres(settings);
        postgres.startServer();
        return postgres;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + settings.database();
    }

    String username() {
        return SUPERUSER;
    }

    String password() {
        return password;
    }

    Path dataDir() {
        return dataDir;
    }

    int port() {
        return port;
    }

    /** Whether the server was already running (e.g. the app's own) rather than started by us. */
    boolean adopted() {
        return adopted;
    }

    PostgresBinaries binaries() {
        return binaries;
    }

    /** The credentials file kept next to the data directory ({@code <data-dir>.credentials}). */
    Path credentials() {
        return credentialsFile();
    }

    private void startServer() {
        try {
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                initCluster();
            }
            checkClusterVersion();
            password = readCredentials().getProperty("password");
            if (isRunning()) {
                port = portFromPidFile();
                adopted = true;
                log.info("Using the embedded PostgreSQL already running on port {} (data in {})", port, dataDir);
            } else {
                port = choosePort();
                launch();
                log.info("Started embedded PostgreSQL on 127.0.0.1:{} (data in {})", port, dataDir);
            }
            ensureDatabaseWithPostgis();
        } catch (IOException e) {
            throw new StartupProblem("Could not prepare the embedded database directory " + dataDir + ": " + e.getMessage(),
                    "Check that the directory is writable, or set civicgrid.embedded.data-dir to another directory.", e);
        }
    }

    void stop() {
        ProcessRunner.Result result = ProcessRunner.run(account.command(
                List.of(binaries.pgCtl().toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop")), 60);
        if (result.succeeded()) {
            log.info("Stopped embedded PostgreSQL (data kept in {})", dataDir);
        } else {
            log.warn("Stopping embedded PostgreSQL failed: {}", result.output().trim());
        }
    }

    /** As root the server account must reach the data directory; a private home directory falls back to /var/lib. */
    private Path reachableDataDir(Path wanted) {
        Path existingAncestor = wanted;
        while (existingAncestor != null && !Files.exists(existingAncestor)) {
            existingAncestor = existingAncestor.getParent();
        }
        if (existingAncestor == null || account.canReach(existingAncestor)) {
            return wanted;
        }
        // One directory per checkout: named by a hash of the wanted path, so two checkouts never share a cluster.
        String key = sha256(wanted.toString()).substring(0, 16);
        Path fallback = Path.of("/var/lib/civicgrid", key, wanted.getFileName().toString());
        log.info("The postgres account cannot reach {}; keeping the embedded database in {} instead", wanted, fallback);
        return fallback;
    }

    private void initCluster() throws IOException {
        Files.createDirectories(dataDir.getParent());
        if (Files.isDirectory(dataDir)) {
            try (Stream<Path> entries = Files.list(dataDir)) {
                if (entries.findAny().isPresent()) {
                    throw new StartupProblem("The embedded database directory " + dataDir
                            + " is not empty but holds no PostgreSQL cluster (PG_VERSION is missing).",
                            "Move it away or delete it (rm -rf " + dataDir + "), or set civicgrid.embedded.data-dir to another directory.");
                }
            }
        } else {
            Files.createDirectory(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        account.takeOwnership(dataDir);

        String newPassword = randomPassword();
        Path passwordFile = Files.createTempFile("civicgrid-initdb", ".pw",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(passwordFile, newPassword);
            account.takeOwnership(passwordFile);
            ProcessRunner.Result result = ProcessRunner.run(account.command(List.of(
                    binaries.initdb().toString(), "-D", dataDir.toString(), "-U", SUPERUSER, "--pwfile=" + passwordFile,
                    "-E", "UTF8", "--no-locale", "--auth-local=peer", "--auth-host=scram-sha-256")), 180);
            if (!result.succeeded()) {
                throw new StartupProblem("initdb could not create the embedded cluster in " + dataDir + ":\n" + lastLines(result.output(), 8),
                        "Fix the cause above and start again; the half-made directory is removed.");
            }
        } catch (StartupProblem e) {
            deleteRecursively(dataDir);
            throw e;
        } finally {
            Files.deleteIfExists(passwordFile);
        }
        Properties credentials = new Properties();
        credentials.setProperty("user", SUPERUSER);
        credentials.setProperty("password", newPassword);
        Path credentialsFile = credentialsFile();
        Files.deleteIfExists(credentialsFile);
        Files.createFile(credentialsFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(credentialsFile)) {
            credentials.store(out, "Credentials of the embedded CivicGrid database (local use only)");
        }
        log.info("Created the embedded PostgreSQL cluster in {}", dataDir);
    }

    private void checkClusterVersion() throws IOException {
        String clusterVersion = readAsServer(dataDir.resolve("PG_VERSION")).trim();
        String binVersion = binaries.binDir().getParent().getFileName().toString();
        if (binVersion.matches("\\d+") && !binVersion.equals(clusterVersion)) {
            throw new StartupProblem("The embedded cluster in " + dataDir + " was made by PostgreSQL " + clusterVersion
                    + " but the installed server is PostgreSQL " + binVersion + ".",
                    "Install PostgreSQL " + clusterVersion + " (sudo apt-get install postgresql-" + clusterVersion
                            + "), or delete the directory to start afresh: rm -rf " + dataDir);
        }
    }

    private String readAsServer(Path file) throws IOException {
        if (Files.isReadable(file)) {
            return Files.readString(file);
        }
        ProcessRunner.Result result = ProcessRunner.run(account.command(List.of("cat", file.toString())), 10);
        if (!result.succeeded()) {
            throw new IOException("cannot read " + file + ": " + result.output().trim());
        }
        return result.output();
    }

    private Properties readCredentials() throws IOException {
        Path file = credentialsFile();
        if (!Files.exists(file)) {
            throw new StartupProblem("The embedded cluster in " + dataDir + " has no credentials file " + file + ".",
                    "Delete the cluster to let CivicGrid create a fresh one: rm -rf " + dataDir);
        }
        Properties credentials = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            credentials.load(in);
        }
        return credentials;
    }

    private Path credentialsFile() {
        return dataDir.resolveSibling(dataDir.getFileName() + ".credentials");
    }

    private boolean isRunning() {
        return ProcessRunner.run(account.command(
                List.of(binaries.pgCtl().toString(), "-D", dataDir.toString(), "status")), 30).succeeded();
    }

    private int portFromPidFile() throws IOException {
        // postmaster.pid line 4 is the port (PostgreSQL's documented pid-file layout).
        List<String> lines = readAsServer(dataDir.resolve("postmaster.pid")).lines().toList();
        return Integer.parseInt(lines.get(3).trim());
    }

    private int choosePort() {
        if (settings.port() == 0) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (ServerSocket probe = new ServerSocket(settings.port(), 1, InetAddress.getLoopbackAddress())) {
            return settings.port();
        } catch (IOException busy) {
            throw portBusy(settings.port());
        }
    }

    /**
     * PostgreSQL's defaults (128 MB of shared buffers) suit a laptop, not a city's 10 million problems: a serving
     * cluster gets the usual quarter of the machine's memory, tells the planner about the operating system's cache,
     * and keeps its hot pages across restarts (pg_prewarm's autoprewarm). Throw-away test clusters stay small.
     */
    private List<String> memorySettings() {
        long totalMiB = physicalMemoryBytes() / (1024 * 1024);
        Optional<String> sharedBuffers = settings.sharedBuffersSetting()
                .or(() -> settings.fastUnsafe() ? Optional.empty() : Optional.of(Math.max(128, Math.min(8192, totalMiB / 4)) + "MB"));
        // JIT compiling costs 50–100 ms on a query the planner merely guesses to be big: no win for a map's short reads.
        List<String> options = new ArrayList<>(List.of("-c", "jit=off"));
        sharedBuffers.ifPresent(size -> options.addAll(List.of("-c", "shared_buffers=" + size)));
        if (!settings.fastUnsafe()) {
            options.addAll(List.of("-c", "effective_cache_size=" + Math.max(512, totalMiB / 2) + "MB"));
            if (binaries.hasPrewarm()) {
                options.addAll(List.of("-c", "shared_preload_libraries=pg_prewarm"));
            }
        }
        return options;
    }

    /**
     * The planner's costs for a database whose working set is in memory and whose reads are short. Random reads cost
     * little more than sequential ones (PostgreSQL's 4 models spinning disks and made the map scan 100,000 grids rather
     * than read 900 from the spatial index), and a parallel worker is a new process that loads PostGIS and the catalogue
     * first (≈40 ms): worth it for a scan of millions of rows, not for a viewport. Recommended for any server (README).
     */
    static final List<String> PLANNER_SETTINGS = List.of("-c", "random_page_cost=1.1", "-c", "parallel_setup_cost=10000");

    private static long physicalMemoryBytes() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 2L * 1024 * 1024 * 1024;
    }

    private void launch() {
        List<String> serverOptions = new ArrayList<>(List.of("-p", String.valueOf(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=''"));
        if (settings.fastUnsafe()) {
            // Test clusters trade crash safety for speed; never used for real data.
            serverOptions.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        serverOptions.addAll(memorySettings());
        serverOptions.addAll(PLANNER_SETTINGS);
        Path serverLog = dataDir.resolve("server.log");
        ProcessRunner.Result result = ProcessRunner.run(account.command(List.of(binaries.pgCtl().toString(),
                "-D", dataDir.toString(), "-l", serverLog.toString(), "-w", "-t", String.valueOf(START_TIMEOUT_SECONDS),
                "-o", String.join(" ", serverOptions), "start")), START_TIMEOUT_SECONDS + 10);
        if (!result.succeeded()) {
            String logTail = tailOfServerLog(serverLog);
            if (logTail.contains("could not bind") || logTail.contains("Address already in use")) {
                throw portBusy(port);
            }
            throw new StartupProblem("The embedded PostgreSQL server did not start:\n" + lastLines(result.output(), 5) + "\n" + logTail,
                    "Read the server log " + serverLog + "; fix the cause and start again.");
        }
    }

    private StartupProblem portBusy(int busyPort) {
        return new StartupProblem("Port " + busyPort + " on 127.0.0.1, configured for the embedded PostgreSQL, is already in use.",
                "Stop the program that listens there (see: ss -ltnp 'sport = :" + busyPort
                        + "'), or let CivicGrid pick a free port: unset CIVICGRID_EMBEDDED_PORT (or set it to 0).");
    }

    private String tailOfServerLog(Path serverLog) {
        try {
            return lastLines(readAsServer(serverLog), 10);
        } catch (IOException e) {
            return "";
        }
    }

    private void ensureDatabaseWithPostgis() {
        String database = settings.database();
        String adminUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(adminUrl, SUPERUSER, password)) {
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        try (Statement create = connection.createStatement()) {
                            // The name is checked against an allow-list pattern by EmbeddedPostgresProperties.
                            create.execute("CREATE DATABASE " + database);
                        }
                    }
                }
            }
            try (Statement query = connection.createStatement();
                 ResultSet rs = query.executeQuery("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    String major = binaries.binDir().getParent().getFileName().toString();
                    throw new StartupProblem("PostGIS is not installed for the PostgreSQL " + major + " server in " + binaries.binDir() + ".",
                            "Install it: sudo apt-get install -y postgresql-" + major + "-postgis-3   (or simply: ./civicgrid run)");
                }
            }
        } catch (SQLException e) {
            throw new StartupProblem("The embedded PostgreSQL on port " + port + " refused the connection: " + e.getMessage(),
                    "Read the server log " + dataDir.resolve("server.log") + "; if the cluster is damaged, delete it: rm -rf " + dataDir, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not remove {}: {}", dir, e.getMessage());
        }
    }
}
