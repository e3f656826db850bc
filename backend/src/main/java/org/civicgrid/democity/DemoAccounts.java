package org.civicgrid.democity;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.civicgrid.areas.AreaCodes;
import org.civicgrid.referencedata.CsvResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Demo sign-ins for every role (data/demo-accounts/users.csv) and for the demo's grid managers, all
 * with the documented password {@value #DEMO_PASSWORD} and flagged as demo accounts (the prod
 * profile refuses to start while one is enabled). Idempotent: existing accounts are left alone.
 */
@Component
class DemoAccounts {

    static final String DEMO_PASSWORD = "Demo-2026";
    private static final Logger log = LoggerFactory.getLogger(DemoAccounts.class);

    static final String INSERT_ACCOUNT = """
            INSERT INTO app_user (username, display_name, phone, password_hash, department_code, demo_account, password_changed_at)
            VALUES (:username, :displayName, :phone, :hash, :department, true, now())
            ON CONFLICT (username) DO NOTHING""";
    static final String INSERT_ROLE = """
            INSERT INTO user_role (user_id, role) SELECT id, :role FROM app_user WHERE username = :username ON CONFLICT DO NOTHING""";
    static final String INSERT_SCOPE = """
            INSERT INTO user_area_scope (user_id, area_level, area_code) SELECT id, :level, :code FROM app_user WHERE username = :username
            ON CONFLICT DO NOTHING""";
    /** The generated grid managers come without a password; in the demo they sign in like everyone else. */
    static final String ENABLE_GRID_MANAGERS = """
            UPDATE app_user u SET password_hash = :hash, demo_account = true, password_changed_at = now()
            WHERE u.password_hash IS NULL AND EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = 'GRID_MANAGER')""";

    private final JdbcClient jdbc;
    private final ResourceLoader resources;
    private final PasswordEncoder passwords;

    DemoAccounts(JdbcClient jdbc, ResourceLoader resources, PasswordEncoder passwords) {
        this.jdbc = jdbc;
        this.resources = resources;
        this.passwords = passwords;
    }

    @Transactional
    public void ensure() {
        // One hash for all: the password is public anyway, and hashing hundreds of accounts would slow every start.
        String hash = passwords.encode(DEMO_PASSWORD);
        List<Map<String, String>> rows = CsvResource.read(resources.getResource("classpath:civicgrid/demo-accounts/users.csv"));
        for (Map<String, String> row : rows) {
            String username = row.get("username");
            jdbc.sql(INSERT_ACCOUNT).param("username", username).param("displayName", row.get("display_name"))
                    .param("phone", CsvResource.blankToNull(row.get("phone"))).param("hash", hash)
                    .param("department", CsvResource.blankToNull(row.get("department_code"))).update();
            for (String role : split(row.get("roles"))) {
                jdbc.sql(INSERT_ROLE).param("role", role).param("username", username).update();
            }
            for (String code : split(row.get("scope_codes"))) {
                jdbc.sql(INSERT_SCOPE).param("level", AreaCodes.levelOf(code)).param("code", code).param("username", username).update();
            }
        }
        int gridManagers = jdbc.sql(ENABLE_GRID_MANAGERS).param("hash", hash).update();
        log.info("Demo accounts ready ({} listed, {} grid managers enabled); password {}", rows.size(), gridManagers, DEMO_PASSWORD);
    }

    private static List<String> split(String cell) {
        return cell == null ? List.of() : Arrays.stream(cell.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

}
