package org.civicgrid.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;

/**
 * The operating-system account the PostgreSQL server runs as. PostgreSQL refuses to run as root, so
 * when we are root the server runs as the {@code postgres} account (created by Debian's package);
 * otherwise it runs as the invoking user.
 */
final class ServerAccount {

    private static final String POSTGRES_ACCOUNT = "postgres";

    private final boolean switchToPostgres;

    private ServerAccount(boolean switchToPostgres) {
        this.switchToPostgres = switchToPostgres;
    }

    static ServerAccount forCurrentUser() {
        if (!isRoot()) {
            return new ServerAccount(false);
        }
        if (!ProcessRunner.run(List.of("id", "-u", POSTGRES_ACCOUNT), 10).succeeded()) {
            throw new StartupProblem(
                    "Running as root, but there is no 'postgres' account to run the PostgreSQL server as (PostgreSQL refuses to run as root).",
                    "Install Debian's PostgreSQL package, which creates it: " + PostgresBinaries.INSTALL_COMMAND
                            + ", or run CivicGrid as a normal user.");
        }
        return new ServerAccount(true);
    }

    boolean switchesUser() {
        return switchToPostgres;
    }

    /** The command line that runs {@code command} as the server account. */
    List<String> command(List<String> command) {
        if (!switchToPostgres) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", POSTGRES_ACCOUNT, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Hands a file or directory we created to the server account. */
    void takeOwnership(Path path) throws IOException {
        if (switchToPostgres) {
            UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal owner = lookup.lookupPrincipalByName(POSTGRES_ACCOUNT);
            Files.setOwner(path, owner);
        }
    }

    /** Whether the server account can reach {@code dir} (every parent must be searchable). */
    boolean canReach(Path dir) {
        if (!switchToPostgres) {
            return true;
        }
        return ProcessRunner.run(command(List.of("test", "-x", dir.toString())), 10).succeeded();
    }

    private static boolean isRoot() {
        ProcessRunner.Result uid = ProcessRunner.run(List.of("id", "-u"), 10);
        return uid.succeeded() && uid.output().trim().equals("0");
    }
}
