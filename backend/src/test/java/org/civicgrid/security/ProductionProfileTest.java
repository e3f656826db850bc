package org.civicgrid.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.civicgrid.CivicGridApplication;
import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The prod profile refuses a database that holds the demo accounts (the shared test context has loaded them). */
@CivicGridIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ProductionProfileTest {

    @Test
    void demoAccountsStopAProductionStart(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(CivicGridApplication.class)
                .run("--spring.profiles.active=prod", "--server.port=0"));

        assertThat(output).contains("The prod profile refuses to start").contains("demo accounts with the published password");
    }
}
