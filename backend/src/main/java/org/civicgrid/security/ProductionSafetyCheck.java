package org.civicgrid.security;

import org.civicgrid.database.StartupProblem;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The {@code prod} profile refuses to start with the demo enabled or demo accounts present. When no
 * administrator exists yet, it creates one from {@code civicgrid.security.bootstrap-admin-password}
 * (who must change it at first sign-in); without that setting it refuses to start.
 */
@Component
@Profile("prod")
class ProductionSafetyCheck implements SmartInitializingSingleton {

    static final String DEMO_ACCOUNTS = "SELECT count(*) FROM app_user WHERE demo_account AND enabled";
    static final String ADMINS = """
            SELECT count(*) FROM app_user u JOIN user_role r ON r.user_id = u.id WHERE r.role = 'ADMIN' AND u.enabled""";
    static final String CREATE_ADMIN = """
            INSERT INTO app_user (username, display_name, password_hash, must_change_password, password_changed_at)
            VALUES ('admin', 'Administrator', :hash, true, now()) RETURNING id""";
    static final String ADMIN_ROLE = "INSERT INTO user_role (user_id, role) VALUES (:id, 'ADMIN')";
    static final String ADMIN_SCOPE = """
            INSERT INTO user_area_scope (user_id, area_level, area_code) SELECT :id, 'DISTRICT', code FROM district""";

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final boolean demoEnabled;
    private final String bootstrapPassword;

    ProductionSafetyCheck(JdbcClient jdbc, PasswordEncoder passwords, @Value("${civicgrid.demo.enabled:false}") boolean demoEnabled,
                          @Value("${civicgrid.security.bootstrap-admin-password:}") String bootstrapPassword) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.demoEnabled = demoEnabled;
        this.bootstrapPassword = bootstrapPassword;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (demoEnabled) {
            throw new StartupProblem("The prod profile is active but the demo city is enabled (civicgrid.demo.enabled=true).",
                    "Set CIVICGRID_DEMO_ENABLED=false for production.");
        }
        long demoAccounts = jdbc.sql(DEMO_ACCOUNTS).query(Long.class).single();
        if (demoAccounts > 0) {
            throw new StartupProblem("The prod profile refuses to start: " + demoAccounts
                    + " demo accounts with the published password Demo-2026 are enabled in this database.",
                    "Use a database without the demo (or disable those accounts: UPDATE app_user SET enabled = false WHERE demo_account).");
        }
        if (jdbc.sql(ADMINS).query(Long.class).single() == 0) {
            createBootstrapAdmin();
        }
    }

    private void createBootstrapAdmin() {
        if (bootstrapPassword.length() < 12 || bootstrapPassword.equals("Demo-2026")) {
            throw new StartupProblem("No administrator exists yet, and no usable first-admin password is configured.",
                    "Set CIVICGRID_SECURITY_BOOTSTRAP_ADMIN_PASSWORD to a password of at least 12 characters for the first start; "
                            + "'admin' must change it at first sign-in.");
        }
        long id = jdbc.sql(CREATE_ADMIN).param("hash", passwords.encode(bootstrapPassword)).query(Long.class).single();
        jdbc.sql(ADMIN_ROLE).param("id", id).update();
        jdbc.sql(ADMIN_SCOPE).param("id", id).update();
    }
}
