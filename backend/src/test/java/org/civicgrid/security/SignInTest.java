package org.civicgrid.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.http.Cookie;

import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** Signing in and out through the real form endpoint: sessions, failures that slow down and then lock. */
@CivicGridIntegrationTest
class SignInTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    private interface Call {
        void run() throws Exception;
    }

    private static long millis(Call call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Spring Session keeps sessions in PostgreSQL and finds them by this cookie. */
    private static Cookie sessionCookie(MvcResult signIn) {
        Cookie cookie = signIn.getResponse().getCookie("CIVICGRID_SESSION");
        assertThat(cookie).as("session cookie").isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getAttribute("SameSite")).isEqualTo("Lax");
        return cookie;
    }

    private MvcResult signIn(String username, String password) throws Exception {
        return mvc.perform(post("/login").param("username", username).param("password", password).with(csrf())).andReturn();
    }

    @Test
    void theRightPasswordOpensASessionThatTheApiAccepts() throws Exception {
        String user = TestAccounts.create(jdbc, passwords, "LEADER", "320508");

        MvcResult result = signIn(user, TestAccounts.PASSWORD);

        assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/");
        mvc.perform(get("/api/me").cookie(sessionCookie(result))).andExpect(status().isOk());
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE actor = ? AND action = 'SIGN_IN'").param(user).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void repeatedFailuresSlowDownThenLockEvenTheRightPassword() throws Exception {
        String user = TestAccounts.create(jdbc, passwords, "INSPECTOR", "320508001");

        assertThat(signIn(user, "wrong-password-1").getResponse().getRedirectedUrl()).isEqualTo("/login.html?error=bad-credentials");
        signIn(user, "wrong-password-2");
        long thirdMillis = millis(() -> signIn(user, "wrong-password-3"));
        long fourthMillis = millis(() -> signIn(user, "wrong-password-4"));
        MvcResult fifth = signIn(user, "wrong-password-5");

        // Configured for tests: a 200 ms step from the third failure on, at most 400 ms.
        assertThat(thirdMillis).as("the third failure is answered after a pause").isGreaterThanOrEqualTo(200);
        assertThat(fourthMillis).as("the fourth failure waits longer").isGreaterThanOrEqualTo(400);
        assertThat(fifth.getResponse().getRedirectedUrl()).isEqualTo("/login.html?error=locked");
        assertThat(signIn(user, TestAccounts.PASSWORD).getResponse().getRedirectedUrl())
                .as("a locked account stays locked for the right password").isEqualTo("/login.html?error=locked");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE actor = ? AND action = 'ACCOUNT_LOCKED'").param(user).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void whenTheLockExpiresTheRightPasswordWorksAgain() throws Exception {
        String user = TestAccounts.create(jdbc, passwords, "INSPECTOR", "320508001");
        jdbc.sql("UPDATE app_user SET failed_logins = 5, locked_until = now() - interval '1 second' WHERE username = ?").param(user).update();

        assertThat(signIn(user, TestAccounts.PASSWORD).getResponse().getRedirectedUrl()).isEqualTo("/");
        assertThat(jdbc.sql("SELECT failed_logins FROM app_user WHERE username = ?").param(user).query(Integer.class).single()).isZero();
    }

    @Test
    void aDisabledAccountCannotSignInAndItsSessionStopsWorking() throws Exception {
        String user = TestAccounts.create(jdbc, passwords, "LEADER", "320508");
        Cookie session = sessionCookie(signIn(user, TestAccounts.PASSWORD));

        jdbc.sql("UPDATE app_user SET enabled = false WHERE username = ?").param(user).update();

        mvc.perform(get("/api/me").cookie(session)).andExpect(status().isUnauthorized());
        assertThat(signIn(user, TestAccounts.PASSWORD).getResponse().getRedirectedUrl()).isEqualTo("/login.html?error=disabled");
    }

    @Test
    void signingOutEndsTheSession() throws Exception {
        String user = TestAccounts.create(jdbc, passwords, "LEADER", "320508");
        Cookie session = sessionCookie(signIn(user, TestAccounts.PASSWORD));
        mvc.perform(get("/api/me").cookie(session)).andExpect(status().isOk());

        mvc.perform(post("/logout").cookie(session).with(csrf())).andExpect(redirectedUrl("/login.html?logout"));

        mvc.perform(get("/api/me").cookie(session)).andExpect(status().isUnauthorized());
    }

    @Test
    void pagesRedirectToTheLoginPageAndTheSessionCookieIsHttpOnlyAndSameSite() throws Exception {
        mvc.perform(get("/").accept("text/html")).andExpect(status().isFound()).andExpect(redirectedUrl("/login.html"));
        String user = TestAccounts.create(jdbc, passwords, "LEADER", "320508");
        mvc.perform(post("/login").param("username", user).param("password", TestAccounts.PASSWORD).with(csrf()))
                .andExpect(header().string("Content-Security-Policy", org.hamcrest.Matchers.containsString("script-src 'self'")))
                .andExpect(header().string("X-Frame-Options", "DENY"));
    }
}
