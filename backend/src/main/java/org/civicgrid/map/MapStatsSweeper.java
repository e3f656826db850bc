package org.civicgrid.map;

import org.civicgrid.database.DatabaseFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Moves the per-grid map statistics (grid_map_stats, migration V5) forward in time: traffic lights and
 * "overdue" change when a warning time or deadline passes, with no write to the problem. The map's
 * colours and clusters are therefore at most one interval behind the clock.
 */
@Component
class MapStatsSweeper {

    static final String SWEEP = "SELECT sweep_map_stats()";

    private static final Logger log = LoggerFactory.getLogger(MapStatsSweeper.class);

    private final JdbcClient jdbc;

    MapStatsSweeper(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(fixedDelayString = "${civicgrid.map.stats-sweep-interval:15s}", initialDelayString = "${civicgrid.map.stats-sweep-interval:15s}")
    void sweep() {
        int grids;
        try {
            grids = jdbc.sql(SWEEP).query(Integer.class).single();
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                // The database is restarting or away: the next sweep catches up (it covers everything since the last one).
                log.warn("Map statistics sweep skipped: the database is unavailable ({})", e.getMessage());
                return;
            }
            throw e;
        }
        if (grids > 0) {
            log.debug("Traffic lights changed in {} grids", grids);
        }
    }
}
