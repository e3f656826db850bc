-- Publishing grids (issue #7) re-assigns up to hundreds of thousands of points and problems in one statement.
-- Row by row, their triggers would look up each row's point type, then at commit update the same few
-- statistics rows and the layer revision once per moved row: a row updated n times in one transaction
-- leaves n versions to step over, so the cost grows with n². While 'civicgrid.publishing_grids' is 'on'
-- (set locally by the publishing transaction) these triggers are not queued at all; the publisher assigns
-- grid_id itself, refreshes the statistics of the grids concerned with refresh_grid_map_stats and bumps the
-- layer revisions once.
-- The triggers V15 lets a bulk import skip (civicgrid.bulk_import) keep that condition too.

CREATE FUNCTION publishing_grids() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$
SELECT coalesce(current_setting('civicgrid.publishing_grids', true), '') = 'on'
$$;

-- Recomputes the statistics rows of the given grids from their points and problems, at the statistics'
-- instant (map_stats_clock.swept_until, as the triggers and the sweep use it).
CREATE FUNCTION refresh_grid_map_stats(ids bigint[]) RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    at timestamptz;
    n integer;
BEGIN
    SELECT swept_until INTO at FROM map_stats_clock FOR SHARE;
    INSERT INTO grid_map_stats AS s (grid_id, code, points, points_lon_sum, points_lat_sum, open, overdue, closed, closed_on_time,
                                     red, yellow, green, open_lon_sum, open_lat_sum)
    SELECT g.id, g.code, coalesce(pt.n, 0), coalesce(pt.lon, 0), coalesce(pt.lat, 0),
           coalesce(pr.open, 0), coalesce(pr.red, 0), coalesce(pr.closed, 0), coalesce(pr.closed_on_time, 0),
           coalesce(pr.red, 0), coalesce(pr.yellow, 0), coalesce(pr.green, 0), coalesce(pr.lon, 0), coalesce(pr.lat, 0)
    FROM grid g
    LEFT JOIN LATERAL (SELECT count(*) AS n, sum(ST_X(ST_PointOnSurface(m.geom))) AS lon, sum(ST_Y(ST_PointOnSurface(m.geom))) AS lat
                       FROM measurement_point m WHERE m.grid_id = g.id) pt ON true
    LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE problem_is_open(p.status)) AS open,
                              count(*) FILTER (WHERE p.status = 'CLOSED') AS closed,
                              count(*) FILTER (WHERE p.status = 'CLOSED' AND p.closed_at <= p.deadline_at) AS closed_on_time,
                              count(*) FILTER (WHERE problem_light(p.status, p.warning_at, p.deadline_at, at) = 'RED') AS red,
                              count(*) FILTER (WHERE problem_light(p.status, p.warning_at, p.deadline_at, at) = 'YELLOW') AS yellow,
                              count(*) FILTER (WHERE problem_light(p.status, p.warning_at, p.deadline_at, at) = 'GREEN') AS green,
                              sum(ST_X(p.location)) FILTER (WHERE problem_is_open(p.status)) AS lon,
                              sum(ST_Y(p.location)) FILTER (WHERE problem_is_open(p.status)) AS lat
                       FROM problem p WHERE p.grid_id = g.id) pr ON true
    WHERE g.id = ANY (ids)
    ON CONFLICT (grid_id) DO UPDATE SET
        points = EXCLUDED.points, points_lon_sum = EXCLUDED.points_lon_sum, points_lat_sum = EXCLUDED.points_lat_sum,
        open = EXCLUDED.open, overdue = EXCLUDED.overdue, closed = EXCLUDED.closed, closed_on_time = EXCLUDED.closed_on_time,
        red = EXCLUDED.red, yellow = EXCLUDED.yellow, green = EXCLUDED.green,
        open_lon_sum = EXCLUDED.open_lon_sum, open_lat_sum = EXCLUDED.open_lat_sum;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

DROP TRIGGER measurement_point_assign_grid ON measurement_point;
CREATE TRIGGER measurement_point_assign_grid
    BEFORE INSERT OR UPDATE OF geom, grid_id, type_code ON measurement_point
    FOR EACH ROW WHEN (NOT publishing_grids() AND current_setting('civicgrid.bulk_import', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION measurement_point_assign_grid();

DROP TRIGGER problem_assign_grid ON problem;
CREATE TRIGGER problem_assign_grid
    BEFORE INSERT OR UPDATE OF location, grid_id ON problem
    FOR EACH ROW WHEN (NOT publishing_grids() AND current_setting('civicgrid.bulk_import', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION problem_assign_grid();

DROP TRIGGER measurement_point_map_stats_insert_delete ON measurement_point;
CREATE CONSTRAINT TRIGGER measurement_point_map_stats_insert_delete AFTER INSERT OR DELETE ON measurement_point
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NOT publishing_grids() AND current_setting('civicgrid.bulk_import', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION grid_map_stats_on_point();
DROP TRIGGER measurement_point_map_stats_update ON measurement_point;
CREATE CONSTRAINT TRIGGER measurement_point_map_stats_update AFTER UPDATE ON measurement_point
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NOT publishing_grids() AND current_setting('civicgrid.bulk_import', true) IS DISTINCT FROM 'on' AND (OLD.grid_id IS DISTINCT FROM NEW.grid_id OR NOT ST_Equals(OLD.geom, NEW.geom)))
    EXECUTE FUNCTION grid_map_stats_on_point();

DROP TRIGGER problem_map_stats_insert_delete ON problem;
CREATE CONSTRAINT TRIGGER problem_map_stats_insert_delete AFTER INSERT OR DELETE ON problem
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NOT publishing_grids()) EXECUTE FUNCTION grid_map_stats_on_problem();
DROP TRIGGER problem_map_stats_update ON problem;
CREATE CONSTRAINT TRIGGER problem_map_stats_update AFTER UPDATE ON problem
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NOT publishing_grids() AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.grid_id IS DISTINCT FROM NEW.grid_id
          OR OLD.deadline_at IS DISTINCT FROM NEW.deadline_at OR OLD.warning_at IS DISTINCT FROM NEW.warning_at
          OR OLD.closed_at IS DISTINCT FROM NEW.closed_at OR NOT ST_Equals(OLD.location, NEW.location)))
    EXECUTE FUNCTION grid_map_stats_on_problem();

DROP TRIGGER measurement_point_revision ON measurement_point;
CREATE CONSTRAINT TRIGGER measurement_point_revision AFTER INSERT OR UPDATE OR DELETE ON measurement_point
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NOT publishing_grids() AND current_setting('civicgrid.bulk_import', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION bump_layer_revision('points');
DROP TRIGGER problem_revision ON problem;
CREATE CONSTRAINT TRIGGER problem_revision AFTER INSERT OR UPDATE OR DELETE ON problem
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NOT publishing_grids() AND current_setting('civicgrid.bulk_import', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION bump_layer_revision('problems');
