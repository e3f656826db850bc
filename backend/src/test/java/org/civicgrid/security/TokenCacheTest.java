package org.civicgrid.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.database.ChangeNotifications;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.ObjectMapper;

/**
 * Tokens are authenticated from memory, and every change that matters — revoked token, disabled account, changed
 * roles — takes effect at the very next request of this instance, and within a second when made elsewhere.
 */
@CivicGridIntegrationTest
class TokenCacheTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    ObjectMapper json;

    @Autowired
    ChangeNotifications notifications;

    @Autowired
    ApiTokens tokens;

    @Autowired
    org.springframework.web.context.WebApplicationContext context;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    String user;
    long userId;
    long tokenId;
    String token;
    String admin;

    @BeforeEach
    void aLeaderWithAToken() throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!notifications.listening()) {
            assertThat(System.currentTimeMillis()).as("listening").isLessThan(deadline);
            Thread.sleep(20);
        }
        user = TestAccounts.create(jdbc, passwords, "LEADER", "320508");
        userId = jdbc.sql("SELECT id FROM app_user WHERE username = ?").param(user).query(Long.class).single();
        admin = TestAccounts.create(jdbc, passwords, "ADMIN", "320508");
        ApiTokens.IssuedToken issued = tokens.issue(userId, "cache", null);
        token = issued.token();
        tokenId = issued.id();
        // The set-up's own writes notify too; had one arrived after the next request, it would drop the entry cached there.
        Thread.sleep(300);
        meAsToken().andExpect(status().isOk());   // now in memory
    }

    @Test
    void aCachedTokenNeedsNoQuery() throws Exception {
        // Revoked without a notification (triggers off): memory still has it, so the request asked the database nothing.
        jdbc.sql("""
                DO $$ BEGIN
                    SET LOCAL session_replication_role = replica;
                    UPDATE api_token SET revoked_at = now() WHERE id = %d; END $$""".formatted(tokenId)).update();
        meAsToken().andExpect(status().isOk()).andExpect(jsonPath("$.username").value(user));
    }

    @Test
    void aRevokedTokenGets401OnTheVeryNextRequest() throws Exception {
        mvc.perform(delete("/api/me/tokens/{id}", tokenId).with(TestSignIn.as(jdbc, user)).with(csrf())).andExpect(status().isNoContent());
        meAsToken().andExpect(status().isUnauthorized());
    }

    @Test
    void aDisabledUsersTokenGets401AtOnce() throws Exception {
        updateUser(false, "LEADER");
        meAsToken().andExpect(status().isUnauthorized());
    }

    @Test
    void aChangedRoleTakesEffectAtOnce() throws Exception {
        mvc.perform(get("/api/audit").header("Authorization", "Bearer " + token)).andExpect(status().isOk());
        updateUser(true, "INSPECTOR");
        mvc.perform(get("/api/audit").header("Authorization", "Bearer " + token)).andExpect(status().isForbidden());
        meAsToken().andExpect(status().isOk()).andExpect(jsonPath("$.roles[0]").value("INSPECTOR"));
    }

    @Test
    void aChangeMadeElsewhereIsSeenWithinASecond() throws Exception {
        jdbc.sql("UPDATE app_user SET enabled = false WHERE id = ?").param(userId).update();
        long deadline = System.currentTimeMillis() + 1000;
        while (meAsToken().andReturn().getResponse().getStatus() == 200) {
            assertThat(System.currentTimeMillis()).as("refused within a second").isLessThan(deadline);
            Thread.sleep(10);
        }
        meAsToken().andExpect(status().isUnauthorized());
    }

    /** Over real HTTP, with the app's own CSRF store back (MockMvc's csrf() leaves a session-backed one in the shared context). */
    @Test
    void aTokenRequestNeitherCreatesNorTouchesASession() throws Exception {
        org.springframework.security.test.web.support.WebTestUtils.setCsrfTokenRepository(
                new org.springframework.mock.web.MockHttpServletRequest(context.getServletContext()),
                org.springframework.security.web.csrf.CookieCsrfTokenRepository.withHttpOnlyFalse());
        long sessions = jdbc.sql("SELECT count(*) FROM spring_session").query(Long.class).single();
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/areas"))
                        .header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("CIVICGRID_SESSION"));
        assertThat(response.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("XSRF-TOKEN"));
        assertThat(jdbc.sql("SELECT count(*) FROM spring_session").query(Long.class).single()).isEqualTo(sessions);
    }

    private org.springframework.test.web.servlet.ResultActions meAsToken() throws Exception {
        return mvc.perform(get("/api/me").header("Authorization", "Bearer " + token));
    }

    private void updateUser(boolean enabled, String role) throws Exception {
        mvc.perform(put("/api/admin/users/{id}", userId).with(TestSignIn.as(jdbc, admin)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"displayName":"测试用户","phone":"","enabled":%s,"roles":["%s"],"scopeCodes":["320508"]}""".formatted(enabled, role)))
                .andExpect(status().isOk());
    }
}
