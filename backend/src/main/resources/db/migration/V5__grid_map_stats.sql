-- Per-grid map statistics, kept current with the data, so that the map's area colours and low-zoom
-- clusters read one row per grid (≈100k at city scale) instead of aggregating millions of problems
-- on every request. Filtered views (category, status, dates…) still aggregate `problem` directly.
--
-- Invariant: each row equals the sum, over the grid's problems and points, of their contribution
-- evaluated at map_stats_clock.swept_until. Traffic lights and "overdue" change with time alone, so a
-- sweep (sweep_map_stats, run every few seconds by the application) moves that instant forward and
-- shifts the problems whose warning or deadline passed in between. Writers read the instant under a
-- share lock and the sweep takes it exclusively, so no problem is shifted twice or missed.

CREATE TABLE map_stats_clock (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    swept_until  timestamptz NOT NULL
);

INSERT INTO map_stats_clock (swept_until) VALUES (now());

CREATE TABLE grid_map_stats (
    grid_id          bigint PRIMARY KEY REFERENCES grid (id) ON DELETE CASCADE,
    code             varchar(15) NOT NULL,
    points           integer NOT NULL DEFAULT 0,
    points_lon_sum   float8 NOT NULL DEFAULT 0,
    points_lat_sum   float8 NOT NULL DEFAULT 0,
    open             integer NOT NULL DEFAULT 0,
    overdue          integer NOT NULL DEFAULT 0,
    closed           integer NOT NULL DEFAULT 0,
    closed_on_time   integer NOT NULL DEFAULT 0,
    red              integer NOT NULL DEFAULT 0,
    yellow           integer NOT NULL DEFAULT 0,
    green            integer NOT NULL DEFAULT 0,
    -- Sums of the open problems' coordinates: a cluster sits at their mean position.
    open_lon_sum     float8 NOT NULL DEFAULT 0,
    open_lat_sum     float8 NOT NULL DEFAULT 0
);

CREATE INDEX grid_map_stats_code_idx ON grid_map_stats (code text_pattern_ops);

-- Time-dependent changes are found through these when sweeping.
CREATE INDEX problem_open_deadline_idx ON problem (deadline_at) WHERE problem_is_open(status);
CREATE INDEX problem_open_warning_idx ON problem (warning_at) WHERE problem_is_open(status);

-- Adds sign × one problem's contribution, evaluated at `at`, to its grid's row.
CREATE FUNCTION grid_map_stats_add_problem(p problem, sign integer, at timestamptz) RETURNS void
    LANGUAGE plpgsql AS
$$
DECLARE
    light varchar := problem_light(p.status, p.warning_at, p.deadline_at, at);
    is_open boolean := problem_is_open(p.status);
BEGIN
    IF p.grid_id IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO grid_map_stats AS s (grid_id, code, open, overdue, closed, closed_on_time, red, yellow, green, open_lon_sum, open_lat_sum)
    SELECT g.id, g.code,
           sign * is_open::int,
           sign * (light = 'RED' IS TRUE)::int,
           sign * (p.status = 'CLOSED')::int,
           sign * (p.status = 'CLOSED' AND p.closed_at <= p.deadline_at IS TRUE)::int,
           sign * (light = 'RED' IS TRUE)::int,
           sign * (light = 'YELLOW' IS TRUE)::int,
           sign * (light = 'GREEN' IS TRUE)::int,
           CASE WHEN is_open THEN sign * ST_X(p.location) ELSE 0 END,
           CASE WHEN is_open THEN sign * ST_Y(p.location) ELSE 0 END
    FROM grid g WHERE g.id = p.grid_id
    ON CONFLICT (grid_id) DO UPDATE SET
        open = s.open + EXCLUDED.open, overdue = s.overdue + EXCLUDED.overdue, closed = s.closed + EXCLUDED.closed,
        closed_on_time = s.closed_on_time + EXCLUDED.closed_on_time, red = s.red + EXCLUDED.red,
        yellow = s.yellow + EXCLUDED.yellow, green = s.green + EXCLUDED.green,
        open_lon_sum = s.open_lon_sum + EXCLUDED.open_lon_sum, open_lat_sum = s.open_lat_sum + EXCLUDED.open_lat_sum;
END
$$;

CREATE FUNCTION grid_map_stats_on_problem() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    at timestamptz;
BEGIN
    SELECT swept_until INTO at FROM map_stats_clock FOR SHARE;
    IF TG_OP <> 'INSERT' THEN
        PERFORM grid_map_stats_add_problem(OLD, -1, at);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM grid_map_stats_add_problem(NEW, 1, at);
    END IF;
    RETURN NULL;
END
$$;

-- Deferred to commit: the grid's row is locked only for that instant, not for the whole transaction.
CREATE CONSTRAINT TRIGGER problem_map_stats_insert_delete AFTER INSERT OR DELETE ON problem
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION grid_map_stats_on_problem();
CREATE CONSTRAINT TRIGGER problem_map_stats_update AFTER UPDATE ON problem
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.grid_id IS DISTINCT FROM NEW.grid_id
          OR OLD.deadline_at IS DISTINCT FROM NEW.deadline_at OR OLD.warning_at IS DISTINCT FROM NEW.warning_at
          OR OLD.closed_at IS DISTINCT FROM NEW.closed_at OR NOT ST_Equals(OLD.location, NEW.location))
    EXECUTE FUNCTION grid_map_stats_on_problem();

CREATE FUNCTION grid_map_stats_on_point() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    -- Waits for a rebuild in progress, like the problems' trigger.
    PERFORM 1 FROM map_stats_clock FOR SHARE;
    IF TG_OP <> 'INSERT' AND OLD.grid_id IS NOT NULL THEN
        UPDATE grid_map_stats SET points = points - 1,
                                  points_lon_sum = points_lon_sum - ST_X(ST_PointOnSurface(OLD.geom)),
                                  points_lat_sum = points_lat_sum - ST_Y(ST_PointOnSurface(OLD.geom))
        WHERE grid_id = OLD.grid_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.grid_id IS NOT NULL THEN
        INSERT INTO grid_map_stats AS s (grid_id, code, points, points_lon_sum, points_lat_sum)
        SELECT g.id, g.code, 1, ST_X(ST_PointOnSurface(NEW.geom)), ST_Y(ST_PointOnSurface(NEW.geom)) FROM grid g WHERE g.id = NEW.grid_id
        ON CONFLICT (grid_id) DO UPDATE SET points = s.points + 1, points_lon_sum = s.points_lon_sum + EXCLUDED.points_lon_sum,
                                            points_lat_sum = s.points_lat_sum + EXCLUDED.points_lat_sum;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER measurement_point_map_stats_insert_delete AFTER INSERT OR DELETE ON measurement_point
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION grid_map_stats_on_point();
CREATE CONSTRAINT TRIGGER measurement_point_map_stats_update AFTER UPDATE ON measurement_point
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.grid_id IS DISTINCT FROM NEW.grid_id OR NOT ST_Equals(OLD.geom, NEW.geom))
    EXECUTE FUNCTION grid_map_stats_on_point();

-- Moves the statistics' instant to `until`, shifting the problems whose light changed meanwhile.
-- Returns how many grids changed; the problems layer's revision is bumped when any did, so cached
-- answers (ETags) stop matching.
CREATE FUNCTION sweep_map_stats(until timestamptz DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    since timestamptz;
    changed integer;
BEGIN
    SELECT swept_until INTO since FROM map_stats_clock FOR UPDATE;
    IF until <= since THEN
        RETURN 0;
    END IF;
    WITH candidates AS (
        SELECT p.grid_id,
               problem_light(p.status, p.warning_at, p.deadline_at, since) AS before,
               problem_light(p.status, p.warning_at, p.deadline_at, until) AS after
        FROM problem p
        WHERE problem_is_open(p.status) AND p.grid_id IS NOT NULL
          AND (p.deadline_at BETWEEN since AND until OR p.warning_at BETWEEN since AND until)),
    deltas AS (
        SELECT grid_id,
               sum((after = 'RED' IS TRUE)::int - (before = 'RED' IS TRUE)::int) AS red,
               sum((after = 'YELLOW' IS TRUE)::int - (before = 'YELLOW' IS TRUE)::int) AS yellow,
               sum((after = 'GREEN' IS TRUE)::int - (before = 'GREEN' IS TRUE)::int) AS green
        FROM candidates WHERE before IS DISTINCT FROM after GROUP BY grid_id)
    UPDATE grid_map_stats s SET red = s.red + d.red, overdue = s.overdue + d.red, yellow = s.yellow + d.yellow, green = s.green + d.green
    FROM deltas d WHERE s.grid_id = d.grid_id;
    GET DIAGNOSTICS changed = ROW_COUNT;
    UPDATE map_stats_clock SET swept_until = until;
    IF changed > 0 THEN
        UPDATE layer_revision SET revision = revision + 1 WHERE layer = 'problems';
    END IF;
    RETURN changed;
END
$$;

-- Recomputes every row from scratch (after a bulk load with triggers off, or to check the invariant).
CREATE FUNCTION rebuild_grid_map_stats() RETURNS void
    LANGUAGE plpgsql AS
$$
DECLARE
    at timestamptz := now();
BEGIN
    PERFORM 1 FROM map_stats_clock FOR UPDATE;
    DELETE FROM grid_map_stats;
    INSERT INTO grid_map_stats (grid_id, code, points, points_lon_sum, points_lat_sum, open, overdue, closed, closed_on_time,
                                red, yellow, green, open_lon_sum, open_lat_sum)
    SELECT g.id, g.code, coalesce(pt.n, 0), coalesce(pt.lon, 0), coalesce(pt.lat, 0),
           coalesce(pr.open, 0), coalesce(pr.red, 0), coalesce(pr.closed, 0), coalesce(pr.closed_on_time, 0),
           coalesce(pr.red, 0), coalesce(pr.yellow, 0), coalesce(pr.green, 0), coalesce(pr.lon, 0), coalesce(pr.lat, 0)
    FROM grid g
    LEFT JOIN (SELECT grid_id, count(*) AS n, sum(ST_X(ST_PointOnSurface(geom))) AS lon, sum(ST_Y(ST_PointOnSurface(geom))) AS lat
               FROM measurement_point WHERE grid_id IS NOT NULL GROUP BY grid_id) pt ON pt.grid_id = g.id
    LEFT JOIN (SELECT grid_id,
                      count(*) FILTER (WHERE problem_is_open(status)) AS open,
                      count(*) FILTER (WHERE status = 'CLOSED') AS closed,
                      count(*) FILTER (WHERE status = 'CLOSED' AND closed_at <= deadline_at) AS closed_on_time,
                      count(*) FILTER (WHERE problem_light(status, warning_at, deadline_at, at) = 'RED') AS red,
                      count(*) FILTER (WHERE problem_light(status, warning_at, deadline_at, at) = 'YELLOW') AS yellow,
                      count(*) FILTER (WHERE problem_light(status, warning_at, deadline_at, at) = 'GREEN') AS green,
                      sum(ST_X(location)) FILTER (WHERE problem_is_open(status)) AS lon,
                      sum(ST_Y(location)) FILTER (WHERE problem_is_open(status)) AS lat
               FROM problem WHERE grid_id IS NOT NULL GROUP BY grid_id) pr ON pr.grid_id = g.id;
    UPDATE map_stats_clock SET swept_until = at;
    UPDATE layer_revision SET revision = revision + 1 WHERE layer IN ('problems', 'points');
END
$$;

SELECT rebuild_grid_map_stats();
