package org.civicgrid.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import javax.sql.DataSource;

import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;
import org.springframework.beans.factory.annotation.Autowired;

/** Every pooled connection plans the app's statements with their values (org/postgresql/driverconfig.properties). */
@CivicGridIntegrationTest
class DriverDefaultsTest {

    @Autowired
    DataSource dataSource;

    @Test
    void statementsStayUnnamedSoEachRunIsPlannedWithItsValues() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.unwrap(PGConnection.class).getPrepareThreshold()).isZero();
            try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM grid WHERE code LIKE ?")) {
                for (int run = 0; run < 8; run++) { // past the five runs after which a server-side statement gets a generic plan
                    statement.setString(1, "320508" + "%");
                    try (ResultSet rows = statement.executeQuery()) {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.getLong(1)).isPositive();
                    }
                }
                assertThat(statement.unwrap(PGStatement.class).isUseServerPrepare()).isFalse();
            }
        }
    }
}
