package org.civicgrid.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A serving cluster is sized for the machine (a test cluster keeps PostgreSQL's defaults), and an explicit size wins. */
class EmbeddedMemoryTest {

    @TempDir
    Path temp;

    @Test
    void aServingClusterGetsAQuarterOfTheMachinesMemoryAndKeepsItsBuffersAcrossRestarts() throws SQLException {
        long totalMiB = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / (1024 * 1024);
        long expectedMiB = Math.max(128, Math.min(8192, totalMiB / 4));
        EmbeddedPostgres serving = EmbeddedPostgres.start(new EmbeddedPostgresProperties(temp.resolve("serving").toString(), 0, null, "civicgrid",
                false, null));
        try {
            assertThat(setting(serving, "shared_buffers")).isEqualTo(expectedMiB * 1024 * 1024 / 8192);
            assertThat(text(serving, "shared_preload_libraries")).isEqualTo("pg_prewarm");
        } finally {
            serving.stop();
        }
    }

    @Test
    void anExplicitSizeWinsAndATestClusterStaysSmall() throws SQLException {
        EmbeddedPostgres sized = EmbeddedPostgres.start(new EmbeddedPostgresProperties(temp.resolve("sized").toString(), 0, null, "civicgrid",
                true, "64MB"));
        try {
            assertThat(setting(sized, "shared_buffers")).isEqualTo(64L * 1024 * 1024 / 8192);
            assertThat(text(sized, "shared_preload_libraries")).isEmpty();
        } finally {
            sized.stop();
        }
    }

    /** A numeric setting in its unit (shared_buffers: 8 kB pages). */
    private static long setting(EmbeddedPostgres postgres, String name) throws SQLException {
        return Long.parseLong(text(postgres, name));
    }

    private static String text(EmbeddedPostgres postgres, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT setting FROM pg_settings WHERE name = '" + name + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
