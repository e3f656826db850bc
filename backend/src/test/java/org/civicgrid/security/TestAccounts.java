package org.civicgrid.security;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Creates throw-away accounts with a known password, so tests never lock or change shared demo accounts. */
public final class TestAccounts {

    public static final String PASSWORD = "Test-pass-2026";

    private TestAccounts() {
    }

    public static String create(JdbcClient jdbc, PasswordEncoder passwords, String role, String scopeCode) {
        String username = "t_" + role.toLowerCase() + "_" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("INSERT INTO app_user (username, display_name, password_hash) VALUES (?, ?, ?)")
                .param(username).param("测试用户").param(passwords.encode(PASSWORD)).update();
        jdbc.sql("INSERT INTO user_role (user_id, role) SELECT id, ? FROM app_user WHERE username = ?").param(role).param(username).update();
        jdbc.sql("INSERT INTO user_area_scope (user_id, area_level, area_code) SELECT id, ?, ? FROM app_user WHERE username = ?")
                .param(org.civicgrid.areas.AreaCodes.levelOf(scopeCode)).param(scopeCode).param(username).update();
        return username;
    }
}
