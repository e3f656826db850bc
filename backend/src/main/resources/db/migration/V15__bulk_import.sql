-- Bulk import at ogr2ogr speed (issue 8). A commit writes up to a million rows and does the work of the
-- per-row triggers set-based (grid from the preview, map statistics from per-grid sums, one revision bump).
-- Until now it switched those triggers off with ALTER TABLE … DISABLE TRIGGER, which needs the table's owner
-- and locks the table like DDL. Instead the triggers now skip their row when the writing transaction says
-- it is a bulk import (set_config('civicgrid.bulk_import', 'on', true), like civicgrid.publishing_grids of
-- V10): the WHEN condition is evaluated in C, no PL/pgSQL call per row, no event queued for the deferred
-- ones. Every other writer is unaffected.

-- What the preview decided that the commit relies on: the grids' revision its grid assignment was made
-- against, and the point types (code=geometry kind) or problem categories its rows use.
ALTER TABLE import_job ADD COLUMN grid_revision bigint;
ALTER TABLE import_job ADD COLUMN codes text[];

DROP TRIGGER measurement_point_assign_grid ON measurement_point;
CREATE TRIGGER measurement_point_assign_grid
    BEFORE INSERT OR UPDATE OF geom, grid_id, type_code ON measurement_point
    FOR EACH ROW WHEN (current_setting('civicgrid.bulk_import', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION measurement_point_assign_grid();

DROP TRIGGER measurement_point_revision ON measurement_point;
CREATE CONSTRAINT TRIGGER measurement_point_revision AFTER INSERT OR UPDATE OR DELETE ON measurement_point
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (current_setting('civicgrid.bulk_import', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION bump_layer_revision('points');

DROP TRIGGER measurement_point_map_stats_insert_delete ON measurement_point;
CREATE CONSTRAINT TRIGGER measurement_point_map_stats_insert_delete AFTER INSERT OR DELETE ON measurement_point
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (current_setting('civicgrid.bulk_import', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION grid_map_stats_on_point();

DROP TRIGGER measurement_point_map_stats_update ON measurement_point;
CREATE CONSTRAINT TRIGGER measurement_point_map_stats_update AFTER UPDATE ON measurement_point
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (current_setting('civicgrid.bulk_import', true) IS DISTINCT FROM 'on'
          AND (OLD.grid_id IS DISTINCT FROM NEW.grid_id OR NOT ST_Equals(OLD.geom, NEW.geom)))
    EXECUTE FUNCTION grid_map_stats_on_point();

-- Problems: the import assigns grids and bumps the revision itself; statistics and heat triggers stay on.
DROP TRIGGER problem_assign_grid ON problem;
CREATE TRIGGER problem_assign_grid
    BEFORE INSERT OR UPDATE OF location, grid_id ON problem
    FOR EACH ROW WHEN (current_setting('civicgrid.bulk_import', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION problem_assign_grid();

DROP TRIGGER problem_revision ON problem;
CREATE CONSTRAINT TRIGGER problem_revision AFTER INSERT OR UPDATE OR DELETE ON problem
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (current_setting('civicgrid.bulk_import', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION bump_layer_revision('problems');
