-- CivicGrid schema v1. All geometry is lon/lat WGS84 = CGCS2000 for web maps (SRID 4326, domain.md §8).
CREATE EXTENSION IF NOT EXISTS postgis;

-- ---------------------------------------------------------------------------------------------
-- Area hierarchy: district → street → community → grid (GB/T codes, domain.md §2)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE district (
    code     varchar(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
    name     text NOT NULL,
    boundary geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(boundary))
);

CREATE TABLE street (
    code          varchar(9) PRIMARY KEY CHECK (code ~ '^[0-9]{9}$'),
    district_code varchar(6) NOT NULL REFERENCES district (code),
    name          text NOT NULL,
    boundary      geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(boundary)),
    CHECK (left(code, 6) = district_code)
);

CREATE TABLE community (
    code        varchar(12) PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
    street_code varchar(9) NOT NULL REFERENCES street (code),
    name        text NOT NULL,
    households  integer CHECK (households >= 0),
    boundary    geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(boundary)),
    CHECK (left(code, 9) = street_code)
);

CREATE INDEX district_boundary_gix ON district USING gist (boundary);
CREATE INDEX street_boundary_gix ON street USING gist (boundary);
CREATE INDEX community_boundary_gix ON community USING gist (boundary);
CREATE INDEX street_district_idx ON street (district_code);
CREATE INDEX community_street_idx ON community (street_code);

-- ---------------------------------------------------------------------------------------------
-- Reference vocabularies (loaded from data/vocab; admins may edit them later)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE department (
    code    varchar(40) PRIMARY KEY,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    kind    varchar(40) NOT NULL
);

CREATE TABLE special_action (
    code        varchar(40) PRIMARY KEY,
    name_zh     text NOT NULL,
    name_en     text NOT NULL,
    lead_leader text,
    sort_order  integer NOT NULL DEFAULT 0
);

CREATE TABLE special_action_department (
    action_code     varchar(40) NOT NULL REFERENCES special_action (code),
    department_code varchar(40) NOT NULL REFERENCES department (code),
    PRIMARY KEY (action_code, department_code)
);

CREATE TABLE problem_category (
    code                    varchar(40) PRIMARY KEY,
    name_zh                 text NOT NULL,
    name_en                 text NOT NULL,
    action_code             varchar(40) NOT NULL REFERENCES special_action (code),
    time_limit_hours        numeric(6, 1) NOT NULL CHECK (time_limit_hours > 0),
    event_class             text NOT NULL,
    default_department_code varchar(40) REFERENCES department (code)
);

CREATE TABLE point_type (
    code          varchar(40) PRIMARY KEY,
    name_zh       text NOT NULL,
    name_en       text NOT NULL,
    group_code    varchar(20) NOT NULL,
    geometry_kind varchar(10) NOT NULL CHECK (geometry_kind IN ('POINT', 'LINE', 'POLYGON')),
    color         varchar(7) NOT NULL CHECK (color ~ '^#[0-9a-fA-F]{6}$'),
    glyph         varchar(4) NOT NULL,
    sort_order    integer NOT NULL DEFAULT 0
);

-- Statutory holidays and make-up working days (调休): data per year, not code (domain.md §5).
CREATE TABLE calendar_day (
    day  date PRIMARY KEY,
    kind varchar(10) NOT NULL CHECK (kind IN ('HOLIDAY', 'WORKDAY')),
    name text
);

-- ---------------------------------------------------------------------------------------------
-- Users, roles and area scopes
-- ---------------------------------------------------------------------------------------------
CREATE TABLE app_user (
    id              bigserial PRIMARY KEY,
    username        varchar(64) NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.@-]{2,64}$'),
    display_name    text NOT NULL,
    phone           varchar(32),
    password_hash   text,
    enabled         boolean NOT NULL DEFAULT true,
    department_code varchar(40) REFERENCES department (code),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_role (
    user_id bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    role    varchar(20) NOT NULL CHECK (role IN ('ADMIN', 'LEADER', 'PLANNER', 'GRID_MANAGER', 'INSPECTOR', 'HANDLER')),
    PRIMARY KEY (user_id, role)
);

-- A user sees the subtree of each area node listed here (domain.md §1).
CREATE TABLE user_area_scope (
    user_id    bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    area_level varchar(10) NOT NULL CHECK (area_level IN ('DISTRICT', 'STREET', 'COMMUNITY', 'GRID')),
    area_code  varchar(15) NOT NULL CHECK (area_code ~ '^[0-9]{6}([0-9]{3}){0,3}$'),
    PRIMARY KEY (user_id, area_level, area_code)
);

-- ---------------------------------------------------------------------------------------------
-- Grids: versioned; the current version of a code has valid_to IS NULL.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE grid (
    id             bigserial PRIMARY KEY,
    code           varchar(15) NOT NULL CHECK (code ~ '^[0-9]{15}$'),
    name           text NOT NULL,
    community_code varchar(12) NOT NULL REFERENCES community (code),
    households     integer CHECK (households >= 0),
    boundary       geometry(Polygon, 4326) NOT NULL CHECK (ST_IsValid(boundary)),
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    valid_from     date NOT NULL DEFAULT current_date,
    valid_to       date,
    CHECK (left(code, 12) = community_code),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    UNIQUE (code, version)
);

CREATE UNIQUE INDEX grid_current_code_idx ON grid (code) WHERE valid_to IS NULL;
CREATE INDEX grid_current_boundary_gix ON grid USING gist (boundary) WHERE valid_to IS NULL;
CREATE INDEX grid_community_idx ON grid (community_code);

CREATE TABLE grid_owner (
    grid_id bigint NOT NULL REFERENCES grid (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES app_user (id),
    PRIMARY KEY (grid_id, user_id)
);

CREATE INDEX grid_owner_user_idx ON grid_owner (user_id);

-- The current grid a geometry belongs to: a point by containment, a line by its longest part inside,
-- a polygon by its largest overlap; ties go to the lowest id so the answer is stable.
CREATE FUNCTION grid_for_geometry(g geometry) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$
SELECT gr.id
FROM grid gr
WHERE gr.valid_to IS NULL
  AND gr.boundary && g
  AND ST_Intersects(gr.boundary, g)
ORDER BY CASE ST_Dimension(g)
             WHEN 0 THEN 0
             WHEN 1 THEN -ST_Length(ST_Intersection(gr.boundary, g)::geography)
             ELSE -ST_Area(ST_Intersection(gr.boundary, g)::geography)
             END,
         gr.id
LIMIT 1
$$;

-- ---------------------------------------------------------------------------------------------
-- Measurement points (测评点位); grid_id is computed, never typed in.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE measurement_point (
    id               bigserial PRIMARY KEY,
    external_id      varchar(64) UNIQUE,
    type_code        varchar(40) NOT NULL REFERENCES point_type (code),
    name             text NOT NULL CHECK (length(btrim(name)) > 0),
    address          text,
    responsible_unit text,
    geom             geometry(Geometry, 4326) NOT NULL
        CHECK (ST_IsValid(geom) AND GeometryType(geom) IN ('POINT', 'LINESTRING', 'POLYGON', 'MULTILINESTRING', 'MULTIPOLYGON')),
    grid_id          bigint REFERENCES grid (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          bigint NOT NULL DEFAULT 0
);

CREATE INDEX measurement_point_geom_gix ON measurement_point USING gist (geom);
CREATE INDEX measurement_point_grid_idx ON measurement_point (grid_id);
CREATE INDEX measurement_point_type_idx ON measurement_point (type_code);

CREATE FUNCTION measurement_point_assign_grid() RETURNS trigger
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
    NEW.grid_id := grid_for_geometry(NEW.geom);
    RETURN NEW;
END
$$;

CREATE TRIGGER measurement_point_assign_grid
    BEFORE INSERT OR UPDATE OF geom, grid_id, type_code ON measurement_point
    FOR EACH ROW EXECUTE FUNCTION measurement_point_assign_grid();

-- ---------------------------------------------------------------------------------------------
-- Problems (案卷) and the rectification loop (domain.md §5)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE problem (
    id                      bigserial PRIMARY KEY,
    external_id             varchar(64) UNIQUE,
    point_id                bigint REFERENCES measurement_point (id),
    category_code           varchar(40) NOT NULL REFERENCES problem_category (code),
    status                  varchar(20) NOT NULL CHECK (status IN ('REPORTED', 'ACCEPTED', 'REJECTED', 'DISPATCHED', 'IN_PROGRESS',
                                                                   'SUBMITTED', 'RETURNED', 'CLOSED', 'SUSPENDED')),
    location                geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(location)),
    grid_id                 bigint REFERENCES grid (id),
    description             text NOT NULL,
    reported_at             timestamptz NOT NULL,
    accepted_at             timestamptz,
    dispatched_at           timestamptz,
    deadline_at             timestamptz,
    closed_at               timestamptz,
    handler_department_code varchar(40) REFERENCES department (code),
    rework_count            integer NOT NULL DEFAULT 0 CHECK (rework_count >= 0),
    reporter_id             bigint REFERENCES app_user (id),
    version                 bigint NOT NULL DEFAULT 0,
    CHECK (accepted_at IS NULL OR accepted_at >= reported_at),
    CHECK (deadline_at IS NULL OR accepted_at IS NOT NULL),
    CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL))
);

-- One definition of "open" for every count: rejected and closed problems are done.
CREATE FUNCTION problem_is_open(status varchar) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT status NOT IN ('CLOSED', 'REJECTED')
$$;

CREATE INDEX problem_location_gix ON problem USING gist (location);
CREATE INDEX problem_grid_status_idx ON problem (grid_id, status);
CREATE INDEX problem_open_point_idx ON problem (point_id) WHERE problem_is_open(status);
CREATE INDEX problem_point_idx ON problem (point_id);
CREATE INDEX problem_status_deadline_idx ON problem (status, deadline_at);
CREATE INDEX problem_category_idx ON problem (category_code);
CREATE INDEX problem_reported_at_idx ON problem (reported_at);

CREATE FUNCTION problem_assign_grid() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    NEW.grid_id := grid_for_geometry(NEW.location);
    RETURN NEW;
END
$$;

CREATE TRIGGER problem_assign_grid
    BEFORE INSERT OR UPDATE OF location, grid_id ON problem
    FOR EACH ROW EXECUTE FUNCTION problem_assign_grid();

-- ---------------------------------------------------------------------------------------------
-- Audit log: append-only record of every write.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE audit_log (
    id             bigserial PRIMARY KEY,
    occurred_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor          varchar(64) NOT NULL,
    action         varchar(40) NOT NULL,
    object_type    varchar(40) NOT NULL,
    object_id      varchar(64),
    before_state   jsonb,
    after_state    jsonb,
    client_address varchar(64)
);

CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
