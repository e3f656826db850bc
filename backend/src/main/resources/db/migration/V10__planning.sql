-- Grid planning (issue #7): drafts of a community's or a street's grids, edited apart from the live
-- grids, validated, previewed and published as new grid versions.

-- A publication: one published draft, the versions it ended and the versions it began.
CREATE TABLE grid_publication (
    id                  bigserial PRIMARY KEY,
    area_code           varchar(12) NOT NULL CHECK (area_code ~ '^[0-9]{9}([0-9]{3})?$'),
    draft_id            bigint NOT NULL,
    published_by        bigint NOT NULL REFERENCES app_user (id),
    published_at        timestamptz NOT NULL DEFAULT now(),
    effective_from      date NOT NULL,
    grids_ended         integer NOT NULL,
    grids_begun         integer NOT NULL,
    points_reassigned   integer NOT NULL,
    problems_reassigned integer NOT NULL
);

CREATE INDEX grid_publication_area_idx ON grid_publication (area_code text_pattern_ops, published_at);

ALTER TABLE grid ADD COLUMN publication_id bigint REFERENCES grid_publication (id);

-- A version superseded on the day it began (two publications on one day) is valid for no day at all:
-- valid_to = valid_from. "Valid at day D" is valid_from <= D AND (valid_to IS NULL OR valid_to > D).
DO
$$
DECLARE
    name text;
BEGIN
    SELECT conname INTO name FROM pg_constraint
    WHERE conrelid = 'grid'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%valid_to > valid_from%';
    IF name IS NOT NULL THEN
        EXECUTE format('ALTER TABLE grid DROP CONSTRAINT %I', name);
    END IF;
END
$$;

ALTER TABLE grid ADD CONSTRAINT grid_valid_period CHECK (valid_to IS NULL OR valid_to >= valid_from);
CREATE INDEX grid_code_version_idx ON grid (code, valid_from);

CREATE TABLE draft (
    id          bigserial PRIMARY KEY,
    -- a street (9 digits) or a community (12 digits)
    area_code   varchar(12) NOT NULL CHECK (area_code ~ '^[0-9]{9}([0-9]{3})?$'),
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    created_by  bigint NOT NULL REFERENCES app_user (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- The live grids it copied, {"<grid code>": <grid id>}: the draft is stale when they changed since.
    based_on    jsonb NOT NULL,
    status      varchar(10) NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'PUBLISHED', 'DISCARDED')),
    version     bigint NOT NULL DEFAULT 0,
    publication_id bigint REFERENCES grid_publication (id)
);

CREATE INDEX draft_area_idx ON draft (area_code text_pattern_ops, status);

ALTER TABLE grid_publication ADD CONSTRAINT grid_publication_draft_fk FOREIGN KEY (draft_id) REFERENCES draft (id);

-- The draft's grids. Geometry may be invalid while being drawn (validation reports it); codes may be
-- malformed (BAD_CODE). The key (id) identifies a grid inside its draft.
CREATE TABLE draft_grid (
    id             bigserial PRIMARY KEY,
    draft_id       bigint NOT NULL REFERENCES draft (id) ON DELETE CASCADE,
    code           varchar(32) NOT NULL,
    name           text NOT NULL CHECK (length(name) <= 200),
    geom           geometry(Polygon, 4326) NOT NULL,
    owner_ids      bigint[] NOT NULL DEFAULT '{}',
    households     integer CHECK (households >= 0),
    source_grid_id bigint REFERENCES grid (id)
);

CREATE INDEX draft_grid_draft_idx ON draft_grid (draft_id);
CREATE INDEX draft_grid_geom_gix ON draft_grid USING gist (geom);

-- How much of g lies in a boundary, by the rule of grid_for_geometry: 0 for a point, metres of a line,
-- square metres of a polygon. The planner's preview compares the best draft grid with the best live grid
-- outside the area by this measure.
CREATE FUNCTION geometry_share(boundary geometry, g geometry) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT CASE ST_Dimension(g)
           WHEN 0 THEN 0
           WHEN 1 THEN ST_Length(ST_Intersection(boundary, g)::geography)
           ELSE ST_Area(ST_Intersection(boundary, g)::geography)
           END
$$;

-- Publishing assigns grids set-based (the same computation as its preview); inside that transaction
-- the row triggers keep the grid_id they are given instead of recomputing it row by row.
CREATE OR REPLACE FUNCTION measurement_point_assign_grid() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    expected_kind text;
    actual_kind   text;
BEGIN
    SELECT geometry_kind INTO expected_kind FROM point_type WHERE code = NEW.type_code;
    -- A CASE inside IF would end the condition at its first THEN, hence the variable.
    actual_kind := CASE ST_Dimension(NEW.geom) WHEN 0 THEN 'POINT' WHEN 1 THEN 'LINE' ELSE 'POLYGON' END;
    IF expected_kind IS NOT NULL AND expected_kind <> actual_kind THEN
        RAISE EXCEPTION 'a point of type % needs a % geometry, not %', NEW.type_code, expected_kind, GeometryType(NEW.geom)
            USING ERRCODE = 'check_violation';
    END IF;
    IF coalesce(current_setting('civicgrid.publishing_grids', true), '') <> 'on' THEN
        NEW.grid_id := grid_for_geometry(NEW.geom);
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION problem_assign_grid() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF coalesce(current_setting('civicgrid.publishing_grids', true), '') <> 'on' THEN
        NEW.grid_id := grid_for_geometry(NEW.location);
    END IF;
    RETURN NEW;
END
$$;
