package org.civicgrid.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.ObjectMapper;

/** Browser writes need the CSRF token; API clients use personal tokens that can be revoked. */
@CivicGridIntegrationTest
class CsrfAndTokenTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    ObjectMapper json;

    @Test
    void aSessionWriteWithoutTheCsrfTokenIsRefused() throws Exception {
        String user = TestAccounts.create(jdbc, passwords, "LEADER", "320508");

        mvc.perform(post("/api/me/tokens").with(TestSignIn.as(jdbc, user)).contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"x\"}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("urn:civicgrid:problem:csrf"));
        assertThat(jdbc.sql("SELECT count(*) FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE u.username = ?")
                .param(user).query(Long.class).single()).as("nothing written").isZero();
    }

    @Test
    void aTokenActsAsItsUserUntilRevoked() throws Exception {
        String user = TestAccounts.create(jdbc, passwords, "GRID_MANAGER", "320508001001");
        String answer = mvc.perform(post("/api/me/tokens").with(TestSignIn.as(jdbc, user)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"QGIS\",\"expiresInDays\":30}"))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String token = json.readTree(answer).path("token").asString();
        long id = json.readTree(answer).path("id").asLong();

        mvc.perform(get("/api/me").header("Authorization", "Bearer " + token)).andExpect(status().isOk())
                .andExpect(jsonPath("$.username").value(user));
        mvc.perform(get("/api/me").param("access_token", token)).andExpect(status().isOk());
        mvc.perform(get("/api/me").header("X-API-Token", token)).andExpect(status().isOk());
        mvc.perform(get("/api/admin/users").header("Authorization", "Bearer " + token)).andExpect(status().isForbidden());

        mvc.perform(delete("/api/me/tokens/{id}", id).with(TestSignIn.as(jdbc, user)).with(csrf())).andExpect(status().isNoContent());

        mvc.perform(get("/api/me").header("Authorization", "Bearer " + token)).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("The API token is unknown, revoked or expired."));
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'TOKEN_REVOKED' AND object_id = ?").param(String.valueOf(id))
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aTokenNeedsNoCsrfTokenAndIsScopedLikeItsUser() throws Exception {
        String user = TestAccounts.create(jdbc, passwords, "LEADER", "320508001");
        String token = json.readTree(mvc.perform(post("/api/me/tokens").with(TestSignIn.as(jdbc, user)).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"script\"}")).andReturn().getResponse().getContentAsString())
                .path("token").asString();

        mvc.perform(post("/api/me/tokens").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"second\"}")).andExpect(status().isCreated());
        String areas = mvc.perform(get("/api/areas").header("Authorization", "Bearer " + token)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(areas).findValuesAsString("code")).isNotEmpty().allMatch(code -> code.startsWith("320508001"));
    }

    @Test
    void anUnknownTokenIsRefusedEvenWithAValidSession() throws Exception {
        String user = TestAccounts.create(jdbc, passwords, "LEADER", "320508");

        mvc.perform(get("/api/me").with(TestSignIn.as(jdbc, user)).header("Authorization", "Bearer cg_not-a-real-token"))
                .andExpect(status().isUnauthorized());
    }
}
