package org.civicgrid.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.http.Cookie;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;

/** A signed-in user's requests rewrite the session row at most once a minute, and the session still expires. */
@CivicGridIntegrationTest
class SessionWriteThrottleTest {

    static final String LAST_ACCESS = "SELECT last_access_time FROM spring_session WHERE principal_name = ?";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Test
    void quickRequestsDoNotRewriteTheSessionButAMinuteLaterOneDoes() throws Exception {
        String user = TestAccounts.create(jdbc, passwords, "LEADER", "320508");
        Cookie session = signIn(user);
        // (The first request after sign-in may write: MockMvc's csrf() keeps its CSRF token in the session.)
        mvc.perform(get("/api/me").cookie(session)).andExpect(status().isOk());
        long stored = lastAccess(user);

        mvc.perform(get("/api/me").cookie(session)).andExpect(status().isOk());
        mvc.perform(get("/api/areas").cookie(session)).andExpect(status().isOk());
        assertThat(lastAccess(user)).as("no session write for two quick reads").isEqualTo(stored);

        long twoMinutesAgo = System.currentTimeMillis() - 120_000;
        jdbc.sql("UPDATE spring_session SET last_access_time = ?, expiry_time = ? + max_inactive_interval * 1000 WHERE principal_name = ?")
                .param(twoMinutesAgo).param(twoMinutesAgo).param(user).update();
        mvc.perform(get("/api/me").cookie(session)).andExpect(status().isOk());
        assertThat(lastAccess(user)).as("refreshed once the stored access is a minute old").isGreaterThan(twoMinutesAgo + 60_000);
    }

    @Test
    void anInactiveSessionStillExpires() throws Exception {
        String user = TestAccounts.create(jdbc, passwords, "LEADER", "320508");
        Cookie session = signIn(user);
        mvc.perform(get("/api/me").cookie(session)).andExpect(status().isOk());

        jdbc.sql("""
                UPDATE spring_session SET last_access_time = last_access_time - (max_inactive_interval + 5) * 1000::bigint,
                                          expiry_time = expiry_time - (max_inactive_interval + 5) * 1000::bigint
                WHERE principal_name = ?""").param(user).update();
        mvc.perform(get("/api/me").cookie(session)).andExpect(status().isUnauthorized());
    }

    private Cookie signIn(String user) throws Exception {
        Cookie cookie = mvc.perform(post("/login").param("username", user).param("password", TestAccounts.PASSWORD).with(csrf()))
                .andReturn().getResponse().getCookie("CIVICGRID_SESSION");
        assertThat(cookie).isNotNull();
        return cookie;
    }

    private long lastAccess(String user) {
        return jdbc.sql(LAST_ACCESS).param(user).query(Long.class).single();
    }
}
