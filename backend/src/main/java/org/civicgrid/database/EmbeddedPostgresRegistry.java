package org.civicgrid.database;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One embedded server per data directory and JVM, shared by reference count: the test framework keeps
 * several application contexts alive at once, and the server must outlive all of them but no longer.
 */
final class EmbeddedPostgresRegistry {

    private static final Map<Path, Entry> RUNNING = new HashMap<>();

    private static final class Entry {
        final EmbeddedPostgres server;
        int users;

        Entry(EmbeddedPostgres server) {
            this.server = server;
        }
    }

    private EmbeddedPostgresRegistry() {
    }

    static synchronized EmbeddedPostgres acquire(EmbeddedPostgresProperties settings) {
        Path key = settings.dataDirPath().toAbsolutePath().normalize();
        Entry entry = RUNNING.get(key);
        if (entry == null) {
            entry = new Entry(EmbeddedPostgres.start(settings));
            RUNNING.put(key, entry);
        }
        entry.users++;
        return entry.server;
    }

    static synchronized void release(EmbeddedPostgres server) {
        RUNNING.entrySet().removeIf(e -> {
            if (e.getValue().server != server) {
                return false;
            }
            if (--e.getValue().users > 0) {
                return false;
            }
            server.stop();
            return true;
        });
    }
}
