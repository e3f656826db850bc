package org.civicgrid.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.database.ChangeNotifications;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * ETags come from revisions held in memory: no query per request, yet never stale — this instance's own writes are
 * seen by its next request, other writers' within a second, and without the listener the database is asked.
 */
@CivicGridIntegrationTest
class LayerRevisionsMemoryTest {

    /** Any tile: its ETag depends on the layers' revisions, whatever lies in it (problems: grids, problems, lights). */
    static final String TILE = "/tiles/problems/14/13681/6696.mvt";
    /** Grids and problems only: the lights revision moves by itself (the overdue sweep). */
    static final String GRID_TILE = "/tiles/grids/14/13681/6696.mvt";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ChangeNotifications notifications;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    LayerRevisions revisions;

    @BeforeEach
    void listening() throws InterruptedException {
        awaitListening();
    }

    @Test
    void theRevisionsComeFromMemoryAndOwnCommitsAreHooked() throws Exception {
        assertThat(((AbstractPlatformTransactionManager) transactions).getTransactionExecutionListeners()).contains(revisions);
        String before = etag(GRID_TILE);
        // A bump that announces nothing (triggers off): memory does not see it, so the request asked no query.
        bumpSilently("problems", null);
        assertThat(etag(GRID_TILE)).isEqualTo(before);
        jdbc.sql("UPDATE layer_revision SET revision = revision + 1 WHERE layer = 'problems'").update();
        awaitChange(GRID_TILE, before);
    }

    @Test
    void anOwnTransactionIsSeenByTheNextRequestEvenBeforeItsNotification() throws Exception {
        String before = etag(TILE);
        // Silent (no NOTIFY), but committed through this instance's transaction manager.
        bumpSilently("problems", new TransactionTemplate(transactions));
        assertThat(etag(TILE)).isNotEqualTo(before);
    }

    @Test
    void aWriteThroughTheApiChangesTheEtagOnTheNextRequest() throws Exception {
        long id = jdbc.sql("""
                INSERT INTO problem (point_id, category_code, status, location, description, reported_at)
                SELECT mp.id, 'EXPOSED_GARBAGE', 'REPORTED', mp.geom, 'ETag test', now() FROM measurement_point mp
                JOIN grid g ON g.id = mp.grid_id AND g.valid_to IS NULL AND g.code LIKE '320508001%'
                WHERE ST_Dimension(mp.geom) = 0 ORDER BY mp.id LIMIT 1 RETURNING id""").query(Long.class).single();
        long version = jdbc.sql("SELECT version FROM problem WHERE id = ?").param(id).query(Long.class).single();
        String settled = awaitStable(TILE);

        mvc.perform(post("/api/problems/{id}/actions/accept", id).with(TestSignIn.as(jdbc, "leader")).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content("{\"version\":" + version + "}")).andExpect(status().isOk());

        assertThat(etag(TILE)).isNotEqualTo(settled);
    }

    @Test
    void withoutTheListenerEtagsStillChange() throws Exception {
        notifications.stop();
        try {
            assertThat(notifications.listening()).isFalse();
            String problems = etag(TILE);
            bumpSilently("problems", null);   // not announced, not an own transaction: only a query can see it
            assertThat(etag(TILE)).isNotEqualTo(problems);
        } finally {
            notifications.start();
        }
        awaitListening();
        String afterReload = etag(GRID_TILE);
        bumpSilently("problems", null);
        assertThat(etag(GRID_TILE)).as("served from memory again, reloaded on connect").isEqualTo(afterReload);
    }

    @Test
    void twoRevisionsBumpedBySqlElsewhereAreSeenWithinASecond() throws Exception {
        String problems = etag(TILE);
        String grids = etag(GRID_TILE);
        jdbc.sql("UPDATE layer_revision SET revision = revision + 1 WHERE layer IN ('problems', 'grids')").update();
        long start = System.nanoTime();
        awaitChange(TILE, problems);
        awaitChange(GRID_TILE, grids);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
    }

    private String etag(String url) throws Exception {
        return mvc.perform(get(url).with(TestSignIn.as(jdbc, "leader"))).andExpect(status().isOk()).andReturn().getResponse().getHeader("ETag");
    }

    /** Bumps a revision with the triggers off (no notification); in {@code transaction} when given. */
    private void bumpSilently(String layer, TransactionTemplate transaction) {
        Runnable bump = () -> {
            jdbc.sql("SET LOCAL session_replication_role = replica").update();
            jdbc.sql("UPDATE layer_revision SET revision = revision + 1 WHERE layer = ?").param(layer).update();
        };
        if (transaction != null) {
            transaction.executeWithoutResult(s -> bump.run());
        } else {
            // One autocommit statement: outside Spring's transactions, as another program's write would be.
            jdbc.sql("""
                    DO $$ BEGIN
                        SET LOCAL session_replication_role = replica;
                        UPDATE layer_revision SET revision = revision + 1 WHERE layer = '""" + layer + "'; END $$").update();
        }
    }

    private void awaitChange(String url, String before) throws Exception {
        long deadline = System.currentTimeMillis() + 1000;
        while (etag(url).equals(before)) {
            assertThat(System.currentTimeMillis()).as("ETag of " + url + " changed within a second").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private String awaitStable(String url) throws Exception {
        String last = etag(url);
        for (int i = 0; i < 100; i++) {
            Thread.sleep(50);
            String now = etag(url);
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!notifications.listening()) {
            assertThat(System.currentTimeMillis()).as("listening").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
