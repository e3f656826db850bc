package org.civicgrid.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestAccounts;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Admins manage users inside their own area, everything is audited, and people change their own password. */
@CivicGridIntegrationTest
class UserAccountsTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    ObjectMapper json;

    private long count(String sql, Object... params) {
        var spec = jdbc.sql(sql);
        for (Object p : params) {
            spec = spec.param(p);
        }
        return spec.query(Long.class).single();
    }

    @Test
    void anAdminCreatesAndDisablesAUserAndBothAreAuditedWithBeforeAndAfter() throws Exception {
        String admin = TestAccounts.create(jdbc, passwords, "ADMIN", "320508001");
        String username = "u_" + UUID.randomUUID().toString().substring(0, 8);

        String created = mvc.perform(post("/api/admin/users").with(TestSignIn.as(jdbc, admin)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"username":"%s","displayName":"王网格","phone":"13905129999","password":"First-pass-2026",
                                 "roles":["GRID_MANAGER"],"scopeCodes":["320508001001"]}""".formatted(username)))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.mustChangePassword").value(true))
                .andReturn().getResponse().getContentAsString();
        long id = json.readTree(created).path("id").asLong();

        mvc.perform(put("/api/admin/users/{id}", id).with(TestSignIn.as(jdbc, admin)).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"displayName":"王网格","phone":"13905129999","enabled":false,"roles":["GRID_MANAGER"],"scopeCodes":["320508001001"]}"""))
                .andExpect(status().isOk()).andExpect(jsonPath("$.enabled").value(false));

        JsonNode disabled = json.readTree(jdbc.sql("""
                SELECT json_build_object('actor', actor, 'before', before_state, 'after', after_state, 'address', client_address)::text
                FROM audit_log WHERE action = 'USER_DISABLED' AND object_id = ?""").param(String.valueOf(id)).query(String.class).single());
        assertThat(disabled.path("actor").asString()).isEqualTo(admin);
        assertThat(disabled.path("before").path("enabled").asBoolean()).isTrue();
        assertThat(disabled.path("after").path("enabled").asBoolean()).isFalse();
        assertThat(disabled.path("address").asString()).isEqualTo("127.0.0.1");
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'USER_CREATED' AND object_id = ?", String.valueOf(id))).isEqualTo(1);
    }

    @Test
    void badInputNamesTheFieldAndWritesNothing() throws Exception {
        String admin = TestAccounts.create(jdbc, passwords, "ADMIN", "320508001");
        long usersBefore = count("SELECT count(*) FROM app_user");

        mvc.perform(post("/api/admin/users").with(TestSignIn.as(jdbc, admin)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"a b\",\"displayName\":\"\",\"password\":\"x\",\"roles\":[\"KING\"],\"scopeCodes\":[\"12\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.hasItems("username", "displayName", "roles[0]", "scopeCodes[0]")));
        mvc.perform(post("/api/admin/users").with(TestSignIn.as(jdbc, admin)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"weakling\",\"displayName\":\"弱密码\",\"password\":\"short1\",\"roles\":[\"LEADER\"],\"scopeCodes\":[]}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("password"));
        mvc.perform(post("/api/admin/users").with(TestSignIn.as(jdbc, admin)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"reachy\",\"displayName\":\"越权\",\"password\":\"Good-pass-2026\",\"roles\":[\"LEADER\"],\"scopeCodes\":[\"320508002\"]}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("scopeCodes"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("outside your own scope")));
        mvc.perform(post("/api/admin/users").with(TestSignIn.as(jdbc, admin)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"leader\",\"displayName\":\"重名\",\"password\":\"Good-pass-2026\",\"roles\":[\"LEADER\"],\"scopeCodes\":[]}"))
                .andExpect(status().isConflict());

        assertThat(count("SELECT count(*) FROM app_user")).isEqualTo(usersBefore);
    }

    @Test
    void peopleChangeTheirOwnPasswordOnlyWithTheCurrentOne() throws Exception {
        String user = TestAccounts.create(jdbc, passwords, "INSPECTOR", "320508001");

        mvc.perform(post("/api/me/password").with(TestSignIn.as(jdbc, user)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"currentPassword\":\"guess-1234567\",\"newPassword\":\"New-pass-20261\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("currentPassword"));
        mvc.perform(post("/api/me/password").with(TestSignIn.as(jdbc, user)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"currentPassword\":\"%s\",\"newPassword\":\"abcdefghijk\"}".formatted(TestAccounts.PASSWORD)))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("newPassword"));
        mvc.perform(post("/api/me/password").with(TestSignIn.as(jdbc, user)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"currentPassword\":\"%s\",\"newPassword\":\"New-pass-20261\"}".formatted(TestAccounts.PASSWORD)))
                .andExpect(status().isNoContent());

        mvc.perform(post("/login").param("username", user).param("password", TestAccounts.PASSWORD).with(csrf()))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl("/login.html?error=bad-credentials"));
        mvc.perform(post("/login").param("username", user).param("password", "New-pass-20261").with(csrf()))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl("/"));
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'PASSWORD_CHANGED' AND actor = ?", user)).isEqualTo(1);
    }

    @Test
    void leadersBrowseTheAuditOfTheirOwnAreaOnly() throws Exception {
        String leader = TestAccounts.create(jdbc, passwords, "LEADER", "320508001");
        String marker = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO audit_log (actor, action, object_type, object_id, area_code) VALUES ('x', 'PROBE', 'probe', ?, '320508001001001')")
                .param(marker).update();
        jdbc.sql("INSERT INTO audit_log (actor, action, object_type, object_id, area_code) VALUES ('x', 'PROBE', 'probe', ?, '320508002001001')")
                .param(marker).update();
        jdbc.sql("INSERT INTO audit_log (actor, action, object_type, object_id) VALUES ('x', 'PROBE', 'probe', ?)").param(marker).update();

        mvc.perform(get("/api/audit").param("objectId", marker).with(TestSignIn.as(jdbc, leader)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].areaCode").value("320508001001001"));
        mvc.perform(get("/api/audit").param("from", "yesterday").with(TestSignIn.as(jdbc, leader)))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("from"));
    }
}
