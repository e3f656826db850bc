-- Every point and problem write, an import's commit and a grid publish update rows of grid_map_stats without
-- changing its indexed columns (grid_id, code). With room left on each page those updates are HOT: no new index
-- entries, and an import adding points to 100,000 grids rewrites no index. CLUSTER rewrites the table so the
-- existing pages get that room now (it runs in the migration's transaction; the table has one row per grid).
ALTER TABLE grid_map_stats SET (fillfactor = 70);
CLUSTER grid_map_stats USING grid_map_stats_pkey;
