package org.civicgrid.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.civicgrid.CivicGridApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Each start-up failure an operator can meet gives one clear message with the fixing command, no stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    @TempDir
    Path temp;

    /** Settings go in as command-line arguments: they must beat application.yaml and the test JVM's system properties. */
    private static void start(String... settings) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--civicgrid.demo.enabled=false"));
        for (String setting : settings) {
            args.add("--" + setting);
        }
        new SpringApplicationBuilder(CivicGridApplication.class).run(args.toArray(String[]::new));
    }

    private static void assertNoStackTrace(String output) {
        assertThat(output).contains("APPLICATION FAILED TO START").doesNotContainPattern("(?m)^\\s+at [a-z]+\\.");
    }

    @Test
    void missingPostgresqlNamesTheInstallCommand(CapturedOutput output) throws IOException {
        Path emptyBin = Files.createDirectory(temp.resolve("bin"));

        assertThatThrownBy(() -> start("civicgrid.embedded.bin-dir=" + emptyBin, "civicgrid.embedded.data-dir=" + temp.resolve("pg")));

        assertThat(output).contains("PostgreSQL server programs (initdb, pg_ctl) were not found").contains("apt-get install");
        assertNoStackTrace(output.getAll());
    }

    @Test
    void anUnreachableExternalDatabaseSaysHowToFallBackToTheEmbeddedOne(CapturedOutput output) throws IOException {
        int closedPort = freePort();

        assertThatThrownBy(() -> start("spring.datasource.url=jdbc:postgresql://127.0.0.1:" + closedPort + "/civicgrid",
                "spring.datasource.username=civicgrid", "spring.datasource.password=secret",
                "spring.datasource.hikari.connection-timeout=2000"));

        assertThat(output).contains("CivicGrid cannot reach the database at jdbc:postgresql://127.0.0.1:" + closedPort)
                .contains("unset SPRING_DATASOURCE_URL");
        assertNoStackTrace(output.getAll());
    }

    @Test
    void aBusyEmbeddedDatabasePortIsNamed(CapturedOutput output) throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> start("civicgrid.embedded.port=" + busy.getLocalPort(),
                    "civicgrid.embedded.data-dir=" + temp.resolve("pg"), "civicgrid.embedded.fast-unsafe=true"));

            assertThat(output).contains("Port " + busy.getLocalPort() + " on 127.0.0.1, configured for the embedded PostgreSQL, is already in use")
                    .contains("ss -ltnp");
            assertNoStackTrace(output.getAll());
        }
    }

    @Test
    void aMistypedSharedBuffersSizeIsNamed(CapturedOutput output) {
        assertThatThrownBy(() -> start("civicgrid.embedded.shared-buffers=lots", "civicgrid.embedded.data-dir=" + temp.resolve("pg-memory")));
        assertThat(output).contains("civicgrid.embedded.shared-buffers 'lots' is not a memory size").contains("e.g. 2GB");
        assertNoStackTrace(output.getAll());
    }

    @Test
    void aBusyWebPortIsNamed(CapturedOutput output) throws IOException {
        try (ServerSocket busy = new ServerSocket(0)) {
            assertThatThrownBy(() -> new SpringApplicationBuilder(CivicGridApplication.class)
                    .run("--server.port=" + busy.getLocalPort(), "--civicgrid.demo.enabled=false"));

            assertThat(output).contains("Port " + busy.getLocalPort() + " was already in use");
            assertNoStackTrace(output.getAll());
        }
    }

    @Test
    void theProcessExitsNonZeroWithTheMessageOnly() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CivicGridApplication.class.getName(),
                "--server.port=0", "--civicgrid.embedded.bin-dir=/nonexistent/postgresql/bin",
                "--civicgrid.embedded.data-dir=" + temp.resolve("pg")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isNotZero();
        assertThat(output).contains("were not found in the configured directory /nonexistent/postgresql/bin");
        assertNoStackTrace(output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
