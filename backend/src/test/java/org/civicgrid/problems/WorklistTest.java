package org.civicgrid.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.util.ArrayList;
import java.util.List;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestAccounts;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Each worklist holds exactly the problems a plain query finds — its statuses, the caller's areas (and department),
 * most urgent deadline first, then id — whether the caller holds whole districts (read per status in deadline order)
 * or streets and grids (read grid by grid).
 */
@CivicGridIntegrationTest
class WorklistTest {

    private static final String REFERENCE = """
            SELECT p.id FROM problem p JOIN grid g ON g.id = p.grid_id
            WHERE g.code LIKE :area || '%' AND p.status = ANY (string_to_array(:statuses, ','))
              AND (CAST(:department AS varchar) IS NULL OR p.handler_department_code = :department)
              AND (NOT :departmentOnly OR p.handler_department_code IS NOT NULL)
              AND (NOT :gridOnly OR p.handler_department_code IS NULL)
              AND (NOT :attentionOnly OR p.urge_count > 0 OR p.supervised OR p.deadline_at < now())
            ORDER BY p.deadline_at NULLS LAST, p.id LIMIT :limit""";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    ObjectMapper json;

    @Test
    void aDistrictLeadersListsAreTheMostUrgentProblemsOfTheWholeDistrict() throws Exception {
        String district = jdbc.sql("SELECT code FROM district ORDER BY code LIMIT 1").query(String.class).single();
        String leader = TestAccounts.create(jdbc, passwords, "LEADER", district);
        for (Worklist list : List.of(Worklist.TO_ACCEPT, Worklist.TO_DISPATCH, Worklist.RED_AND_URGED)) {
            for (int limit : new int[] {7, 200}) {
                List<Long> expected = reference(list, district, null, limit);
                assertThat(expected).as(list + " has problems in the demo city").isNotEmpty();
                assertThat(ids(leader, list, limit)).as(list + " limit " + limit).isEqualTo(expected);
            }
        }
    }

    @Test
    void aStreetLeaderSeesOnlyTheStreetsProblems() throws Exception {
        String street = busiest("SELECT s.code FROM street s", 9);
        String leader = TestAccounts.create(jdbc, passwords, "LEADER", street);
        for (Worklist list : List.of(Worklist.TO_ACCEPT, Worklist.TO_DISPATCH, Worklist.RED_AND_URGED)) {
            List<Long> expected = reference(list, street, null, 50);
            assertThat(expected).as(list.pathName).isNotEmpty();
            assertThat(ids(leader, list, 50)).as(list.pathName).isEqualTo(expected);
        }
    }

    @Test
    void aGridManagerAnInspectorAndAHandlerWorkTheirOwnLists() throws Exception {
        String grid = busiest("SELECT g.code FROM grid g WHERE g.valid_to IS NULL", 15);
        String manager = TestAccounts.create(jdbc, passwords, "GRID_MANAGER", grid);
        assertThat(ids(manager, Worklist.MY_GRIDS, 200)).isEqualTo(reference(Worklist.MY_GRIDS, grid, null, 200)).isNotEmpty();

        String community = busiest("SELECT c.code FROM community c", 12);
        String inspector = TestAccounts.create(jdbc, passwords, "INSPECTOR", community);
        assertThat(ids(inspector, Worklist.WAITING_CHECK, 200)).isEqualTo(reference(Worklist.WAITING_CHECK, community, null, 200)).isNotEmpty();

        String district = jdbc.sql("SELECT code FROM district ORDER BY code LIMIT 1").query(String.class).single();
        String department = jdbc.sql("""
                SELECT handler_department_code FROM problem WHERE status IN ('DISPATCHED', 'IN_PROGRESS', 'RETURNED')
                  AND handler_department_code IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""").query(String.class).single();
        String handler = TestAccounts.create(jdbc, passwords, "HANDLER", district);
        jdbc.sql("UPDATE app_user SET department_code = :department WHERE username = :username")
                .param("department", department).param("username", handler).update();
        List<Long> expected = reference(Worklist.MY_DEPARTMENT, district, department, 200);
        assertThat(ids(handler, Worklist.MY_DEPARTMENT, 200)).isEqualTo(expected).isNotEmpty();
    }

    /** The area (of the given code length) holding the most open problems. */
    private String busiest(String areas, int codeLength) {
        return jdbc.sql("SELECT a.code FROM (" + areas + ") a(code) ORDER BY (SELECT count(*) FROM problem p JOIN grid g ON g.id = p.grid_id"
                + " WHERE left(g.code, " + codeLength + ") = a.code AND problem_is_open(p.status)) DESC, a.code LIMIT 1").query(String.class).single();
    }

    private List<Long> reference(Worklist list, String area, String department, int limit) {
        return jdbc.sql(REFERENCE).param("area", area).param("statuses", list.statuses).param("department", department)
                .param("departmentOnly", list.departmentOnly).param("gridOnly", list.gridOnly).param("attentionOnly", list.attentionOnly)
                .param("limit", limit).query(Long.class).list();
    }

    private List<Long> ids(String username, Worklist list, int limit) throws Exception {
        String body = mvc.perform(get("/api/worklists/" + list.pathName).param("limit", String.valueOf(limit)).with(TestSignIn.as(jdbc, username)))
                .andReturn().getResponse().getContentAsString();
        List<Long> ids = new ArrayList<>();
        for (JsonNode item : json.readTree(body)) {
            ids.add(item.get("id").asLong());
        }
        return ids;
    }
}
