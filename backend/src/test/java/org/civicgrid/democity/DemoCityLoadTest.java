package org.civicgrid.democity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@CivicGridIntegrationTest
class DemoCityLoadTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DemoCityLoader loader;

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    @Test
    void theDemoDistrictHasTheHierarchyTheIssueAsksFor() {
        assertThat(count("SELECT count(*) FROM district")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM street")).isGreaterThanOrEqualTo(6);
        assertThat(count("SELECT count(*) FROM community")).isGreaterThanOrEqualTo(40);
        assertThat(count("SELECT count(*) FROM grid WHERE valid_to IS NULL")).isBetween(380L, 450L);
    }

    @Test
    void everyGridHasAnOwnerWithAPhone() {
        assertThat(count("SELECT count(*) FROM grid g WHERE NOT EXISTS (SELECT 1 FROM grid_owner o WHERE o.grid_id = g.id)")).isZero();
        assertThat(count("SELECT count(*) FROM grid_owner o JOIN app_user u ON u.id = o.user_id WHERE u.phone IS NULL")).isZero();
    }

    @Test
    void pointsCoverEveryPointTypeAndAreAllInAGrid() {
        assertThat(count("SELECT count(*) FROM measurement_point WHERE external_id LIKE 'P%'")).isGreaterThanOrEqualTo(2000);
        assertThat(count("SELECT count(*) FROM point_type t WHERE NOT EXISTS (SELECT 1 FROM measurement_point p WHERE p.type_code = t.code)"))
                .as("point types without a single demo point").isZero();
        assertThat(count("SELECT count(*) FROM measurement_point WHERE grid_id IS NULL")).isZero();
    }

    @Test
    void problemsSpanNinetyDaysInEveryStatusWithDeadlines() {
        // Other tests add problems to the shared test database; the demo's own carry external ids.
        assertThat(count("SELECT count(*) FROM problem WHERE external_id LIKE 'Q%'")).isBetween(4500L, 5500L);
        List<String> statuses = jdbc.sql("SELECT DISTINCT status FROM problem WHERE external_id LIKE 'Q%' ORDER BY status").query(String.class).list();
        assertThat(statuses).containsExactlyInAnyOrder("REPORTED", "ACCEPTED", "REJECTED", "DISPATCHED", "IN_PROGRESS",
                "SUBMITTED", "RETURNED", "CLOSED", "SUSPENDED");
        assertThat(count("SELECT count(*) FROM problem WHERE accepted_at IS NOT NULL AND (deadline_at IS NULL OR deadline_at <= accepted_at)"))
                .as("accepted problems without a deadline after acceptance").isZero();
        assertThat(count("SELECT (max(reported_at)::date - min(reported_at)::date) FROM problem WHERE external_id LIKE 'Q%'")).isBetween(80L, 92L);
        assertThat(count("SELECT count(*) FROM problem WHERE reported_at > now()")).as("problems reported in the future").isZero();
        assertThat(count("SELECT count(*) FROM problem WHERE problem_is_open(status) AND deadline_at < now()"))
                .as("overdue open problems").isPositive();
        assertThat(count("SELECT count(*) FROM problem WHERE grid_id IS NULL")).isZero();
    }

    @Test
    void loadingAgainChangesNothing() {
        long problemsBefore = count("SELECT count(*) FROM problem");
        long pointsBefore = count("SELECT count(*) FROM measurement_point");

        assertThat(loader.loadIfAbsent()).isFalse();

        assertThat(count("SELECT count(*) FROM problem")).isEqualTo(problemsBefore);
        assertThat(count("SELECT count(*) FROM measurement_point")).isEqualTo(pointsBefore);
    }
}
