package org.civicgrid.security;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;

import java.util.EnumSet;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** Signs a MockMvc request in as an existing account, the way a session would after a real sign-in. */
public final class TestSignIn {

    private TestSignIn() {
    }

    public static RequestPostProcessor as(JdbcClient jdbc, String username) {
        long id = jdbc.sql("SELECT id FROM app_user WHERE username = ?").param(username).query(Long.class).single();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        jdbc.sql("SELECT role FROM user_role WHERE user_id = ?").param(id).query(String.class).list()
                .forEach(role -> roles.add(Role.valueOf(role)));
        SignInUser user = new SignInUser(id, username, null, true, false, roles);
        return authentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
    }
}
