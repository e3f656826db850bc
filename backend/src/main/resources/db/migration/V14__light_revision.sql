-- Time alone changes traffic lights and "overdue" (sweep_map_stats, V5). Until now a sweep bumped the
-- problems' revision, which also invalidated answers that show no light at all (grid and point tiles,
-- grid outlines) every few seconds in a busy city. Lights get a revision of their own; answers that
-- show a light or an overdue count name it among the layers they are built from.
INSERT INTO layer_revision (layer) VALUES ('lights') ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION sweep_map_stats(until timestamptz DEFAULT now()) RETURNS integer
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
        UPDATE layer_revision SET revision = revision + 1 WHERE layer = 'lights';
    END IF;
    RETURN changed;
END
$$;
