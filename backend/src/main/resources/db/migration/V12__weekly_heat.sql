-- Problem density by week in hexagons, for the city-wide heatmap (issue #6). A city week holds ~800k
-- problems at the benchmark scale: binning them per request cannot answer in 300 ms, so the counts
-- per (zoom, week, hexagon, status class) are kept current by triggers for the low zooms where a
-- city-wide view is drawn. Filtered or scoped views bin the problems directly (few of them).

-- The hexagon of ST_Hexagon(size, i, j) (EPSG:3857, origin 0,0, flat-topped, odd columns half a row
-- up) that holds the point: of the two columns the point lies between, the one whose nearest centre
-- is nearer (a tie goes to the left column). One expression without FROM, so PostgreSQL inlines it
-- where the arguments are plain columns: binning millions of problems costs arithmetic only.
CREATE FUNCTION hex_cell(x float8, y float8, size float8) RETURNS integer[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT CASE
           WHEN (x - 1.5 * size * floor(x / (1.5 * size))) ^ 2
                    + (y - size * sqrt(3) / 2 * (2 * round((y / (size * sqrt(3) / 2) - abs(floor(x / (1.5 * size))::integer % 2)) / 2)
                                                 + abs(floor(x / (1.5 * size))::integer % 2))) ^ 2
                <= (x - 1.5 * size * (floor(x / (1.5 * size)) + 1)) ^ 2
                    + (y - size * sqrt(3) / 2 * (2 * round((y / (size * sqrt(3) / 2) - abs((floor(x / (1.5 * size))::integer + 1) % 2)) / 2)
                                                 + abs((floor(x / (1.5 * size))::integer + 1) % 2))) ^ 2
           THEN ARRAY[floor(x / (1.5 * size))::integer,
                      round((y / (size * sqrt(3) / 2) - abs(floor(x / (1.5 * size))::integer % 2)) / 2)::integer]
           ELSE ARRAY[floor(x / (1.5 * size))::integer + 1,
                      round((y / (size * sqrt(3) / 2) - abs((floor(x / (1.5 * size))::integer + 1) % 2)) / 2)::integer]
           END
$$;

-- The zooms kept, with their hexagon edge: 20 screen pixels (IndicatorQueries.hexSizeMeters).
CREATE TABLE heat_zoom (
    zoom  smallint PRIMARY KEY,
    size  float8 NOT NULL
);

INSERT INTO heat_zoom (zoom, size)
SELECT z, round((20 * (2 * pi() * 6378137 / (256 * 2 ^ z)) * 100)::numeric) / 100.0 FROM generate_series(8, 12) z;

CREATE TABLE problem_heat_week (
    zoom          smallint NOT NULL REFERENCES heat_zoom (zoom),
    week_start    date NOT NULL,
    i             integer NOT NULL,
    j             integer NOT NULL,
    -- O open, C closed, R rejected: the heatmap's status filter open | closed | all.
    status_class  char(1) NOT NULL CHECK (status_class IN ('O', 'C', 'R')),
    n             integer NOT NULL,
    PRIMARY KEY (zoom, week_start, status_class, i, j)
);

CREATE FUNCTION problem_status_class(status varchar) RETURNS char
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT CASE WHEN status = 'CLOSED' THEN 'C' WHEN status = 'REJECTED' THEN 'R' ELSE 'O' END
$$;

CREATE FUNCTION problem_week(reported_at timestamptz) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT date_trunc('week', reported_at AT TIME ZONE 'Asia/Shanghai')::date
$$;

CREATE FUNCTION problem_heat_add(location geometry, reported_at timestamptz, status varchar, sign integer) RETURNS void
    LANGUAGE sql AS
$$
INSERT INTO problem_heat_week AS h (zoom, week_start, i, j, status_class, n)
SELECT z.zoom, problem_week(reported_at), c[1], c[2], problem_status_class(status), sign
FROM heat_zoom z CROSS JOIN LATERAL (SELECT ST_Transform(location, 3857) AS m) p
CROSS JOIN LATERAL (SELECT hex_cell(ST_X(p.m), ST_Y(p.m), z.size) AS c) cell
ON CONFLICT (zoom, week_start, status_class, i, j) DO UPDATE SET n = h.n + EXCLUDED.n
$$;

CREATE FUNCTION problem_heat_on_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM problem_heat_add(OLD.location, OLD.reported_at, OLD.status, -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM problem_heat_add(NEW.location, NEW.reported_at, NEW.status, 1);
    END IF;
    RETURN NULL;
END
$$;

-- Deferred to commit, like the per-grid statistics: the counters are locked only for that instant.
CREATE CONSTRAINT TRIGGER problem_heat_insert_delete AFTER INSERT OR DELETE ON problem
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION problem_heat_on_change();
CREATE CONSTRAINT TRIGGER problem_heat_update AFTER UPDATE ON problem
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (problem_status_class(OLD.status) IS DISTINCT FROM problem_status_class(NEW.status)
          OR OLD.reported_at IS DISTINCT FROM NEW.reported_at OR NOT ST_Equals(OLD.location, NEW.location))
    EXECUTE FUNCTION problem_heat_on_change();

CREATE FUNCTION rebuild_problem_heat_week() RETURNS void
    LANGUAGE sql AS
$$
DELETE FROM problem_heat_week;
INSERT INTO problem_heat_week (zoom, week_start, i, j, status_class, n)
SELECT z.zoom, p.week_start, c[1], c[2], p.status_class, count(*)
FROM (SELECT problem_week(reported_at) AS week_start, problem_status_class(status) AS status_class,
             ST_X(ST_Transform(location, 3857)) AS x, ST_Y(ST_Transform(location, 3857)) AS y FROM problem
      OFFSET 0) p -- keeps x and y plain columns, so hex_cell is inlined
CROSS JOIN heat_zoom z CROSS JOIN LATERAL (SELECT hex_cell(p.x, p.y, z.size) AS c) cell
GROUP BY 1, 2, 3, 4, 5;
$$;

SELECT rebuild_problem_heat_week();
